// The picture picker (图片空间 dialog) and the form fields built on it, on every console page.
//   window.MediaPicker.open({multiple, max}) -> Promise<[{id, url, thumb_url, width, height, name}]>
// resolves [] when cancelled. `url` is the web size (what products and categories store).
// window.MediaUpload.send(file, folderId, onProgress) uploads one file (the library page uses it too).
(function () {
  "use strict";

  var picker = null;       // the dialog's Alpine component, once Alpine has started
  var waiting = [];        // open() calls made before that

  function open(options) {
    return new Promise(function (resolve) {
      if (picker) { picker.start(options || {}, resolve); } else { waiting.push([options || {}, resolve]); }
    });
  }

  // One file, multipart `files`, with upload progress (fetch() has none); resolves {ok, status, data}.
  function send(file, folderId, onProgress) {
    return new Promise(function (resolve) {
      var form = new FormData();
      form.append("files", file, file.name);
      form.append("folder_id", folderId ? String(folderId) : "");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", document.body.getAttribute("data-media-upload"));
      xhr.setRequestHeader("X-CSRFToken", window.FenxiaoConsole.csrfToken);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable && onProgress) { onProgress(Math.round(100 * event.loaded / event.total)); }
      };
      xhr.onload = function () {
        var data = {};
        try { data = JSON.parse(xhr.responseText); } catch (error) { data = {}; }
        resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, data: data });
      };
      xhr.onerror = function () { resolve({ ok: false, status: 0, data: {} }); };
      xhr.send(form);
    });
  }

  function refusal(answer) {
    var error = answer.data && answer.data.error;
    if (!error) { return answer.status === 413 ? "413" : String(answer.status || ""); }
    return (error.fields && error.fields.files) || error.message;
  }

  // <button data-media-pick-absolute> beside a text input: fill it with a picture's full address
  // (WeChat fetches a news article's cover from PUBLIC_BASE_URL, so a path alone will not do).
  // Delegated, so rows a page's script adds later get it too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-media-pick-absolute]");
    if (!button) { return; }
    var input = button.parentElement.querySelector("input");
    open({ multiple: false }).then(function (chosen) {
      if (!chosen.length) { return; }
      input.value = new URL(chosen[0].url, document.body.getAttribute("data-public-base") || window.location.origin).href;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });

  window.MediaPicker = { open: open };
  window.MediaUpload = { send: send, refusal: refusal };

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("mediaPicker", function () {
      return {
        tab: "library", folders: [], folderId: "", query: "", files: [], nextBefore: null, loading: false,
        selected: [], multiple: false, max: 1, uploads: [], dragging: false, resolve: null, modal: null,

        init: function () {
          var self = this;
          this.modal = window.bootstrap.Modal.getOrCreateInstance(this.$el);
          this.$el.addEventListener("hidden.bs.modal", function () { self.finish([]); });
          picker = this;
          waiting.splice(0).forEach(function (call) { self.start(call[0], call[1]); });
        },
        start: function (options, resolve) {
          this.finish([]);  // a dialog still open answers nothing to its caller
          this.resolve = resolve;
          this.multiple = !!options.multiple;
          this.max = this.multiple ? (options.max || 9) : 1;
          this.selected = [];
          this.uploads = [];
          this.tab = "library";
          this.modal.show();
          this.load(true);
        },
        finish: function (result) {
          if (this.resolve) { var resolve = this.resolve; this.resolve = null; resolve(result); }
        },
        load: function (fresh) {
          var self = this;
          var params = new URLSearchParams({ folder: this.folderId, q: this.query });
          if (!fresh && this.nextBefore) { params.set("before", String(this.nextBefore)); }
          this.loading = true;
          return window.FenxiaoConsole.api("GET", this.$root.getAttribute("data-files") + "?" + params).then(function (answer) {
            self.loading = false;
            if (!answer.ok) { return; }
            self.folders = answer.data.folders;
            self.files = fresh ? answer.data.files : self.files.concat(answer.data.files);
            self.nextBefore = answer.data.next_before;
          });
        },
        showFolder: function (id) { this.folderId = id; this.load(true); },
        isFolder: function (id) { return String(this.folderId) === String(id); },
        search: function () { this.load(true); },
        more: function () { this.load(false); },
        isSelected: function (file) { return this.selected.some(function (item) { return item.id === file.id; }); },
        order: function (file) {
          var index = this.selected.findIndex(function (item) { return item.id === file.id; });
          return index < 0 ? "" : String(index + 1);
        },
        toggle: function (file) {
          if (this.isSelected(file)) {
            this.selected = this.selected.filter(function (item) { return item.id !== file.id; });
          } else if (!this.multiple) {
            this.selected = [file];
          } else if (this.selected.length < this.max) {
            this.selected = this.selected.concat([file]);
          }
        },
        full: function () { return this.multiple && this.selected.length >= this.max; },
        confirm: function () {
          var chosen = this.selected.map(function (file) {
            return { id: file.id, url: file.url, thumb_url: file.thumb_url, width: file.width,
                     height: file.height, name: file.name };
          });
          this.finish(chosen);
          this.modal.hide();
        },
        chooseFiles: function (event) { this.upload(event.target.files); event.target.value = ""; },
        dropFiles: function (event) { this.dragging = false; this.upload(event.dataTransfer.files); },
        upload: function (list) {
          var self = this;
          Array.prototype.forEach.call(list, function (file) {
            var item = { name: file.name, progress: 0, error: "", done: false };
            self.uploads.push(item);
            var row = self.uploads[self.uploads.length - 1];  // Alpine's reactive copy
            send(file, self.folderId === "0" ? "" : self.folderId, function (percent) { row.progress = percent; })
              .then(function (answer) {
                row.done = true;
                if (!answer.ok) { row.error = refusal(answer); return; }
                row.progress = 100;
                answer.data.files.forEach(function (picture) {
                  self.files = [picture].concat(self.files.filter(function (f) { return f.id !== picture.id; }));
                  if (!self.isSelected(picture)) { self.toggle(picture); }
                });
              });
          });
        }
      };
    });

    // One picture: a thumbnail, 选择图片 / 移除, and a hidden input holding its URL.
    window.Alpine.data("pictureField", function () {
      return {
        url: "",
        init: function () { this.url = this.$el.getAttribute("data-value") || ""; },
        pick: function () {
          var self = this;
          open({ multiple: false }).then(function (chosen) { if (chosen.length) { self.url = chosen[0].url; } });
        },
        remove: function () { this.url = ""; }
      };
    });

    // A form posting one picture's URL as soon as it is chosen (a poster template's background).
    window.Alpine.data("pictureSubmit", function () {
      return {
        pick: function () {
          var form = this.$root;
          open({ multiple: false }).then(function (chosen) {
            if (!chosen.length) { return; }
            form.querySelector("input[name=url]").value = chosen[0].url;
            form.requestSubmit();
          });
        }
      };
    });

    // Several pictures in order (the first is the cover): add from the picker, drag to reorder, remove.
    window.Alpine.data("galleryField", function () {
      return {
        urls: [], max: 9, generation: 0,
        init: function () {
          this.max = parseInt(this.$el.getAttribute("data-max"), 10) || 9;
          this.urls = JSON.parse(this.$el.getAttribute("data-values") || "[]");
          // Sortable's pointer mode drags a copy of the picture inside the list; Alpine must not
          // start that copy's bindings outside x-for (x-for starts the items it adds itself).
          this.$el.querySelector(".gallery-list")._x_ignoreMutationObserver = true;
        },
        joined: function () { return this.urls.join("\n"); },
        // new keys after a drag: x-for draws the list afresh instead of reconciling Sortable's moves
        keyOf: function (url) { return this.generation + ":" + url; },
        room: function () { return this.max - this.urls.length; },
        add: function () {
          var self = this;
          open({ multiple: true, max: this.room() }).then(function (chosen) {
            var fresh = chosen.map(function (picture) { return picture.url; })
              .filter(function (url) { return self.urls.indexOf(url) < 0; });
            self.urls = self.urls.concat(fresh).slice(0, self.max);
          });
        },
        remove: function (url) { this.urls = this.urls.filter(function (item) { return item !== url; }); },
        // after a drag the list's DOM is in the new order: read it back (Sortable counts differently from x-for)
        reordered: function () {
          this.urls = Array.prototype.map.call(this.$refs.list.querySelectorAll("[data-url]"), function (node) {
            return node.getAttribute("data-url");
          });
          this.generation += 1;
        }
      };
    });
  });
})();
