/* Staff upload page: drag and drop, a file list and an upload progress bar.
 *
 * Progressive enhancement only: without this script the page is a plain
 * multi-file form that posts and redirects to its result table. With it, the
 * same form is sent by XMLHttpRequest (whose upload.onprogress reports bytes
 * sent), then the browser goes to the result page the server redirected to.
 * File names are inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  function formatSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (bytes >= 1024) return (bytes / 1024).toFixed(0) + " KB";
    return bytes + " B";
  }

  function init() {
    var form = document.getElementById("upload-form");
    if (!form || !window.FormData || !window.XMLHttpRequest) return;
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector(".drop-zone");
    var list = document.getElementById("upload-list");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button[type=submit]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;

    function showFiles() {
      list.textContent = "";
      var files = input.files || [];
      for (var i = 0; i < files.length; i++) {
        var item = document.createElement("li");
        item.textContent = files[i].name + " · " + formatSize(files[i].size);
        if (maxBytes && files[i].size > maxBytes) {
          item.className = "too-large";
          item.textContent += " · 超过上限，将被拒绝 / over the limit";
        }
        list.appendChild(item);
      }
      list.hidden = files.length === 0;
    }

    input.addEventListener("change", showFiles);
    // Files chosen before this deferred script ran (a quick user, or a browser
    // restoring the form on back navigation) are listed too.
    showFiles();
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showFiles();
      }
    });

    form.addEventListener("submit", function (event) {
      if (!input.files || input.files.length === 0) return; // let the server say so
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.pathname);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        status.textContent = "上传中 / uploading " + percent + "%";
        if (percent >= 100) {
          bar.removeAttribute("value"); // indeterminate while the server works
          status.textContent = "处理中，请稍候 / processing…";
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL + "#results");
        } else {
          status.textContent = "上传失败 / upload failed (HTTP " + xhr.status + ")";
          button.disabled = false;
        }
      });
      xhr.addEventListener("error", function () {
        status.textContent = "网络错误，未完成上传 / network error";
        button.disabled = false;
      });
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      status.textContent = "上传中 / uploading 0%";
      xhr.send(new FormData(form));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
