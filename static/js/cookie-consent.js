// Cookie consent, progressively enhanced: the forms work without this file (plain POST
// and redirect); with it, the choice is saved in place and the footer link reopens the
// banner. It loads nothing else and sets no cookie itself.
(function () {
  "use strict";
  var banner = document.querySelector("[data-cookie-banner]");

  function hideBanner() {
    if (banner) { banner.hidden = true; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-cookie-form]") || !window.fetch) { return; }
    event.preventDefault();
    var body = new FormData(form);
    if (event.submitter && event.submitter.name) {
      body.append(event.submitter.name, event.submitter.value);
    }
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { form.submit(); return; }
      var choice = body.get("choice");
      document.querySelectorAll("[data-cookie-form] input[name=analytics], [data-cookie-form] input[name=marketing]")
        .forEach(function (box) {
          if (choice === "accept-all") { box.checked = true; }
          if (choice === "reject-all") { box.checked = false; }
          if (choice === "save") { box.checked = body.get(box.name) !== null; }
        });
      hideBanner();
      var status = document.querySelector("[data-cookie-status]");
      if (status) { status.hidden = false; }
    }).catch(function () { form.submit(); });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-cookie-settings]");
    if (!link || !banner) { return; }
    event.preventDefault();
    banner.hidden = false;
    var details = banner.querySelector("details");
    if (details) { details.open = true; }
    banner.querySelector("h2").setAttribute("tabindex", "-1");
    banner.querySelector("h2").focus();
  });
})();
