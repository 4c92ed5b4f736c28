// The product editor: spec dimensions and their values, the SKU table (one row per combination
// of the values), a batch bar, and image uploads. The matrix is posted as JSON in #matrix_json,
// money in yuan as typed; the server re-derives the combinations and checks every value.
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

  var dataNode = document.getElementById("editor-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var text = data.text;
  var errors = data.errors || {};
  var MAX_DIMENSIONS = 3;
  var FIELDS = ["price", "original_price", "cost", "stock", "weight_g", "code", "image_url"];
  var ERROR_KEYS = { price: "price_fen", original_price: "original_price_fen", cost: "cost_fen" };
  var CARRIED = ["price", "original_price", "cost", "stock", "weight_g", "image_url"];

  var matrix = (data.matrix.spec_matrix || []).map(function (spec) {
    return { name: String(spec.name || ""), values: (spec.values || []).map(String) };
  });
  var rows = (data.matrix.skus || []).map(function (row) {
    var copy = { specs: row.specs || {} };
    FIELDS.forEach(function (field) { copy[field] = row[field] === undefined ? "" : String(row[field]); });
    return copy;
  });

  var specEditor = document.getElementById("spec-editor");
  var table = document.getElementById("sku-table");
  var addDimension = document.getElementById("add-dimension");

  function active() {
    return matrix.filter(function (spec) { return spec.values.length > 0; });
  }

  function combinations() {
    var result = [{}];
    active().forEach(function (spec) {
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
  }

  function agrees(specs, other, exact) {
    var names = Object.keys(specs);
    if (exact && names.length !== Object.keys(other).length) { return false; }
    return names.every(function (name) {
      return !Object.prototype.hasOwnProperty.call(other, name) ? !exact : other[name] === specs[name];
    });
  }

  // New rows for the current matrix: a combination that existed keeps its row; a new one takes
  // its values (not its code) from a row it agrees with on the specs both have.
  function rebuildRows() {
    var old = rows;
    rows = combinations().map(function (specs) {
      var same = old.filter(function (row) { return agrees(specs, row.specs, true); })[0];
      if (same) { return Object.assign({}, same, { specs: specs }); }
      var near = old.filter(function (row) { return agrees(specs, row.specs, false); })[0];
      var row = { specs: specs, code: "" };
      CARRIED.forEach(function (field) { row[field] = near ? near[field] : (field === "stock" || field === "weight_g" ? "0" : ""); });
      row.code = "";
      return row;
    });
    errors = {};  // row numbers changed: the server's marks no longer point at the right rows
  }

  function regenerate() {
    rebuildRows();
    render();
  }

  function feedback(parent, key) {
    if (errors[key]) {
      parent.appendChild(lib.el("div", "invalid-feedback d-block", errors[key]));
      return true;
    }
    return false;
  }

  // A value typed into a dimension's box but not added yet, kept apart from the matrix (which
  // is posted as it is) so that a re-render does not drop it.
  var drafts = [];

  // The spec editor's field that has the focus, by its data-focus key, with its caret.
  function focusedSpecField() {
    var node = document.activeElement;
    if (!node || !specEditor.contains(node) || !node.hasAttribute("data-focus")) { return null; }
    return { key: node.getAttribute("data-focus"), start: node.selectionStart, end: node.selectionEnd };
  }

  function restoreFocus(focused) {
    if (!focused) { return; }
    var node = specEditor.querySelector('[data-focus="' + focused.key + '"]');
    if (!node) { return; }
    node.focus();
    if (typeof focused.start === "number") { node.setSelectionRange(focused.start, focused.end); }
  }

  // Re-rendering replaces every field: the one being typed into gets the focus back, and every
  // value box keeps its draft.
  function renderSpecs(focusKey) {
    var focused = focusKey ? { key: focusKey } : focusedSpecField();
    specEditor.textContent = "";
    matrix.forEach(function (spec, index) {
      var box = lib.el("div", "border rounded p-2 mb-2 spec-dimension");
      var head = lib.el("div", "d-flex gap-2 align-items-center");
      var name = lib.el("input", "form-control form-control-sm spec-name");
      name.value = spec.name;
      name.placeholder = text.dimension;
      name.setAttribute("aria-label", text.dimension + " " + (index + 1));
      name.setAttribute("data-focus", "name." + index);
      var newValue = lib.el("input", "form-control form-control-sm w-auto");
      // A rename fires when the merchant leaves the name, usually by clicking into this dimension's
      // value box: only the SKU table (whose headings carry the names) is rebuilt, the spec
      // editor's fields stay where the merchant is typing.
      name.addEventListener("change", function () {
        var before = spec.name;
        spec.name = name.value.trim();
        rows.forEach(function (row) {
          if (Object.prototype.hasOwnProperty.call(row.specs, before)) {
            row.specs[spec.name] = row.specs[before];
            delete row.specs[before];
          }
        });
        rebuildRows();
        name.classList.remove("is-invalid");
        newValue.setAttribute("aria-label", text.value + " " + (spec.name || index + 1));
        renderTable();
      });
      var remove = lib.el("button", "btn btn-sm btn-outline-danger text-nowrap", text.remove_dimension);
      remove.type = "button";
      remove.addEventListener("click", function () {
        matrix.splice(index, 1);
        drafts.splice(index, 1);
        regenerate();
      });
      head.appendChild(name);
      head.appendChild(remove);
      box.appendChild(head);
      if (feedback(box, "spec_matrix." + index + ".name")) { name.classList.add("is-invalid"); }

      var values = lib.el("div", "d-flex flex-wrap gap-1 align-items-center mt-2");
      spec.values.forEach(function (value, valueIndex) {
        var chip = lib.el("span", "badge text-bg-light border d-inline-flex align-items-center gap-1 spec-value", value);
        var close = lib.el("button", "btn-close btn-close-sm");
        close.type = "button";
        close.setAttribute("aria-label", text.remove_value + " " + value);
        close.addEventListener("click", function () { spec.values.splice(valueIndex, 1); regenerate(); });
        chip.appendChild(close);
        values.appendChild(chip);
      });
      newValue.placeholder = text.value;
      newValue.value = drafts[index] || "";
      newValue.setAttribute("aria-label", text.value + " " + (spec.name || index + 1));
      newValue.setAttribute("data-focus", "value." + index);
      newValue.addEventListener("input", function () { drafts[index] = newValue.value; });
      var add = lib.el("button", "btn btn-sm btn-outline-secondary", text.add_value);
      add.type = "button";
      function addValue() {
        if (addDraft(index)) {
          rebuildRows();
          renderSpecs("value." + index);  // the next value goes into the same box
          renderTable();
        }
      }
      add.addEventListener("click", addValue);
      newValue.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); addValue(); }
      });
      values.appendChild(newValue);
      values.appendChild(add);
      box.appendChild(values);
      feedback(box, "spec_matrix." + index + ".values");
      specEditor.appendChild(box);
    });
    addDimension.disabled = matrix.length >= MAX_DIMENSIONS;
    addDimension.title = addDimension.disabled ? text.too_many : "";
    restoreFocus(focused);
  }

  // Moves a dimension's draft into its values; true when that added a value.
  function addDraft(index) {
    var value = (drafts[index] || "").trim();
    var spec = matrix[index];
    if (!value || spec.values.indexOf(value) >= 0) { return false; }  // the box keeps what it shows
    spec.values.push(value);
    drafts[index] = "";
    return true;
  }

  function renderTable() {
    table.textContent = "";
    var dims = active();
    var head = lib.el("thead");
    var headRow = lib.el("tr");
    if (!dims.length) { headRow.appendChild(lib.el("th", "text-nowrap", text.single)); }
    dims.forEach(function (spec) { headRow.appendChild(lib.el("th", "text-nowrap", spec.name)); });
    FIELDS.forEach(function (field) { headRow.appendChild(lib.el("th", "small", text[field])); });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = lib.el("tbody");
    rows.forEach(function (row, index) {
      var tr = lib.el("tr");
      var label = dims.map(function (spec) { return row.specs[spec.name]; }).join("/") || text.single;
      tr.setAttribute("data-sku", label);
      if (!dims.length) { tr.appendChild(lib.el("td", "", text.single)); }
      dims.forEach(function (spec) { tr.appendChild(lib.el("td", "text-nowrap", row.specs[spec.name])); });
      FIELDS.forEach(function (field) {
        var cell = lib.el("td");
        var input = lib.el("input", "form-control form-control-sm sku-" + field);
        input.value = row[field];
        input.setAttribute("aria-label", text[field] + " " + label);
        input.setAttribute("data-field", field);
        input.addEventListener("input", function () { row[field] = input.value; });
        cell.appendChild(input);
        if (feedback(cell, "skus." + index + "." + (ERROR_KEYS[field] || field))) { input.classList.add("is-invalid"); }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
      var specsError = errors["skus." + index + ".specs"];
      if (specsError) { tr.firstChild.appendChild(lib.el("div", "invalid-feedback d-block", specsError)); }
    });
    table.appendChild(body);
  }

  function render() {
    renderSpecs();
    renderTable();
  }

  addDimension.addEventListener("click", function () {
    if (matrix.length < MAX_DIMENSIONS) {
      matrix.push({ name: "", values: [] });
      renderSpecs();
      var names = specEditor.querySelectorAll(".spec-name");
      names[names.length - 1].focus();
    }
  });

  document.getElementById("batch-apply").addEventListener("click", function () {
    [["batch-price", "price"], ["batch-stock", "stock"], ["batch-weight", "weight_g"]].forEach(function (pair) {
      var value = document.getElementById(pair[0]).value.trim();
      if (value !== "") {
        rows.forEach(function (row) { row[pair[1]] = value; });
      }
    });
    renderTable();
  });

  document.getElementById("product-form").addEventListener("submit", function () {
    var names = active().map(function (spec) { return spec.name; });
    document.getElementById("matrix_json").value = JSON.stringify({
      spec_matrix: matrix,
      skus: rows.map(function (row) {
        var specs = {};
        names.forEach(function (name) { specs[name] = row.specs[name]; });
        return Object.assign({}, row, { specs: specs });
      })
    });
  });

  render();
})();
