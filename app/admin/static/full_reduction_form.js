// The full-reduction activity form, the `fullReductionForm` Alpine component: the product or
// category picker shown for the chosen scope, and the tiers editor (add, remove, each tier's
// reward: an amount off in yuan or a rate in 折, plus free shipping, points and a gift coupon). Inputs are
// named tier-<index>-<field>, the names the server reads; a tier's errors travel with it.
(function () {
  "use strict";

  var MAX_TIERS = 5;
  var serial = 0;

  function tier(raw) {
    raw = raw && typeof raw === "object" ? raw : {};
    return {
      uid: ++serial,
      threshold: String(raw.threshold || ""),
      reward: raw.reward === "rate" || raw.reward === "none" ? raw.reward : "off",
      value: String(raw.value || ""),
      free_shipping: !!raw.free_shipping,
      points: String(raw.points || ""),
      gift_coupon: String(raw.gift_coupon || ""),
      errors: raw.errors || {}
    };
  }

  function fullReductionForm() {
    var data = JSON.parse(document.getElementById("full-reduction-data").textContent);
    var tiers = (Array.isArray(data.tiers) ? data.tiers : []).map(tier);
    return {
      scope: data.scope || "all",
      basis: data.basis || "amount",
      tiers: tiers.length ? tiers : [tier({})],

      get full() { return this.tiers.length >= MAX_TIERS; },
      get single() { return this.tiers.length <= 1; },
      get showsProducts() { return this.scope === "products" || this.scope === "except_products"; },
      get showsCategories() { return this.scope === "categories"; },
      get byCount() { return this.basis === "count"; },

      add: function () {
        if (!this.full) { this.tiers.push(tier({})); }
      },
      remove: function (index) {
        if (!this.single) { this.tiers.splice(index, 1); }
      },
      nameOf: function (index, field) { return "tier-" + index + "-" + field; },
      hasValue: function (item) { return item.reward !== "none"; },
      isRate: function (item) { return item.reward === "rate"; },
      errorOf: function (item, field) { return item.errors[field] || ""; },
      invalid: function (item, field) { return item.errors[field] ? "is-invalid" : ""; }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("fullReductionForm", fullReductionForm);
  });
})();
