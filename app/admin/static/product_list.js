// The product list: "tick all", and a confirmation before the batch delete (the batch form has
// several buttons; only the one with data-confirm asks).
(function () {
  "use strict";

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll(".product-tick").forEach(function (box) { box.checked = all.checked; });
    });
  }
  var form = document.getElementById("batch-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var message = event.submitter && event.submitter.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
      }
    });
  }
})();
