// The custom-menu editor, the `menuEditor` Alpine component: add, remove and reorder menus and
// sub-menus, show each button type's fields, count name bytes as WeChat does, and draw the
// phone's menu bar live. Inputs are named by their path (buttons.1.sub_button.3.name), the path
// the server validates; a button's field errors travel with it when it moves.
(function () {
  "use strict";

  var lib = window.FenxiaoConsole;
  var LEAF = ["type", "key", "appid", "pagepath", "url", "media_id", "article_id"];
  var encoder = new TextEncoder();
  var serial = 0;

  // The errors of the button at `base`, by field ("" for the button itself).
  function errorsAt(errors, base) {
    var own = {};
    Object.keys(errors).forEach(function (path) {
      if (path === base) { own[""] = errors[path]; }
      var rest = path.indexOf(base + ".") === 0 ? path.slice(base.length + 1) : null;
      if (rest && rest.indexOf(".") < 0) { own[rest] = errors[path]; }
    });
    return own;
  }

  function button(raw, base, errors) {
    raw = raw && typeof raw === "object" && !Array.isArray(raw) ? raw : {};
    var item = { uid: ++serial, name: String(raw.name || ""), errors: errorsAt(errors, base), subs: [] };
    LEAF.forEach(function (field) { item[field] = raw[field] ? String(raw[field]) : ""; });
    item.media_id_title = "";  // what a picked material or article is called, shown under its id
    item.article_id_title = "";
    item.type = item.type || "click";
    return item;
  }

  function menuEditor() {
    var data = JSON.parse(document.getElementById("menu-data").textContent);
    var buttons = (Array.isArray(data.buttons) ? data.buttons : []).map(function (raw, i) {
      var top = button(raw, "buttons." + i, data.errors);
      var subs = raw && Array.isArray(raw.sub_button) ? raw.sub_button : [];
      top.subs = subs.map(function (sub, j) { return button(sub, "buttons." + i + ".sub_button." + j, data.errors); });
      return top;
    });
    return {
      buttons: buttons,
      limits: data.limits,
      fieldTypes: data.field_types,
      hints: data.hints,
      replies: data.replies,
      text: data.text,
      mpAppid: data.mp_appid || "",
      openIndex: -1,
      selected: -1,
      generation: 0,

      // The server-rendered editor and bar (what the page shows before scripts run) give way
      // to this component's.
      init: function () {
        this.$root.querySelectorAll("[data-menu-fallback]").forEach(function (node) { node.remove(); });
      },

      get fullTop() { return this.buttons.length >= this.limits.buttons; },
      fullSub: function (top) { return top.subs.length >= this.limits.sub_buttons; },

      base: function (i) { return "buttons." + i; },
      subBase: function (i, j) { return "buttons." + i + ".sub_button." + j; },
      numbered: function (label, n) { return lib.fmt(label, { n: n + 1 }); },
      shown: function (item) { return item.name.trim() || "…"; },
      bytes: function (item) { return encoder.encode(item.name).length; },
      over: function (item, limit) { return this.bytes(item) > limit; },
      shows: function (item, field) { return this.fieldTypes[field].indexOf(item.type) >= 0; },
      hint: function (item) { return item.type === "click" && this.hints[item.key] ? this.hints[item.key] : ""; },
      hasReply: function (item) { return Boolean(this.replies[item.key]); },

      // A mini-program button's page from the link picker (a product, a category, one of the
      // shop's pages or a typed path, checked by the server); the shop's own mini-program when
      // no AppID is set yet.
      pickPage: function (item) {
        var appid = this.mpAppid;
        window.Pickers.open("link", { types: ["product", "category", "page", "path"] }).then(function (links) {
          if (!links.length) { return; }
          item.pagepath = links[0].path;
          if (!item.appid && appid) { item.appid = appid; }
        });
      },

      // A media_id button's permanent material, an article_id button's published article:
      // listed from the official account through WeChat, so no id is copied by hand.
      pickMaterial: function (item) { this.pickInto(item, "media_id", "wechat_material"); },
      pickArticle: function (item) { this.pickInto(item, "article_id", "wechat_article"); },
      pickInto: function (item, field, kind) {
        window.Pickers.open(kind).then(function (picked) {
          if (!picked.length) { return; }
          item[field] = String(picked[0].id);
          item[field + "_title"] = picked[0].title;
        });
      },

      addTop: function () {
        if (this.fullTop) { return; }
        this.buttons.push(button({ type: "click" }, "", {}));
        this.selected = this.buttons.length - 1;
        this.focusName(".menu-top", this.selected);
      },

      addSub: function (i) {
        var top = this.buttons[i];
        if (this.fullSub(top)) { return; }
        top.subs.push(button({ type: "click" }, "", {}));
        this.openIndex = i;
        this.focusName(".menu-top:nth-of-type(" + (i + 1) + ") .menu-sub", top.subs.length - 1);
      },

      focusName: function (selector, index) {
        this.$nextTick(function () {
          var cards = this.$root.querySelectorAll(selector);
          cards[index].querySelector(".menu-name").focus();
        }.bind(this));
      },

      // Drag to reorder (the grip of a menu or a sub-menu; the arrows stay for the keyboard).
      // Sortable drags a copy of the card inside its list: Alpine must not start that copy's
      // bindings outside x-for, so the list is marked before the drag begins.
      armSort: function (event) {
        var list = event.target.closest && event.target.closest("[data-sort-list]");
        if (list) { list._x_ignoreMutationObserver = true; }
      },
      // new keys after a drag: x-for draws the list afresh instead of reconciling Sortable's moves
      keyOf: function (item) { return this.generation + ":" + item.uid; },
      inDomOrder: function (list, container) {
        var byUid = {};
        list.forEach(function (item) { byUid[item.uid] = item; });
        return Array.prototype.map.call(container.querySelectorAll(":scope > [data-uid]"), function (node) {
          return byUid[node.getAttribute("data-uid")];
        }).filter(Boolean);
      },
      reorderTops: function () {
        this.buttons = this.inDomOrder(this.buttons, this.$refs.tops);
        this.selected = -1;
        this.openIndex = -1;
        this.generation += 1;
      },
      reorderSubs: function (top) {
        top.subs = this.inDomOrder(top.subs, this.$root.querySelector("[data-subs-of='" + top.uid + "']"));
        this.generation += 1;
      },

      // Moves list[index] one place up (-1) or down (1).
      move: function (list, index, step) {
        var to = index + step;
        if (to < 0 || to >= list.length) { return; }
        var item = list.splice(index, 1)[0];
        list.splice(to, 0, item);
        if (list === this.buttons) { this.selected = to; this.openIndex = -1; }
      },

      remove: function (list, index) {
        list.splice(index, 1);
        this.openIndex = -1;
        if (list === this.buttons) { this.selected = -1; }
      },

      // A tap on the preview opens (or closes) the menu's sub-menus and shows its card.
      tap: function (i) {
        this.openIndex = this.openIndex === i ? -1 : i;
        this.selected = i;
        this.$root.querySelectorAll(".menu-top")[i].scrollIntoView({ behavior: "smooth", block: "nearest" });
      },

      select: function (i) { this.selected = i; },

      // "Save and publish" asks first; a plain save does not.
      confirmSubmit: function (event) {
        var message = event.submitter && event.submitter.getAttribute("data-confirm-submit");
        if (message && !window.confirm(message)) { event.preventDefault(); }
      }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("menuEditor", menuEditor);
  });
})();
