// Official-account reply pages: the reply editor (kind panels, news article rows, keyword rows)
// and its live WeChat-like preview, drawn with the same markup the server renders.
// No innerHTML with the merchant's text: every value goes in through textContent.
(function () {
  "use strict";

  // List pages: a switch submits its form (enable / disable).
  document.querySelectorAll("[data-autosubmit]").forEach(function (input) {
    input.addEventListener("change", function () {
      var form = input.form;
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });

  var form = document.querySelector("[data-reply-form]");
  if (!form) { return; }
  var preview = document.querySelector("[data-reply-preview]");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function icon(name) { return el("i", "bi bi-" + name); }

  function format(template, value) { return (template || "{}").replace("{}", value); }

  // -- kind panels ------------------------------------------------------------------------
  function chosenKind(scope) {
    if (scope === "content") {
      var checked = form.querySelector("input[name='kind']:checked");
      return checked ? checked.value : "";
    }
    var select = form.querySelector("[data-kind-choices='" + scope + "']");
    return select ? select.value : "";
  }

  function syncPanels() {
    ["content", "content.fallback.content"].forEach(function (scope) {
      var kind = chosenKind(scope);
      form.querySelectorAll("[data-kind-panel][data-scope='" + scope + "']").forEach(function (panel) {
        panel.classList.toggle("d-none", panel.getAttribute("data-kind-panel") !== kind);
      });
    });
  }

  // -- rows: news articles and keywords, renumbered so names stay contiguous paths -----------
  function renumberArticles(list) {
    var prefix = list.getAttribute("data-prefix");
    var rows = list.querySelectorAll(":scope > [data-article]");
    rows.forEach(function (row, index) {
      var number = row.querySelector("[data-article-number]");
      number.textContent = number.textContent.replace(/\d+/, String(index + 1));
      row.querySelectorAll("[data-field]").forEach(function (input) {
        var name = prefix + ".articles." + index + "." + input.getAttribute("data-field");
        input.name = name;
        input.id = "f-" + name;
      });
      row.querySelectorAll("[data-label-for]").forEach(function (label) {
        label.htmlFor = "f-" + prefix + ".articles." + index + "." + label.getAttribute("data-label-for");
      });
    });
    var add = list.parentElement.querySelector("[data-add-article]");
    if (add) { add.disabled = rows.length >= Number(list.getAttribute("data-max") || 8); }
  }

  function renumberKeywords(list) {
    list.querySelectorAll("[data-keyword]").forEach(function (row, index) {
      row.querySelectorAll("[data-field]").forEach(function (input) {
        input.name = "keywords." + index + "." + input.getAttribute("data-field");
      });
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !form.contains(button)) { return; }
    var articles = button.closest("[data-kind-panel='news']");
    if (button.hasAttribute("data-add-article")) {
      var list = articles.querySelector("[data-articles]");
      var template = articles.querySelector("template[data-article-template]");
      list.appendChild(template.content.cloneNode(true));
      renumberArticles(list);
      var rows = list.querySelectorAll(":scope > [data-article]");
      rows[rows.length - 1].querySelector("input").focus();
    } else if (button.hasAttribute("data-remove-article") || (button.hasAttribute("data-move") && button.closest("[data-article]"))) {
      var row = button.closest("[data-article]");
      var parent = row.parentElement;
      if (button.hasAttribute("data-remove-article")) {
        if (parent.querySelectorAll(":scope > [data-article]").length > 1) { row.remove(); }
      } else if (button.getAttribute("data-move") === "-1" && row.previousElementSibling) {
        parent.insertBefore(row, row.previousElementSibling);
      } else if (button.getAttribute("data-move") === "1" && row.nextElementSibling) {
        parent.insertBefore(row.nextElementSibling, row);
      }
      renumberArticles(parent);
    } else if (button.hasAttribute("data-add-keyword")) {
      var keywords = form.querySelector("[data-keywords]");
      var rowsNow = keywords.querySelectorAll("[data-keyword]");
      if (rowsNow.length >= Number(keywords.getAttribute("data-max") || 20)) { return; }
      var copy = rowsNow[0].cloneNode(true);
      copy.querySelector("[data-field='text']").value = "";
      copy.querySelector("[data-field='text']").classList.remove("is-invalid");
      copy.querySelector("[data-field='match']").value = "exact";
      keywords.appendChild(copy);
      renumberKeywords(keywords);
      copy.querySelector("[data-field='text']").focus();
    } else if (button.hasAttribute("data-remove-keyword")) {
      var keywordList = form.querySelector("[data-keywords]");
      if (keywordList.querySelectorAll("[data-keyword]").length > 1) {
        button.closest("[data-keyword]").remove();
        renumberKeywords(keywordList);
      }
    } else {
      return;
    }
    render();
  });

  // -- reading the form -----------------------------------------------------------------
  function value(name) {
    var field = form.elements.namedItem(name);
    return field && field.value !== undefined ? field.value.trim() : "";
  }

  function readContent(scope, kind) {
    var content = {};
    if (kind === "text") {
      content.content = value(scope + ".content");
    } else if (kind === "news") {
      var panel = form.querySelector("[data-kind-panel='news'][data-scope='" + scope + "']");
      content.articles = Array.prototype.map.call(panel.querySelectorAll("[data-articles] > [data-article]"), function (row) {
        var article = {};
        row.querySelectorAll("[data-field]").forEach(function (input) {
          article[input.getAttribute("data-field")] = input.value.trim();
        });
        return article;
      });
    } else if (kind === "image") {
      content.media_id = value(scope + ".media_id");
    } else if (kind === "music") {
      ["title", "description", "music_url"].forEach(function (name) { content[name] = value(scope + "." + name); });
    } else if (kind === "custom") {
      content.url = value("content.url");
      var fallbackKind = chosenKind("content.fallback.content");
      content.fallback = fallbackKind
        ? { kind: fallbackKind, content: readContent("content.fallback.content", fallbackKind) } : null;
    }
    return content;
  }

  // -- drawing the preview (the markup of reply_bubble / reply_rows in _macros.html) ----------
  function sameOrigin(url) {
    try { return new URL(url, window.location.href).origin === window.location.origin; } catch (error) { return false; }
  }

  function picture(url, className) {
    if (url && sameOrigin(url)) {
      var image = el("img", className);
      image.alt = "";
      image.src = url;
      return image;
    }
    var placeholder = el("span", className + " wx-picture-placeholder");
    placeholder.appendChild(icon("image"));
    return placeholder;
  }

  function bubble(kind, content) {
    if (kind === "text") {
      return el("div", "wx-bubble", content.content || "…");
    }
    if (kind === "news") {
      var articles = content.articles || [];
      var card = el("div", "wx-news");
      if (articles.length === 1) {
        card.appendChild(el("div", "wx-news-head", articles[0].title || "…"));
        card.appendChild(picture(articles[0].picurl, "wx-news-cover"));
        if (articles[0].description) { card.appendChild(el("div", "wx-news-desc", articles[0].description)); }
        return card;
      }
      if (!articles.length) { return el("div", "wx-bubble text-muted", "…"); }
      var top = el("div", "wx-news-top");
      top.appendChild(picture(articles[0].picurl, "wx-news-cover"));
      top.appendChild(el("div", "wx-news-overlay", articles[0].title || "…"));
      card.appendChild(top);
      articles.slice(1).forEach(function (article) {
        var item = el("div", "wx-news-item");
        item.appendChild(el("span", "", article.title || "…"));
        item.appendChild(picture(article.picurl, "wx-news-thumb"));
        card.appendChild(item);
      });
      return card;
    }
    if (kind === "image") {
      var image = el("div", "wx-image");
      image.appendChild(icon("image"));
      image.appendChild(el("span", "", content.media_id || "media_id"));
      return image;
    }
    if (kind === "music") {
      var music = el("div", "wx-music");
      var badge = el("span", "wx-music-icon");
      badge.appendChild(icon("music-note-beamed"));
      var text = el("span", "wx-music-text");
      text.appendChild(el("span", "wx-music-title", content.title || preview.getAttribute("data-text-music")));
      text.appendChild(el("span", "wx-music-desc", content.description || content.music_url || ""));
      music.appendChild(badge);
      music.appendChild(text);
      return music;
    }
    var system = el("div", "wx-system");
    system.appendChild(icon("hdd-network"));
    system.appendChild(document.createTextNode(" " + format(preview.getAttribute("data-text-forwarded"), content.url || "…")));
    return system;
  }

  function accountRow(kind, content) {
    var row = el("div", "wx-row wx-in");
    var avatar = el("span", "wx-avatar wx-avatar-oa");
    avatar.appendChild(icon("shop"));
    row.appendChild(avatar);
    row.appendChild(bubble(kind, content));
    return row;
  }

  function replyRows(kind, content) {
    if (kind !== "custom") { return [accountRow(kind, content)]; }
    var note = el("div", "wx-note");
    note.appendChild(bubble(kind, content));
    if (content.fallback) {
      return [note, el("div", "wx-note", preview.getAttribute("data-text-fallback")),
        accountRow(content.fallback.kind, content.fallback.content)];
    }
    return [note, el("div", "wx-note", preview.getAttribute("data-text-no-fallback"))];
  }

  function render() {
    syncPanels();
    form.querySelectorAll("[data-count]").forEach(function (area) {
      var counter = area.parentElement.querySelector("[data-counter]");
      if (counter) { counter.textContent = area.value.length + "/" + area.getAttribute("data-count"); }
    });
    if (!preview) { return; }
    var context = preview.querySelector("[data-preview-context]");
    var source = form.querySelector("[data-preview-source]");
    if (context && source && context.getAttribute("data-format") && source.value.trim()) {
      context.textContent = format(context.getAttribute("data-format"), source.value.trim());
    }
    var kind = chosenKind("content");
    var output = preview.querySelector("[data-preview-output]");
    output.replaceChildren.apply(output, replyRows(kind, readContent("content", kind)));
  }

  form.addEventListener("input", render);
  form.addEventListener("change", render);
  form.querySelectorAll("[data-articles]").forEach(renumberArticles);
  render();
})();
