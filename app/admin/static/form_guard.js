// Unsaved-changes warning for <form data-dirty-guard>: once a field of the form has been edited,
// leaving the page (a link, reload, closing the tab) asks first, and the save bar says so.
// Submitting the form clears it, unless the submit was cancelled (a declined data-confirm).
(function () {
  "use strict";

  var dirty = new Set();

  function guarded(target) {
    var form = target && (target.form || (target.closest && target.closest("form")));
    return form && form.hasAttribute("data-dirty-guard") ? form : null;
  }

  function mark(event) {
    var form = guarded(event.target);
    if (!form || dirty.has(form)) {
      return;
    }
    dirty.add(form);
    form.querySelectorAll("[data-dirty-note]").forEach(function (note) { note.classList.remove("d-none"); });
  }

  document.addEventListener("input", mark);
  document.addEventListener("change", mark);
  // On window, so it runs after the document's own submit listeners (admin.js's data-confirm).
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target.hasAttribute("data-dirty-guard")) {
      dirty.delete(event.target);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";  // older Chromium asks only when a value is set
    }
  });
})();
