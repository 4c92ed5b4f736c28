// The product editor: picture uploads, and the `productSpecs` Alpine component — spec dimensions
// and their values, the SKU table (one row per combination of the values) and a batch bar. The
// matrix is posted as JSON in #matrix_json, money in yuan as typed; the server re-derives the
// combinations and checks every value.
(function () {
  "use strict";

  var lib = window.FenxiaoConsole;

  // <input type="file" data-upload="URL" data-upload-target="ID" [data-upload-append]>: upload
  // the chosen picture, then put its URL into the target (a new line of a textarea, or the value).
  document.querySelectorAll("input[type=file][data-upload]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var targetId = input.getAttribute("data-upload-target");
      var target = document.getElementById(targetId);
      var status = document.querySelector('[data-upload-status="' + targetId + '"]');
      if (!file || !target) { return; }
      var body = new FormData();
      body.append("file", file);
      if (status) { status.textContent = "…"; }
      fetch(input.getAttribute("data-upload"), {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "Accept": "application/json", "X-CSRFToken": lib.csrfToken }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok || !data.url) {
            throw new Error((data.error && data.error.message) || input.getAttribute("data-upload-failed") || "");
          }
          if (input.hasAttribute("data-upload-append")) {
            target.value = (target.value.replace(/\s+$/, "") + "\n" + data.url).replace(/^\n/, "");
          } else {
            target.value = data.url;
          }
          if (status) { status.textContent = ""; }
        });
      }).catch(function (error) {
        if (status) { status.textContent = error.message; }
      }).then(function () { input.value = ""; });
    });
  });

  var MAX_DIMENSIONS = 3;
  var FIELDS = ["price", "original_price", "cost", "stock", "weight_g", "code", "image_url"];
  var ERROR_KEYS = { price: "price_fen", original_price: "original_price_fen", cost: "cost_fen" };
  var CARRIED = ["price", "original_price", "cost", "stock", "weight_g", "image_url"];
  var BATCH = { price: "price", stock: "stock", weight: "weight_g" };
  var serial = 0;

  function same(specs, other) {
    var names = Object.keys(specs);
    return names.length === Object.keys(other).length && names.every(function (name) { return other[name] === specs[name]; });
  }

  // How many of a combination's values another row has.
  function shared(specs, other) {
    return Object.keys(specs).filter(function (name) { return other[name] === specs[name]; }).length;
  }

  function newRow(specs, fields) {
    var row = { uid: ++serial, specs: specs };
    FIELDS.forEach(function (field) { row[field] = fields[field] === undefined ? "" : String(fields[field]); });
    return row;
  }

  // Each dimension keeps the value typed into its box but not added yet (its draft) beside its
  // values, and every dimension and row has a stable key, so nothing typed is lost when the
  // lists change around it.
  function productSpecs() {
    var data = JSON.parse(document.getElementById("editor-data").textContent);
    return {
      text: data.text,
      errors: data.errors || {},
      fields: FIELDS,
      matrix: (data.matrix.spec_matrix || []).map(function (spec) {
        return { uid: ++serial, name: String(spec.name || ""), values: (spec.values || []).map(String), draft: "" };
      }),
      rows: (data.matrix.skus || []).map(function (row) { return newRow(row.specs || {}, row); }),
      batch: { price: "", stock: "", weight: "" },
      generation: 0,
      hasPicker: Boolean(window.MediaPicker),

      get dims() { return this.matrix.filter(function (spec) { return spec.values.length > 0; }); },
      get full() { return this.matrix.length >= MAX_DIMENSIONS; },

      // What the server receives in matrix_json: the dimensions as {name, values}, and each row
      // with the specs of the dimensions that have values.
      get posted() {
        var names = this.dims.map(function (spec) { return spec.name; });
        return JSON.stringify({
          spec_matrix: this.matrix.map(function (spec) { return { name: spec.name, values: spec.values }; }),
          skus: this.rows.map(function (row) {
            var out = { specs: {} };
            names.forEach(function (name) { out.specs[name] = row.specs[name]; });
            FIELDS.forEach(function (field) { out[field] = row[field]; });
            return out;
          })
        });
      },

      label: function (row) {
        return this.dims.map(function (spec) { return row.specs[spec.name]; }).join("/") || this.text.single;
      },
      valueLabel: function (spec, index) { return this.text.value + " " + (spec.name || index + 1); },
      cellError: function (index, field) { return this.errors["skus." + index + "." + (ERROR_KEYS[field] || field)]; },

      combinations: function () {
        var result = [{}];
        this.dims.forEach(function (spec) {
          var next = [];
          result.forEach(function (partial) {
            spec.values.forEach(function (value) {
              var specs = Object.assign({}, partial);
              specs[spec.name] = value;
              next.push(specs);
            });
          });
          result = next;
        });
        return result;
      },

      // Rows for the current matrix: a combination that existed keeps its row; a new one takes
      // its values (not its code) from the first row that shares the most of its values, so a
      // price typed for 款1 is also 款1/蓝's when 颜色 gets 蓝.
      rebuild: function () {
        var old = this.rows;
        this.rows = this.combinations().map(function (specs) {
          var kept = old.filter(function (row) { return same(specs, row.specs); })[0];
          if (kept) { kept.specs = specs; return kept; }
          var near = Object.keys(specs).length ? null : old[0];  // the single row: the first one's values
          var most = 0;
          old.forEach(function (row) {
            var count = shared(specs, row.specs);
            if (count > most) { near = row; most = count; }
          });
          var fields = {};
          CARRIED.forEach(function (field) {
            fields[field] = near ? near[field] : (field === "stock" || field === "weight_g" ? "0" : "");
          });
          return newRow(specs, fields);
        });
        this.errors = {};  // row numbers changed: the server's marks no longer point at the right rows
      },

      addDimension: function () {
        if (this.full) { return; }
        this.matrix.push({ uid: ++serial, name: "", values: [], draft: "" });
        this.$nextTick(function () {
          var names = this.$root.querySelectorAll(".spec-name");
          names[names.length - 1].focus();
        }.bind(this));
      },

      removeDimension: function (index) {
        this.matrix.splice(index, 1);
        this.rebuild();
      },

      // A rename takes effect when the merchant leaves the name (change), as the rows' specs
      // and the value box's label carry it.
      rename: function (spec, event) {
        var before = spec.name;
        var after = event.target.value.trim();
        spec.name = after;
        this.rows.forEach(function (row) {
          if (Object.prototype.hasOwnProperty.call(row.specs, before)) {
            var specs = Object.assign({}, row.specs);
            specs[after] = specs[before];
            if (after !== before) { delete specs[before]; }
            row.specs = specs;
          }
        });
        delete this.errors["spec_matrix." + this.matrix.indexOf(spec) + ".name"];
        this.rebuild();
      },

      // Moves a dimension's draft into its values; the box keeps what it shows when that is
      // empty or already a value. A click on "add" gives the focus back to the box.
      addValue: function (spec, box) {
        if (box) { box.focus(); }
        var value = spec.draft.trim();
        if (!value || spec.values.indexOf(value) >= 0) { return; }
        spec.values.push(value);
        spec.draft = "";
        this.rebuild();
      },

      removeValue: function (spec, index) {
        spec.values.splice(index, 1);
        this.rebuild();
      },

      // A dimension's values are dragged into the order the shop shows them (and the rows
      // follow). Sortable drags a copy of the value inside its list: Alpine must not start that
      // copy's bindings outside x-for, so the list is marked before the drag begins; after it,
      // new keys make x-for draw the values afresh instead of reconciling Sortable's moves.
      armSort: function (event) {
        var list = event.target.closest && event.target.closest("[data-sort-list]");
        if (list) { list._x_ignoreMutationObserver = true; }
      },
      valueKey: function (value) { return this.generation + ":" + value; },
      reorderValues: function (spec) {
        var list = this.$root.querySelector("[data-values-of='" + spec.uid + "']");
        spec.values = Array.prototype.map.call(list.querySelectorAll(".spec-value"), function (node) {
          return node.getAttribute("data-value");
        });
        this.generation += 1;
        this.rebuild();
      },

      applyBatch: function () {
        Object.keys(BATCH).forEach(function (key) {
          var value = this.batch[key].trim();
          if (value !== "") {
            this.rows.forEach(function (row) { row[BATCH[key]] = value; });
          }
        }, this);
      },

      // A SKU's picture, from the media library's picker (console pages always have it).
      clearSkuPicture: function (row) { row.image_url = ""; },

      pickSkuPicture: function (row) {
        if (!window.MediaPicker) { return; }
        Promise.resolve(window.MediaPicker.open({ multiple: false })).then(function (picked) {
          var first = Array.isArray(picked) ? picked[0] : picked;
          var url = first && (typeof first === "string" ? first : first.url);
          if (url) { row.image_url = url; }
        });
      }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("productSpecs", productSpecs);
  });
})();
