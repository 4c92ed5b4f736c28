// The console's rich-text fields (templates/admin/_rich_text.html): a wangEditor per field, its
// HTML kept in the field's hidden input, pictures from the media library.
(function () {
  "use strict";

  var words = JSON.parse(document.getElementById("rich-text-words").textContent);
  var wangEditor = window.wangEditor;

  // What a product description needs, and nothing the server drops or the mini-program cannot
  // show: no video, no code, no typed picture or link addresses.
  var TOOLBAR = [
    "headerSelect", "|",
    "bold", "italic", "underline", "through", "color", "bgColor", "fontSize", "clearStyle", "|",
    "bulletedList", "numberedList",
    { key: "group-justify", title: words.alignment, menuKeys: ["justifyLeft", "justifyCenter", "justifyRight"] },
    { key: "group-indent", title: words.indent, menuKeys: ["indent", "delIndent"] }, "|",
    "uploadImage", "insertTable", "divider", "blockquote", "|",
    "undo", "redo",
  ];
  var HOVERBAR = {
    text: { menuKeys: ["headerSelect", "bulletedList", "|", "bold", "through", "color", "clearStyle"] },
    image: { menuKeys: ["imageWidth30", "imageWidth50", "imageWidth100", "deleteImage"] },
  };

  // Pictures come from the media library's picker (every console page has it): picked or
  // uploaded there, so each is a library picture whose use is counted.
  function choosePictures() {
    if (!window.MediaPicker) { return Promise.resolve([]); }
    return window.MediaPicker.open({ multiple: true }).then(function (pictures) {
      return (pictures || []).map(function (picture) { return { url: picture.url, alt: picture.name || "" }; });
    });
  }

  function mount(field) {
    var stored = field.querySelector("input[type=hidden]");
    var status = field.querySelector("[data-rich-text-status]");
    var editor = wangEditor.createEditor({
      selector: field.querySelector("[data-rich-text-editor]"),
      html: stored.value || "<p><br></p>",
      mode: "default",
      config: {
        hoverbarKeys: HOVERBAR,
        MENU_CONF: {
          uploadImage: {
            customBrowseAndUpload: function (insert) {
              status.textContent = "";
              choosePictures().then(function (pictures) {
                pictures.forEach(function (picture) { insert(picture.url, picture.alt, ""); });
              });
            },
          },
        },
        onChange: function (changed) {
          stored.value = changed.isEmpty() ? "" : changed.getHtml();
        },
      },
    });
    wangEditor.createToolbar({
      editor: editor, selector: field.querySelector("[data-rich-text-toolbar]"), mode: "default",
      config: { toolbarKeys: TOOLBAR },
    });
    var editable = field.querySelector("[data-slate-editor]");
    if (editable) { editable.setAttribute("aria-labelledby", stored.id + "-label"); }
  }

  if (document.documentElement.lang === "en") { wangEditor.i18nChangeLanguage("en"); }
  document.querySelectorAll("[data-rich-text]").forEach(mount);
})();
