// The console's pickers: one dialog (base.html, #picker-dialog) that lists members, agents,
// products, a product's SKUs or categories from /admin/pick/…, searched and paged as the
// console's lists are, so that no form asks the merchant to type an id; and the official
// account's WeChat materials ("wechat_material": a media_id) and published articles
// ("wechat_article": an article_id), read from WeChat.
//
//   window.Pickers.open("member", {multiple: false}) -> Promise<[{id, title, subtitle, image}]>
//     (resolves [] when the dialog is closed without choosing)
//   window.Pickers.open("link", {types: [...]}) -> Promise<[{type, id | path | url, title, path}]>: a product,
//     category or page picked, or a mini-program path or web address typed — the stored form
//     of a typed link (app/shop/links.py), checked by the server, and the path it opens
//   <div x-data="pickField({kind: 'agent', value: '42', display: '#42 小王'})"> … (admin/_pickers.html)
(function () {
  "use strict";

  var waiting = null; // the open() call the dialog answers

  function open(kind, options) {
    options = options || {};
    if (waiting) { waiting.resolve([]); }
    return new Promise(function (resolve) {
      waiting = { resolve: resolve };
      window.dispatchEvent(new CustomEvent("picker-open", {
        detail: { kind: kind, multiple: !!options.multiple, max: options.max || 0, params: options.params || {},
                  types: options.types || null }
      }));
    });
  }

  function answer(items) {
    if (waiting) {
      var done = waiting;
      waiting = null;
      done.resolve(items);
    }
  }

  window.Pickers = { open: open };

  // <button data-pick-wechat-material="image"> beside a text input: fill it with the media_id of
  // one of the official account's permanent materials of that type (an image reply's picture).
  // Delegated, so panels a page's script shows later get it too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-wechat-material]");
    if (!button) { return; }
    var input = button.parentElement.querySelector("input");
    open("wechat_material", { params: { type: button.getAttribute("data-pick-wechat-material") } }).then(function (picked) {
      if (!picked.length) { return; }
      input.value = String(picked[0].id);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("pickerDialog", function () {
      return {
        kinds: {},
        kind: "",
        list: "", // the kind whose list is shown (a link's tab lists products, categories or pages)
        linkMode: false,
        linkTabs: [],
        shownTabs: [], // the tabs this call allows (`types`), all by default
        tab: "",
        typing: false,
        typedText: "",
        typedPlaceholder: "",
        linkError: "",
        heading: "",
        placeholder: "",
        multiple: false,
        max: 0,
        params: {},
        q: "",
        items: [],
        next: null,
        loading: false,
        failed: false,
        picked: [],
        modal: null,
        chosenTemplate: "",
        root: null,
        opening: false,
        closeWhenShown: false,

        init: function () {
          this.kinds = JSON.parse(this.$el.dataset.kinds || "{}");
          this.linkTabs = JSON.parse(this.$el.dataset.linkTabs || "[]");
          this.chosenTemplate = this.$el.querySelector("[data-chosen-template]").dataset.chosenTemplate;
          this.root = this.$el;
          this.modal = window.bootstrap.Modal.getOrCreateInstance(this.$el);
          this.$el.addEventListener("hidden.bs.modal", function () { answer([]); });
          var self = this;
          this.$el.addEventListener("shown.bs.modal", function () {
            self.opening = false;
            if (self.closeWhenShown) { self.closeWhenShown = false; self.modal.hide(); }
          });
        },

        // Bootstrap ignores hide() while the dialog is still fading in: a pick made that early
        // (a short list loads before the fade ends) closes it once it is shown.
        close: function () {
          if (this.opening) { this.closeWhenShown = true; return; }
          this.modal.hide();
        },

        show: function (detail) {
          var kind = this.kinds[detail.kind];
          if (!kind) { answer([]); return; }
          this.kind = detail.kind;
          this.heading = kind.heading;
          this.placeholder = kind.placeholder;
          this.multiple = detail.multiple;
          this.max = detail.max;
          this.params = detail.params;
          this.q = "";
          this.picked = [];
          this.items = [];
          this.linkError = "";
          this.linkMode = detail.kind === "link";
          this.list = detail.kind;
          this.typing = false;
          this.opening = !this.root.classList.contains("show");  // shown already: no fade to wait for
          this.closeWhenShown = false;
          this.modal.show();
          if (this.linkMode) {
            var types = detail.types;
            this.shownTabs = types ? this.linkTabs.filter(function (one) { return types.indexOf(one.type) >= 0; })
              : this.linkTabs;
            this.openTab(this.shownTabs[0]);
          } else {
            this.load(false);
          }
          var search = this.$refs.search;
          this.$el.addEventListener("shown.bs.modal", function () { search.focus(); }, { once: true });
        },

        // A link's tab: a list to pick from, or a path or web address to type.
        openTab: function (one) {
          this.tab = one.type;
          this.linkError = "";
          this.items = [];
          this.q = "";
          this.typing = !one.list;
          if (one.list) {
            this.list = one.list;
            this.placeholder = this.kinds[one.list].placeholder;
            this.load(false);
          } else {
            this.placeholder = "";
            this.typedText = "";
            this.typedPlaceholder = one.placeholder;
            var field = this.$refs.typed;
            this.$nextTick(function () { field.focus(); });
          }
        },

        typed: function () {
          var one = this.linkTabs.filter(function (each) { return each.type === this.tab; }, this)[0];
          var params = { type: this.tab };
          params[one.field] = this.typedText;
          this.resolveLink(params);
        },

        // The server's stored form of the link (checked there), with the path it opens.
        resolveLink: function (params) {
          var self = this;
          self.linkError = "";
          var url = self.kinds.link.url + "?" + new URLSearchParams(params).toString();
          return window.FenxiaoConsole.api("GET", url).then(function (reply) {
            if (!reply.ok) {
              var error = (reply.data && reply.data.error) || {};
              var fields = error.fields || {};
              self.linkError = fields.path || fields.url || error.message || "";
              return;
            }
            var link = reply.data.link;
            link.path = reply.data.path;
            answer([link]);
            self.close();
          });
        },

        url: function (more) {
          var kind = this.kinds[this.list];
          var url = kind.url;
          var params = new URLSearchParams(this.params);
          if (this.q) { params.set("q", this.q); }
          if (more && this.next) { params.set("cursor", this.next); }
          var query = params.toString();
          return query ? url + (url.indexOf("?") < 0 ? "?" : "&") + query : url;
        },

        load: function (more) {
          var self = this;
          self.loading = true;
          self.failed = false;
          return window.FenxiaoConsole.api("GET", self.url(more)).then(function (reply) {
            self.loading = false;
            if (!reply.ok) { self.failed = true; return; }
            self.items = more ? self.items.concat(reply.data.items) : reply.data.items;
            self.next = reply.data.next_cursor || null;
          }).catch(function () { self.loading = false; self.failed = true; });
        },

        search: function () { this.load(false); },
        more: function () { this.load(true); },

        chosen: function (item) {
          return this.picked.some(function (one) { return one.id === item.id; });
        },

        get chosenText() {
          return this.picked.length ? window.FenxiaoConsole.fmt(this.chosenTemplate, { n: this.picked.length }) : "";
        },

        full: function () { return this.multiple && this.max > 0 && this.picked.length >= this.max; },

        toggle: function (item) {
          if (this.linkMode) {
            this.resolveLink(this.tab === "page" ? { type: "page", path: item.id } : { type: this.tab, id: item.id });
            return;
          }
          if (!this.multiple) {
            this.picked = [item];
            this.confirm();
            return;
          }
          if (this.chosen(item)) {
            this.picked = this.picked.filter(function (one) { return one.id !== item.id; });
          } else if (!this.full()) {
            this.picked = this.picked.concat([item]);
          }
        },

        confirm: function () {
          answer(this.picked.slice());
          this.close();
        }
      };
    });

    // Several picked ids, shown by name, each removable; posted comma separated.
    window.Alpine.data("pickMany", function (config) {
      return {
        kind: config.kind,
        chosen: config.chosen || [],
        get ids() { return this.chosen.map(function (item) { return item.id; }).join(","); },
        pick: function () {
          var self = this;
          window.Pickers.open(self.kind, { multiple: true }).then(function (items) {
            var have = self.chosen.map(function (item) { return item.id; });
            self.chosen = self.chosen.concat(items.filter(function (item) { return have.indexOf(item.id) < 0; })
              .map(function (item) { return { id: item.id, title: item.title }; }));
          });
        },
        remove: function (item) {
          this.chosen = this.chosen.filter(function (one) { return one.id !== item.id; });
        }
      };
    });

    // A form field holding a picked id: a hidden input the form posts, what it is, and the
    // buttons to pick and to clear. `picked` is dispatched (bubbling) after a choice.
    window.Alpine.data("pickField", function (config) {
      return {
        kind: config.kind,
        value: config.value || "",
        display: config.display || "",
        params: config.params || {},
        pick: function () {
          var self = this;
          window.Pickers.open(self.kind, { params: self.params }).then(function (items) {
            if (!items.length) { return; }
            self.value = String(items[0].id);
            self.display = items[0].title;
            self.$nextTick(function () { self.$dispatch("picked", items[0]); });
          });
        },
        clear: function () {
          this.value = "";
          this.display = "";
        }
      };
    });
  });
})();
