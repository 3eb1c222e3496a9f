// Stripe Payment Element: the card issuer's 3-D Secure challenge runs inside
// stripe.confirmPayment, then Stripe sends the customer to our return URL, where the
// server asks Stripe what happened. Loaded only when the Stripe gateway is active.
// If Stripe.js did not load (blocked, offline), the page says so and offers a retry
// instead of a form that does nothing.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form) { return; }
  var message = document.getElementById("payment-message");
  var button = document.getElementById("payment-submit");

  if (typeof Stripe === "undefined") {
    var unavailable = document.getElementById("stripe-unavailable");
    unavailable.hidden = false;
    button.disabled = true;
    document.getElementById("stripe-retry").addEventListener("click", function () {
      window.location.reload();
    });
    return;
  }

  var stripe = Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create("payment").mount("#payment-element");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: form.dataset.returnUrl }
    }).then(function (result) {
      if (result.error) {
        message.textContent = result.error.message || form.dataset.errorGeneric;
        message.hidden = false;
        button.disabled = false;
      }
    });
  });
})();
