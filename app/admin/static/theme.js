// The staff member's own light/dark choice, kept in this browser (localStorage). Loaded in
// <head>, before the page paints, so a dark console never flashes light on the way in. The shop's
// default comes from the server (<html data-shop-theme>); choosing it again forgets the override.
(function () {
  "use strict";

  var KEY = "fenxiao.console.theme";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }

  function remember(mode) {
    try {
      if (mode === root.getAttribute("data-shop-theme")) {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, mode);
      }
    } catch (error) { /* private mode: the choice lasts for this page only */ }
  }

  var chosen = stored();
  if (chosen === "light" || chosen === "dark") {
    root.setAttribute("data-bs-theme", chosen);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("theme-toggle");
    if (!toggle) {
      return;
    }
    function show() {
      var dark = root.getAttribute("data-bs-theme") === "dark";
      toggle.setAttribute("aria-pressed", dark ? "true" : "false");
      toggle.querySelector("i").className = dark ? "bi bi-sun" : "bi bi-moon-stars";
    }
    toggle.addEventListener("click", function () {
      var mode = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", mode);
      remember(mode);
      show();
    });
    show();
  });
})();
