// The WeChat simulator's fan side: a phone where the merchant plays a fan of the official
// account. Every action is a POST to the console's simulator API, which has the sandbox push
// it to our real webhook; the conversation is kept per fan in this tab (sessionStorage).
(function () {
  "use strict";

  var configNode = document.getElementById("simulator-config");
  if (!configNode) {
    return;
  }
  var config = JSON.parse(configNode.textContent);
  var text = config.text;
  var lib = window.FenxiaoConsole;
  var fmt = lib.fmt, el = lib.el, api = lib.api;
  var STORE = "fenxiao.simulator.";
  var FAN_PATTERN = { name: /^[A-Za-z0-9_-]{1,32}$/, openid: /^[A-Za-z0-9_-]{1,64}$/ };
  var DEFAULT_NAMES = ["xiaohua", "alice", "bob"];

  function $(id) { return document.getElementById(id); }
  var chat = $("sim-chat");
  var submenus = $("sim-submenus");
  var state = { fan: null, entries: [], menu: [], busy: false };

  // -- small helpers ----------------------------------------------------------------------

  function icon(name) { return el("i", "bi bi-" + name); }

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

  // -- the conversation -----------------------------------------------------------------
  function chatKey() { return "chat:" + state.fan.kind + ":" + state.fan.value; }

  function avatar(who) {
    var label = who === "fan" ? (state.fan ? state.fan.value.charAt(0).toUpperCase() : "?")
      : (config.account || "公").charAt(0);
    return el("div", "sim-avatar", label);
  }

  function articleCard(articles) {
    var card = el("div", "sim-card");
    articles.forEach(function (article, index) {
      var link = el("a");
      var url = safeUrl(article.url);
      if (url) {
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener";
        link.title = url;
      }
      var picture = safeUrl(article.picurl) || (article.picurl && article.picurl.charAt(0) === "/" ? article.picurl : "");
      function image(className) {
        var img = el("img", className);
        img.alt = "";
        img.addEventListener("error", function () { img.classList.add("sim-img-missing"); });
        img.src = picture;
        return img;
      }
      if (articles.length === 1) {
        link.appendChild(el("div", "sim-card-title", article.title));
        var body = el("div", "sim-card-body");
        body.appendChild(el("p", null, article.description));
        if (picture) { body.appendChild(image("sim-card-thumb")); }
        link.appendChild(body);
      } else if (index === 0) {
        var cover = el("div", "sim-card-cover");
        if (picture) { cover.appendChild(image("")); }
        cover.appendChild(el("span", null, article.title));
        link.appendChild(cover);
      } else {
        var item = el("div", "sim-card-item");
        item.appendChild(el("span", null, article.title));
        if (picture) { item.appendChild(image("sim-card-thumb")); }
        link.appendChild(item);
      }
      card.appendChild(link);
    });
    return card;
  }

  function mediaBubble(iconName, label, detail) {
    var bubble = el("div", "sim-bubble is-media");
    bubble.appendChild(icon(iconName));
    var words = el("div", null, label);
    if (detail) {
      words.appendChild(document.createElement("br"));
      words.appendChild(el("small", "text-muted", detail));
    }
    bubble.appendChild(words);
    return bubble;
  }

  function content(entry) {
    switch (entry.kind) {
      case "news":
        return articleCard(entry.articles || []);
      case "image":
        var photo = el("div", "sim-photo");
        photo.appendChild(icon("image"));
        photo.appendChild(el("small", null, entry.media_id || text.image));
        return photo;
      case "music":
        var music = el("div", "sim-music");
        music.appendChild(icon("music-note-beamed"));
        var words = el("div");
        words.appendChild(el("strong", null, entry.title || text.music));
        words.appendChild(el("small", null, entry.description));
        music.appendChild(words);
        return music;
      case "location":
        return mediaBubble("geo-alt-fill", entry.label, entry.detail);
      case "other":
        return el("div", "sim-bubble", fmt(text.other, { type: entry.msg_type }));
      default:
        return el("div", "sim-bubble", entry.content);
    }
  }

  function systemLine(entry) {
    var line = el("div", "sim-system" + (entry.who === "error" ? " is-error" : ""));
    var span = el("span", null, entry.content);
    if (entry.url) {
      span.appendChild(document.createTextNode(" "));
      var link = el("a", null, entry.url);
      link.href = safeUrl(entry.url) || "#";
      link.target = "_blank";
      link.rel = "noopener";
      span.appendChild(link);
    }
    line.appendChild(span);
    return line;
  }

  function miniCard(entry) {
    var row = el("div", "sim-system");
    var card = el("div", "sim-mini d-inline-block text-start");
    card.appendChild(el("strong", null, entry.pagepath));
    card.appendChild(el("div", null, entry.appid));
    var tag = el("div", "sim-mini-tag");
    tag.appendChild(icon("app-indicator"));
    tag.appendChild(document.createTextNode(" " + entry.content));
    card.appendChild(tag);
    row.appendChild(card);
    return row;
  }

  var lastStamp = 0;

  function draw(entry) {
    if (!lastStamp || clock(entry.t) !== clock(lastStamp) || entry.t - lastStamp > 5 * 60 * 1000) {
      chat.appendChild(el("div", "sim-time", clock(entry.t)));
      lastStamp = entry.t;
    }
    var node;
    if (entry.who === "system" || entry.who === "error") {
      node = entry.kind === "mini" ? miniCard(entry) : systemLine(entry);
    } else {
      node = el("div", "sim-row from-" + entry.who);
      node.appendChild(avatar(entry.who));
      node.appendChild(content(entry));
    }
    chat.appendChild(node);
  }

  function redraw() {
    chat.textContent = "";
    lastStamp = 0;
    if (!state.fan || !state.entries.length) {
      chat.appendChild(el("div", "sim-system", null)).appendChild(el("span", null, text.welcome));
    }
    state.entries.forEach(draw);
    chat.scrollTop = chat.scrollHeight;
  }

  function add(entry) {
    entry.t = Date.now();
    if (!state.entries.length) { chat.textContent = ""; lastStamp = 0; }
    state.entries.push(entry);
    if (state.fan) { save(chatKey(), state.entries.slice(-200)); }
    draw(entry);
    chat.scrollTop = chat.scrollHeight;
  }

  // -- the fan ----------------------------------------------------------------------------
  function fanBody() {
    var body = {};
    body[state.fan.kind === "name" ? "name" : "openid"] = state.fan.value;
    return body;
  }

  function recentFans() { return load("fans", []); }

  function showFan() {
    $("sim-fan-current").textContent = state.fan ? state.fan.value : "—";
    $("sim-fan-openid").textContent = state.fan && state.fan.openid && state.fan.openid !== state.fan.value
      ? state.fan.openid : "";
    var holder = $("sim-fan-recent");
    holder.textContent = "";
    recentFans().forEach(function (fan) {
      var chip = el("button", "btn btn-sm " + (state.fan && fan.kind === state.fan.kind && fan.value === state.fan.value
        ? "btn-secondary" : "btn-outline-secondary"), fan.value);
      chip.type = "button";
      chip.addEventListener("click", function () { choose(fan.kind, fan.value); });
      holder.appendChild(chip);
    });
  }

  function choose(kind, value) {
    var known = recentFans().filter(function (fan) { return !(fan.kind === kind && fan.value === value); });
    var previous = recentFans().filter(function (fan) { return fan.kind === kind && fan.value === value; })[0];
    state.fan = { kind: kind, value: value, openid: previous ? previous.openid : "" };
    save("fans", [state.fan].concat(known).slice(0, 8));
    save("current", state.fan);
    state.entries = load(chatKey(), []);
    showFan();
    redraw();
  }

  function rememberOpenid(openid) {
    if (!state.fan || !openid) { return; }
    state.fan.openid = openid;
    save("current", state.fan);
    save("fans", recentFans().map(function (fan) {
      return fan.kind === state.fan.kind && fan.value === state.fan.value ? state.fan : fan;
    }));
    showFan();
  }

  function fillKnownFans(fans) {
    var list = $("sim-known-fans");
    list.textContent = "";
    var values = $("sim-fan-kind").value === "name"
      ? DEFAULT_NAMES.concat(recentFans().filter(function (f) { return f.kind === "name"; }).map(function (f) { return f.value; }))
      : (fans || []).map(function (fan) { return fan.openid; });
    values.filter(function (value, index) { return values.indexOf(value) === index; }).forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      list.appendChild(option);
    });
  }

  var knownFans = [];

  function loadKnownFans() {
    api("GET", config.urls.fans).then(function (answer) {
      if (answer.ok) { knownFans = answer.data.fans || []; fillKnownFans(knownFans); }
    });
  }

  // -- talking to the simulator API -----------------------------------------------------
  function showExchange(answer) {
    $("sim-last-meta").textContent = fmt(text.meta, { status: answer.status, ms: answer.elapsed_ms, openid: answer.openid });
    $("sim-sent-xml").textContent = answer.sent_xml || "";
    $("sim-reply-xml").textContent = answer.reply_xml || "";
  }

  function failure(answer) {
    var error = (answer.data && answer.data.error) || {};
    var fields = error.fields || {};
    var details = Object.keys(fields).map(function (name) { return name + ": " + fields[name]; }).join(" · ");
    return fmt(text.error_status, { status: answer.status }) + " " + (error.message || "") + (details ? " " + details : "");
  }

  function setBusy(busy) {
    state.busy = busy;
    $("sim-send").disabled = busy;
    document.querySelectorAll("[data-sim-action]").forEach(function (button) { button.disabled = busy; });
  }

  function send(action, extra, shown) {
    if (!state.fan) {
      add({ who: "error", content: text.need_fan });
      return Promise.resolve();
    }
    if (shown) { add(shown); }
    setBusy(true);
    var body = Object.assign(fanBody(), extra || {});
    return api("POST", config.urls[action], body).then(function (answer) {
      if (!answer.ok) {
        add({ who: "error", content: failure(answer) });
        return;
      }
      var result = answer.data;
      rememberOpenid(result.openid);
      showExchange(result);
      if (result.error) {
        add({ who: "error", content: result.error });
      } else if (!result.replies.length) {
        add({ who: "system", content: text.no_reply });
      } else {
        result.replies.forEach(function (reply) { add(Object.assign({ who: "oa" }, reply)); });
      }
      if (action === "subscribe" || action === "unsubscribe") { loadKnownFans(); }
    }).catch(function () {
      add({ who: "error", content: text.network });
    }).then(function () { setBusy(false); });
  }

  // -- the menu -----------------------------------------------------------------------------
  function closeSubmenus() {
    submenus.textContent = "";
    document.querySelectorAll(".sim-menu-button.is-open").forEach(function (b) { b.classList.remove("is-open"); });
  }

  function tap(button) {
    closeSubmenus();
    var type = button.type;
    if (type === "click") {
      send("click", { key: button.key }, { who: "system", content: fmt(text.clicked, { name: button.name }) });
    } else if (type === "view") {
      add({ who: "system", content: fmt(text.clicked, { name: button.name }) + " " + text.view + "：", url: button.url });
    } else if (type === "miniprogram") {
      add({ who: "system", kind: "mini", content: text.miniprogram, pagepath: button.pagepath, appid: button.appid });
    } else {
      add({ who: "system", content: fmt(text.unsupported, { type: type || "?" }) });
    }
  }

  function openSubmenu(button, node) {
    var wasOpen = node.classList.contains("is-open");
    closeSubmenus();
    if (wasOpen) { return; }
    node.classList.add("is-open");
    var popup = el("div", "sim-submenu");
    button.sub_button.forEach(function (sub) {
      var item = el("button", null, sub.name);
      item.type = "button";
      item.addEventListener("click", function () { tap(sub); });
      popup.appendChild(item);
    });
    submenus.appendChild(popup);
    // Centre the popup over its button, inside the phone (CSSOM, which the CSP allows).
    var phone = submenus.getBoundingClientRect();
    var rect = node.getBoundingClientRect();
    var width = Math.max(popup.offsetWidth, rect.width - 12);
    popup.style.minWidth = width + "px";
    var left = Math.min(Math.max(rect.left - phone.left + rect.width / 2 - width / 2, 6), phone.width - width - 6);
    popup.style.left = left + "px";
    popup.style.setProperty("--sim-arrow", (rect.left - phone.left + rect.width / 2 - left) + "px");
  }

  function showMenu(buttons, published) {
    state.menu = buttons;
    var holder = $("sim-menu-buttons");
    holder.textContent = "";
    closeSubmenus();
    buttons.forEach(function (button) {
      var node = el("button", "sim-menu-button");
      node.type = "button";
      var subs = button.sub_button || [];
      if (subs.length) { node.appendChild(icon("list")); }
      node.appendChild(document.createTextNode(button.name));
      node.addEventListener("click", function () {
        if (subs.length) { openSubmenu(button, node); } else { tap(button); }
      });
      holder.appendChild(node);
    });
    var hasMenu = buttons.length > 0;
    $("sim-menubar").hidden = !hasMenu;
    $("sim-inputbar").hidden = hasMenu;
    $("sim-to-menu").hidden = !hasMenu;
    $("sim-menu-note").textContent = published && hasMenu ? fmt(text.menu_count, { n: buttons.length }) : text.menu_none;
  }

  function loadMenu() {
    return api("GET", config.urls.menu).then(function (answer) {
      if (answer.ok) { showMenu(answer.data.buttons || [], answer.data.published); }
    });
  }

  // -- wiring -------------------------------------------------------------------------------
  $("sim-inputbar").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("sim-text");
    var message = input.value.trim();
    if (!message || state.busy) { return; }
    input.value = "";
    send("text", { content: message }, { who: "fan", content: message });
  });

  $("sim-to-keyboard").addEventListener("click", function () {
    closeSubmenus();
    $("sim-menubar").hidden = true;
    $("sim-inputbar").hidden = false;
    $("sim-text").focus();
  });

  $("sim-to-menu").addEventListener("click", function () {
    $("sim-menubar").hidden = false;
    $("sim-inputbar").hidden = true;
  });

  chat.addEventListener("click", closeSubmenus);

  $("sim-fan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = $("sim-fan-kind").value;
    var value = $("sim-fan-value").value.trim();
    var error = $("sim-fan-error");
    error.textContent = "";
    if (!FAN_PATTERN[kind].test(value)) {
      error.textContent = $("sim-fan-value").getAttribute("data-invalid") || "A-Z a-z 0-9 _ -";
      return;
    }
    choose(kind, value);
  });

  $("sim-fan-kind").addEventListener("change", function () { fillKnownFans(knownFans); });

  document.querySelectorAll("[data-sim-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      var action = button.getAttribute("data-sim-action");
      var scene = $("sim-scene").value.trim();
      $("sim-scene-error").textContent = "";
      if ((action === "subscribe-scene" || action === "scan") && !scene) {
        $("sim-scene-error").textContent = text.need_scene;
        return;
      }
      if (action === "subscribe") {
        send("subscribe", {}, { who: "system", content: text.followed });
      } else if (action === "subscribe-scene") {
        send("subscribe", { scene: scene }, { who: "system", content: fmt(text.followed_scene, { scene: scene }) });
      } else if (action === "scan") {
        send("scan", { scene: scene }, { who: "system", content: fmt(text.scanned, { scene: scene }) });
      } else if (action === "unsubscribe") {
        send("unsubscribe", {}, { who: "system", content: text.unfollowed });
      } else if (action === "image") {
        send("image", {}, { who: "fan", kind: "image", media_id: "" });
      } else if (action === "location") {
        var place = { latitude: 23.1291, longitude: 113.2644, label: text.location_label };
        send("location", place, { who: "fan", kind: "location", label: text.location_label,
                                   detail: place.latitude + ", " + place.longitude });
      }
    });
  });

  $("sim-reload-menu").addEventListener("click", loadMenu);

  $("sim-clear").addEventListener("click", function () {
    if (!state.fan || !window.confirm($("sim-clear").getAttribute("data-confirm-text"))) { return; }
    state.entries = [];
    save(chatKey(), []);
    redraw();
  });

  $("sim-clock").textContent = clock(Date.now());
  var current = load("current", null);
  if (current && FAN_PATTERN[current.kind] && FAN_PATTERN[current.kind].test(current.value)) {
    choose(current.kind, current.value);
  } else {
    choose("name", DEFAULT_NAMES[0]);
  }
  $("sim-fan-kind").value = state.fan.kind;
  $("sim-fan-value").value = state.fan.value;
  loadMenu();
  loadKnownFans();
})();
