// 图片空间: upload by drag-and-drop or the file input, one request per file with its progress;
// the page reloads once every file has answered, to show them in the grid.
document.addEventListener("alpine:init", function () {
  "use strict";
  window.Alpine.data("mediaUploader", function () {
    return {
      uploads: [], dragging: false, pending: 0,
      chooseFiles: function (event) { this.upload(event.target.files); event.target.value = ""; },
      dropFiles: function (event) { this.dragging = false; this.upload(event.dataTransfer.files); },
      upload: function (list) {
        var self = this;
        var folder = this.$root.getAttribute("data-folder");
        var failed = false;
        Array.prototype.forEach.call(list, function (file) {
          self.uploads.push({ name: file.name, progress: 0, error: "", done: false });
          var row = self.uploads[self.uploads.length - 1];
          self.pending += 1;
          window.MediaUpload.send(file, folder, function (percent) { row.progress = percent; }).then(function (answer) {
            row.done = true;
            if (answer.ok) { row.progress = 100; } else { row.error = window.MediaUpload.refusal(answer); failed = true; }
            self.pending -= 1;
            if (self.pending === 0 && !failed) { window.location.reload(); }
          });
        });
      }
    };
  });
});
