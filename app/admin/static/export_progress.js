// The export page's progress bar: polls the export's JSON until it is done or failed.
(function () {
  "use strict";

  var box = document.getElementById("export-progress");
  if (!box || !window.FenxiaoConsole) { return; }
  var lib = window.FenxiaoConsole;
  var bar = box.querySelector(".export-bar");
  var statusText = box.querySelector(".export-status");
  var countText = box.querySelector(".export-count");
  var errorBox = box.querySelector(".export-error");
  var errorText = box.querySelector(".export-error-text");
  var download = box.querySelector(".export-download");
  var POLL_MS = 1000;
  var failures = 0;

  function finished(status) { return status === "done" || status === "failed"; }

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    statusText.textContent = data.status_label;
    countText.textContent = lib.fmt(box.getAttribute("data-count-text"),
                                    { done: data.done_rows, total: data.total_rows });
    if (data.status === "failed") {
      errorText.textContent = data.error;
      errorBox.classList.remove("d-none");
    }
    if (data.status === "done" && data.download_url) {
      download.href = data.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    lib.api("GET", box.getAttribute("data-url")).then(function (answer) {
      if (!answer.ok) { throw new Error("status " + answer.status); }
      failures = 0;
      show(answer.data);
      if (!finished(answer.data.status)) { window.setTimeout(poll, POLL_MS); }
    }).catch(function () {
      failures += 1;  // a dropped connection: back off, give up after a while
      if (failures < 10) { window.setTimeout(poll, POLL_MS * failures); }
    });
  }

  if (!finished(box.getAttribute("data-status"))) { window.setTimeout(poll, POLL_MS); }
})();
