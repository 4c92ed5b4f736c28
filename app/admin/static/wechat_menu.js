// The custom-menu editor: add, remove and reorder menus and sub-menus, show each button type's
// fields, count name bytes as WeChat does, and draw the phone's menu bar live.
// Inputs are renamed after every change so their names stay the paths the server validates
// (buttons.1.sub_button.3.name), which is also where its field errors are shown.
(function () {
  "use strict";

  var form = document.getElementById("menu-form");
  if (!form) { return; }
  var tree = form.querySelector("[data-menu-tree]");
  var bar = document.querySelector("[data-menu-preview]");
  var maxTop = Number(tree.getAttribute("data-max"));
  var maxSub = Number(tree.getAttribute("data-max-sub"));
  var encoder = new TextEncoder();
  var openIndex = -1;

  function tops() { return Array.prototype.slice.call(tree.querySelectorAll(":scope > [data-menu-button]")); }
  function subsOf(card) { return Array.prototype.slice.call(card.querySelectorAll("[data-sub-list] > [data-menu-button]")); }

  function clone(selector) {
    return form.querySelector("template" + selector).content.firstElementChild.cloneNode(true);
  }

  function name(input, base) {
    var field = input.getAttribute("data-field");
    input.name = base + "." + field;
    input.id = "f-" + base + "." + field;
  }

  function renumberCard(card, base, number) {
    var badge = card.querySelector("[data-number]");
    badge.textContent = badge.textContent.replace(/\d+/, String(number));
    var own = Array.prototype.filter.call(card.querySelectorAll("[data-field], [data-label-for]"), function (node) {
      return node.closest("[data-menu-button]") === card;
    });
    own.forEach(function (node) {
      if (node.hasAttribute("data-field")) { name(node, base); } else { node.htmlFor = "f-" + base + "." + node.getAttribute("data-label-for"); }
    });
  }

  function renumber() {
    var cards = tops();
    cards.forEach(function (card, i) {
      renumberCard(card, "buttons." + i, i + 1);
      var subs = subsOf(card);
      subs.forEach(function (sub, j) { renumberCard(sub, "buttons." + i + ".sub_button." + j, j + 1); });
      card.querySelector("[data-leaf]").classList.toggle("d-none", subs.length > 0);
      card.querySelector("[data-add-sub]").disabled = subs.length >= maxSub;
    });
    form.querySelector("[data-add-top]").disabled = cards.length >= maxTop;
  }

  function showTypeFields(card) {
    var select = card.querySelector("[data-type-select]");
    var fields = Array.prototype.filter.call(card.querySelectorAll("[data-type-field]"), function (node) {
      return node.closest("[data-menu-button]") === card;
    });
    fields.forEach(function (field) {
      var types = field.getAttribute("data-types").split(" ");
      field.classList.toggle("d-none", types.indexOf(select.value) < 0);
    });
  }

  function countBytes(input) {
    var counter = input.parentElement.querySelector("[data-bytes]");
    var used = encoder.encode(input.value).length;
    var limit = Number(input.getAttribute("data-max-bytes"));
    counter.textContent = used + "/" + limit;
    counter.classList.toggle("text-danger", used > limit);
    counter.classList.toggle("text-muted", used <= limit);
  }

  function select(index) {
    tops().forEach(function (card, i) { card.classList.toggle("is-selected", i === index); });
  }

  function drawBar() {
    var keyboard = bar.querySelector(".wx-menubar-kbd");
    bar.replaceChildren(keyboard);
    tops().forEach(function (card, i) {
      var item = document.createElement("button");
      item.type = "button";
      item.className = "wx-menubar-item" + (i === openIndex ? " is-open" : "");
      var subs = subsOf(card);
      if (subs.length) {
        var list = document.createElement("i");
        list.className = "bi bi-list";
        item.appendChild(list);
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(document.createTextNode(card.querySelector("[data-field='name']").value.trim() || "…"));
      if (subs.length && i === openIndex) {
        var popup = document.createElement("span");
        popup.className = "wx-submenu";
        subs.forEach(function (sub) {
          var entry = document.createElement("span");
          entry.textContent = sub.querySelector("[data-field='name']").value.trim() || "…";
          popup.appendChild(entry);
        });
        item.appendChild(popup);
      }
      item.addEventListener("click", function () {
        openIndex = openIndex === i ? -1 : i;
        select(i);
        card.scrollIntoView({ behavior: "smooth", block: "nearest" });
        drawBar();
      });
      bar.appendChild(item);
    });
  }

  function changed() {
    renumber();
    drawBar();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[type='button']");
    if (!button) { return; }
    var card = button.closest("[data-menu-button]");
    if (button.hasAttribute("data-add-top")) {
      if (tops().length >= maxTop) { return; }
      var top = clone("[data-top-template]");
      tree.appendChild(top);
      countBytes(top.querySelector("[data-max-bytes]"));
      changed();
      top.querySelector("[data-field='name']").focus();
      select(tops().length - 1);
      return;
    }
    if (button.hasAttribute("data-add-sub")) {
      var list = card.querySelector("[data-sub-list]");
      if (subsOf(card).length >= maxSub) { return; }
      var sub = clone("[data-sub-template]");
      list.appendChild(sub);
      countBytes(sub.querySelector("[data-max-bytes]"));
      openIndex = tops().indexOf(card);
      changed();
      sub.querySelector("[data-field='name']").focus();
      return;
    }
    if (button.hasAttribute("data-remove-button")) {
      card.remove();
      openIndex = -1;
    } else if (button.getAttribute("data-move") === "-1" && card.previousElementSibling) {
      card.parentElement.insertBefore(card, card.previousElementSibling);
    } else if (button.getAttribute("data-move") === "1" && card.nextElementSibling) {
      card.parentElement.insertBefore(card.nextElementSibling, card);
    } else {
      return;
    }
    changed();
  });

  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-max-bytes")) { countBytes(event.target); }
    drawBar();
  });

  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-type-select")) { showTypeFields(event.target.closest("[data-menu-button]")); }
  });

  form.addEventListener("focusin", function (event) {
    var top = event.target.closest(".menu-top");
    if (top) { select(tops().indexOf(top)); }
  });

  // "Save and publish" asks first; a plain save does not.
  form.addEventListener("submit", function (event) {
    var message = event.submitter && event.submitter.getAttribute("data-confirm-submit");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  form.querySelectorAll("[data-max-bytes]").forEach(countBytes);
  changed();
})();
