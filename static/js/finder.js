// Memory finder: suggest models as the shopper types. The form works without this
// script (a plain GET); it only adds links to the matching systems under the box.
(function () {
  "use strict";
  var input = document.getElementById("finder-q");
  var list = document.getElementById("finder-suggestions");
  if (!input || !list || !window.fetch) {
    return;
  }
  var manufacturer = document.getElementById("id_manufacturer");
  var timer = null;
  var latest = 0;

  function clear() {
    list.replaceChildren();
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function show(systems) {
    list.replaceChildren();
    systems.forEach(function (system) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      var link = document.createElement("a");
      link.href = system.url;
      link.textContent = system.label;
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = systems.length === 0;
    input.setAttribute("aria-expanded", systems.length ? "true" : "false");
  }

  function suggest() {
    var query = input.value.trim();
    if (query.length < 2) {
      clear();
      return;
    }
    var params = new URLSearchParams({ q: query });
    if (manufacturer && manufacturer.value) {
      params.set("manufacturer", manufacturer.value);
    }
    var request = ++latest;
    fetch(input.dataset.suggestionsUrl + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { systems: [] };
      })
      .then(function (body) {
        if (request === latest) {
          show(body.systems || []);
        }
      })
      .catch(clear);
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 150);
  });
  if (manufacturer) {
    manufacturer.addEventListener("change", suggest);
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      clear();
    } else if (event.key === "ArrowDown" && !list.hidden) {
      event.preventDefault();
      list.querySelector("a").focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var current = document.activeElement.closest("li");
    if (!current) {
      return;
    }
    if (event.key === "ArrowDown" && current.nextElementSibling) {
      event.preventDefault();
      current.nextElementSibling.querySelector("a").focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (current.previousElementSibling ? current.previousElementSibling.querySelector("a") : input).focus();
    } else if (event.key === "Escape") {
      clear();
      input.focus();
    }
  });
})();
