// The coupon centre's order, the `centreOrder` Alpine component: the merchant drags a coupon by
// its grip (or moves it with the arrows, for the keyboard) and saves; each row posts its
// template id, so the form posts the ids in the order shown and the server numbers them.
(function () {
  "use strict";

  function centreOrder() {
    var data = JSON.parse(document.getElementById("centre-order-data").textContent);
    return {
      rows: Array.isArray(data.rows) ? data.rows : [],
      generation: 0,

      // The server-rendered list (what the page shows before scripts run) gives way to this one.
      init: function () {
        this.$root.querySelectorAll("[data-order-fallback]").forEach(function (node) { node.remove(); });
      },

      position: function (i) { return i + 1; },
      first: function (i) { return i === 0; },
      last: function (i) { return i === this.rows.length - 1; },

      // Sortable drags a copy of the row inside its list: Alpine must not start that copy's
      // bindings outside x-for, so the list is marked before the drag begins; after it, new
      // keys make x-for draw the rows afresh instead of reconciling Sortable's moves.
      armSort: function (event) {
        var list = event.target.closest && event.target.closest("[data-sort-list]");
        if (list) { list._x_ignoreMutationObserver = true; }
      },
      keyOf: function (row) { return this.generation + ":" + row.id; },
      reordered: function () {
        var byId = {};
        this.rows.forEach(function (row) { byId[row.id] = row; });
        this.rows = Array.prototype.map.call(this.$refs.rows.querySelectorAll(":scope > [data-id]"), function (node) {
          return byId[node.getAttribute("data-id")];
        }).filter(Boolean);
        this.generation += 1;
        this.markChanged();
      },

      // Moves row `index` one place up (-1) or down (1).
      move: function (index, step) {
        var to = index + step;
        if (to < 0 || to >= this.rows.length) { return; }
        var row = this.rows.splice(index, 1)[0];
        this.rows.splice(to, 0, row);
        this.markChanged();
      },

      // The save bar says the order is not saved yet, and leaving the page asks first
      // (form_guard.js listens for a change inside a guarded form).
      markChanged: function () {
        this.$root.dispatchEvent(new Event("change", { bubbles: true }));
      }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("centreOrder", centreOrder);
  });
})();
