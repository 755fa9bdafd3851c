// zhibu 工作台: the only script. It turns a drop into an upload and polls for progress.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-poll");
    var wasRunning = !!box.querySelector("[data-state='running']");
    var timer = setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          box.innerHTML = html;
          var go = box.querySelector("[data-go]");
          if (go && box.hasAttribute("data-follow")) { window.location.href = go.getAttribute("href"); }
          var pending = box.querySelector("[data-pending]");
          var state = box.querySelector("[data-state]");
          var finished = state && state.getAttribute("data-state") !== "running";
          if ((pending && pending.getAttribute("data-pending") === "0") || finished) { clearInterval(timer); }
          // A finished job changed the files the page lists: show them.
          if (finished && wasRunning && box.hasAttribute("data-reload")) { window.location.reload(); }
        })
        .catch(function () { clearInterval(timer); });
    }, 1000);
  }
  document.querySelectorAll("[data-poll]").forEach(poll);

  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  var form = document.getElementById("upload-form");
  if (drop && input && form) {
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; form.submit(); }
    });
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      document.getElementById("chosen").textContent = names.length ? "已选择：" + names.join("、") : "没有选择文件";
    });
  }
})();
