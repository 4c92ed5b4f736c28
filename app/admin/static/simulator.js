// The WeChat simulator's fan side, the `fanSimulator` Alpine component: a phone where the
// merchant plays a fan of the official account. Every action is a POST to the console's
// simulator API, which has the sandbox push it to our real webhook; the conversation is kept per
// fan in this tab (sessionStorage).
(function () {
  "use strict";

  var lib = window.FenxiaoConsole;
  var fmt = lib.fmt, api = lib.api;
  var STORE = "fenxiao.simulator.";
  var FAN_PATTERN = { name: /^[A-Za-z0-9_-]{1,32}$/, openid: /^[A-Za-z0-9_-]{1,64}$/ };
  var DEFAULT_NAMES = ["xiaohua", "alice", "bob"];
  var PLACE = { latitude: 23.1291, longitude: 113.2644 };

  function safeUrl(url) { return /^https?:\/\//i.test(url || "") ? url : ""; }

  function load(key, fallback) {
    try {
      var raw = window.sessionStorage.getItem(STORE + key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function save(key, value) {
    try { window.sessionStorage.setItem(STORE + key, JSON.stringify(value)); } catch (error) { /* full: keep going */ }
  }

  function clock(ms) {
    var moment = new Date(ms);
    return String(moment.getHours()).padStart(2, "0") + ":" + String(moment.getMinutes()).padStart(2, "0");
  }

  function failure(text, answer) {
    var error = (answer.data && answer.data.error) || {};
    var fields = error.fields || {};
    var details = Object.keys(fields).map(function (name) { return name + ": " + fields[name]; }).join(" · ");
    return fmt(text.error_status, { status: answer.status }) + " " + (error.message || "") + (details ? " " + details : "");
  }

  function fanSimulator() {
    var config = JSON.parse(document.getElementById("simulator-config").textContent);
    var chat = document.getElementById("sim-chat");  // scrolled from replies that arrive later
    return {
      text: config.text,
      account: config.account,
      now: clock(Date.now()),
      fan: null,
      entries: [],
      recent: load("fans", []),
      knownFans: [],
      form: { kind: "name", value: "", scene: "", message: "" },
      fanError: "",
      sceneError: "",
      busy: false,
      menu: [],
      published: false,
      typing: false,  // the keyboard shown instead of the menu
      opened: -1,  // the menu button whose sub-menus are open
      popup: {},
      exchange: null,

      init: function () {
        var current = load("current", null);
        if (current && FAN_PATTERN[current.kind] && FAN_PATTERN[current.kind].test(current.value)) {
          this.choose(current.kind, current.value);
        } else {
          this.choose("name", DEFAULT_NAMES[0]);
        }
        this.form.kind = this.fan.kind;
        this.form.value = this.fan.value;
        this.loadMenu();
        this.loadKnownFans();
      },

      // -- the conversation ---------------------------------------------------------------
      // The entries with a time line before each that starts a new minute or follows a pause.
      get lines() {
        var last = 0;
        return this.entries.map(function (entry) {
          var stamp = "";
          if (!last || clock(entry.t) !== clock(last) || entry.t - last > 5 * 60 * 1000) {
            stamp = clock(entry.t);
            last = entry.t;
          }
          return { stamp: stamp, entry: entry };
        });
      },
      get welcome() { return !this.fan || !this.entries.length; },
      isPlain: function (entry) { return ["news", "image", "music", "location", "other"].indexOf(entry.kind) < 0; },
      isSystem: function (entry) { return entry.who === "system" || entry.who === "error"; },
      initial: function (who) {
        return who === "fan" ? (this.fan ? this.fan.value.charAt(0).toUpperCase() : "?") : (this.account || "公").charAt(0);
      },
      safeUrl: safeUrl,
      picture: function (article) {
        return safeUrl(article.picurl) || (article.picurl && article.picurl.charAt(0) === "/" ? article.picurl : "");
      },
      missing: function (event) { event.target.classList.add("sim-img-missing"); },
      other: function (entry) { return fmt(this.text.other, { type: entry.msg_type }); },

      add: function (entry) {
        entry.t = Date.now();
        this.entries.push(entry);
        if (this.fan) { save(this.chatKey(), this.entries.slice(-200)); }
        this.scrollDown();
      },

      scrollDown: function () {
        window.Alpine.nextTick(function () { chat.scrollTop = chat.scrollHeight; });
      },

      clear: function (event) {
        if (!this.fan || !window.confirm(event.currentTarget.getAttribute("data-confirm-text"))) { return; }
        this.entries = [];
        save(this.chatKey(), []);
      },

      // -- the fan ------------------------------------------------------------------------
      chatKey: function () { return "chat:" + this.fan.kind + ":" + this.fan.value; },
      isCurrent: function (fan) { return Boolean(this.fan) && fan.kind === this.fan.kind && fan.value === this.fan.value; },
      get shownOpenid() { return this.fan && this.fan.openid && this.fan.openid !== this.fan.value ? this.fan.openid : ""; },

      choose: function (kind, value) {
        var others = this.recent.filter(function (fan) { return !(fan.kind === kind && fan.value === value); });
        var previous = this.recent.filter(function (fan) { return fan.kind === kind && fan.value === value; })[0];
        this.fan = { kind: kind, value: value, openid: previous ? previous.openid : "" };
        this.recent = [Object.assign({}, this.fan)].concat(others).slice(0, 8);
        save("fans", this.recent);
        save("current", this.fan);
        this.entries = load(this.chatKey(), []);
        this.scrollDown();
      },

      play: function () {
        var value = this.form.value.trim();
        this.fanError = "";
        if (!FAN_PATTERN[this.form.kind].test(value)) {
          this.fanError = this.$refs.fanValue.getAttribute("data-invalid") || "A-Z a-z 0-9 _ -";
          return;
        }
        this.choose(this.form.kind, value);
      },

      rememberOpenid: function (openid) {
        if (!this.fan || !openid) { return; }
        this.fan.openid = openid;
        save("current", this.fan);
        var fan = this.fan;
        this.recent = this.recent.map(function (other) {
          return other.kind === fan.kind && other.value === fan.value ? Object.assign({}, fan) : other;
        });
        save("fans", this.recent);
      },

      // What the fan box suggests: dev user names, or the openids of the fans we know.
      get suggestions() {
        var values = this.form.kind === "name"
          ? DEFAULT_NAMES.concat(this.recent.filter(function (f) { return f.kind === "name"; }).map(function (f) { return f.value; }))
          : this.knownFans.map(function (fan) { return fan.openid; });
        return values.filter(function (value, index) { return values.indexOf(value) === index; });
      },

      loadKnownFans: function () {
        api("GET", config.urls.fans).then(function (answer) {
          if (answer.ok) { this.knownFans = answer.data.fans || []; }
        }.bind(this));
      },

      // -- talking to the simulator API ---------------------------------------------------
      get meta() {
        var last = this.exchange;
        return last ? fmt(this.text.meta, { status: last.status, ms: last.elapsed_ms, openid: last.openid }) : "";
      },

      send: function (action, extra, shown) {
        if (!this.fan) {
          this.add({ who: "error", content: this.text.need_fan });
          return;
        }
        if (shown) { this.add(shown); }
        this.busy = true;
        var body = {};
        body[this.fan.kind === "name" ? "name" : "openid"] = this.fan.value;
        Object.assign(body, extra || {});
        var self = this;
        api("POST", config.urls[action], body).then(function (answer) {
          if (!answer.ok) {
            self.add({ who: "error", content: failure(self.text, answer) });
            return;
          }
          var result = answer.data;
          self.rememberOpenid(result.openid);
          self.exchange = result;
          if (result.error) {
            self.add({ who: "error", content: result.error });
          } else if (!result.replies.length) {
            self.add({ who: "system", content: self.text.no_reply });
          } else {
            result.replies.forEach(function (reply) { self.add(Object.assign({ who: "oa" }, reply)); });
          }
          if (action === "subscribe" || action === "unsubscribe") { self.loadKnownFans(); }
        }).catch(function () {
          self.add({ who: "error", content: self.text.network });
        }).then(function () { self.busy = false; });
      },

      sendText: function () {
        var message = this.form.message.trim();
        if (!message || this.busy) { return; }
        this.form.message = "";
        this.send("text", { content: message }, { who: "fan", content: message });
      },

      act: function (action) {
        var scene = this.form.scene.trim();
        this.sceneError = "";
        if ((action === "subscribe-scene" || action === "scan") && !scene) {
          this.sceneError = this.text.need_scene;
          return;
        }
        var text = this.text;
        if (action === "subscribe") {
          this.send("subscribe", {}, { who: "system", content: text.followed });
        } else if (action === "subscribe-scene") {
          this.send("subscribe", { scene: scene }, { who: "system", content: fmt(text.followed_scene, { scene: scene }) });
        } else if (action === "scan") {
          this.send("scan", { scene: scene }, { who: "system", content: fmt(text.scanned, { scene: scene }) });
        } else if (action === "unsubscribe") {
          this.send("unsubscribe", {}, { who: "system", content: text.unfollowed });
        } else if (action === "image") {
          this.send("image", {}, { who: "fan", kind: "image", media_id: "" });
        } else if (action === "location") {
          var place = Object.assign({ label: text.location_label }, PLACE);
          this.send("location", place, { who: "fan", kind: "location", label: text.location_label,
                                         detail: place.latitude + ", " + place.longitude });
        }
      },

      // -- the menu -----------------------------------------------------------------------
      get hasMenu() { return this.menu.length > 0; },
      get menuNote() {
        return this.published && this.hasMenu ? fmt(this.text.menu_count, { n: this.menu.length }) : this.text.menu_none;
      },
      subsOf: function (button) { return button.sub_button || []; },
      get openSubs() { return this.opened >= 0 ? this.subsOf(this.menu[this.opened]) : []; },

      loadMenu: function () {
        api("GET", config.urls.menu).then(function (answer) {
          if (!answer.ok) { return; }
          this.menu = answer.data.buttons || [];
          this.published = answer.data.published;
          this.opened = -1;
          this.typing = false;
        }.bind(this));
      },

      closeSubmenus: function () { this.opened = -1; },

      showKeyboard: function () {
        this.opened = -1;
        this.typing = true;
        this.$nextTick(function () { this.$refs.message.focus(); }.bind(this));
      },

      showMenu: function () { this.typing = false; },

      press: function (index, event) {
        var button = this.menu[index];
        if (!this.subsOf(button).length) {
          this.tap(button);
          return;
        }
        if (this.opened === index) {
          this.opened = -1;
          return;
        }
        this.opened = index;
        var node = event.currentTarget;
        this.$nextTick(function () { this.place(node); }.bind(this));
      },

      // Centres the sub-menu popup over its button, inside the phone (CSSOM, which the CSP allows).
      place: function (node) {
        var holder = this.$refs.submenus;
        var popup = holder.querySelector(".sim-submenu");
        var phone = holder.getBoundingClientRect();
        var rect = node.getBoundingClientRect();
        var width = Math.max(popup.offsetWidth, rect.width - 12);
        var left = Math.min(Math.max(rect.left - phone.left + rect.width / 2 - width / 2, 6), phone.width - width - 6);
        this.popup = { minWidth: width + "px", left: left + "px", "--sim-arrow": (rect.left - phone.left + rect.width / 2 - left) + "px" };
      },

      tap: function (button) {
        this.opened = -1;
        var text = this.text;
        var type = button.type;
        if (type === "click") {
          this.send("click", { key: button.key }, { who: "system", content: fmt(text.clicked, { name: button.name }) });
        } else if (type === "view") {
          this.add({ who: "system", content: fmt(text.clicked, { name: button.name }) + " " + text.view + "：", url: button.url });
        } else if (type === "miniprogram") {
          this.add({ who: "system", kind: "mini", content: text.miniprogram, pagepath: button.pagepath, appid: button.appid });
        } else {
          this.add({ who: "system", content: fmt(text.unsupported, { type: type || "?" }) });
        }
      }
    };
  }

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("fanSimulator", fanSimulator);
  });
})();
