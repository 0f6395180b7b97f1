/* Evidence upload on the item page: files chosen or dropped on a step's "complete" form are
   uploaded at once, one request per file, with a progress bar each (XMLHttpRequest to
   POST /api/v1/evidence with the session's X-CSRF-Token); each uploaded file's SHA-256 then
   rides with the form as a hidden "evidence" field. Without JavaScript the same form sends
   the files itself (multipart). Also: the print button. */
(function () {
  "use strict";
  var th = document.documentElement.lang !== "en";
  var T = {
    uploading: th ? "กำลังอัปโหลด" : "Uploading",
    done: th ? "อัปโหลดแล้ว" : "uploaded",
    failed: th ? "อัปโหลดไม่สำเร็จ" : "upload failed",
    remove: th ? "นำออก" : "Remove",
    wait: th ? "กรุณารอให้อัปโหลดไฟล์เสร็จก่อน" : "Please wait for the uploads to finish",
  };

  function csrfOf(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function upload(form, list, file) {
    var li = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name + " — " + T.uploading;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", T.uploading + " " + file.name);
    li.appendChild(label);
    li.appendChild(bar);
    list.appendChild(li);
    form.dataset.pending = String(Number(form.dataset.pending || 0) + 1);

    var body = new FormData();
    body.append("data", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/evidence");
    xhr.setRequestHeader("X-CSRF-Token", csrfOf(form));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("loadend", function () {
      form.dataset.pending = String(Number(form.dataset.pending) - 1);
      var answer = {};
      try { answer = JSON.parse(xhr.responseText || "{}"); } catch (err) { answer = {}; }
      if (xhr.status === 201 && answer.sha256) {
        bar.value = 100;
        bar.remove();
        var kept = document.createElement("input");
        kept.type = "hidden";
        kept.name = "evidence";
        kept.value = answer.sha256;
        li.appendChild(kept);
        li.className = "uploaded";
        label.textContent = answer.name + " — " + T.done;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary";
        remove.textContent = T.remove;
        remove.setAttribute("aria-label", T.remove + " " + answer.name);
        remove.addEventListener("click", function () { li.remove(); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(remove);
      } else {
        bar.remove();
        li.className = "failed";
        label.textContent = file.name + " — " + T.failed + ": " +
          (answer.detail || answer.title || xhr.status || "");
      }
    });
    xhr.send(body);
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file][name=files]");
    var zone = form.querySelector(".dropzone");
    var list = form.querySelector(".uploads");
    if (!input || !zone || !list) return;
    zone.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    function send(files) {
      for (var i = 0; i < files.length; i++) upload(form, list, files[i]);
      input.value = ""; // sent already: the form must not send them again
    }
    input.addEventListener("change", function () { send(input.files); });
    zone.addEventListener("dragover", function (e) {
      e.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("dragging");
      if (e.dataTransfer && e.dataTransfer.files) send(e.dataTransfer.files);
    });
    form.addEventListener("submit", function (e) {
      if (Number(form.dataset.pending || 0) > 0) {
        e.preventDefault();
        window.alert(T.wait);
      }
    });
  }

  function ready() {
    document.querySelectorAll("form[data-evidence]").forEach(setUp);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
