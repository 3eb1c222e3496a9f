// Simulator card form: group the card number in fours and stop double submits.
// No card data leaves this page except in the form's own POST.
(function () {
  "use strict";
  var form = document.querySelector("[data-card-form]");
  if (!form) { return; }
  var number = form.querySelector("input[name=number]");
  if (number) {
    number.addEventListener("input", function () {
      var digits = number.value.replace(/\D/g, "").slice(0, 19);
      number.value = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
    });
  }
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
  });
})();
