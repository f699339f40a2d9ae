// formgen's page: progress of running jobs, paging through a preview, filtering the problem table,
// showing the chosen layout's options. Plain JavaScript, no libraries.
"use strict";

function poll(url, every, onStatus) {
  function tick() {
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (onStatus(s) !== false) { setTimeout(tick, every); } })
      .catch(function () { setTimeout(tick, every * 2); });
  }
  tick();
}

function watchJob(box) {
  var bar = box.querySelector("[data-job-progress]");
  var text = box.querySelector("[data-job-text]");
  poll(box.dataset.jobStatus, 600, function (s) {
    if (s.status === "done" || s.status === "failed") { window.location.reload(); return false; }
    if (s.status === "running") {
      if (s.total > 0) {
        bar.max = s.total; bar.value = s.done;
        text.textContent = "正在处理：第 " + s.done + " 条，共 " + s.total + " 条";
      } else {
        text.textContent = "正在处理，请稍候…";
      }
    }
  });
}

function pager(box) {
  var img = box.querySelector("[data-page]");
  var label = box.querySelector("[data-page-label]");
  var more = box.querySelector("[data-more]");
  var prev = box.querySelector("[data-prev]");
  var next = box.querySelector("[data-next]");
  var base = box.dataset.pageUrl.replace(/0\.png$/, "");
  var page = 1, pages = 0, complete = false, shown = 0;
  function show() {
    if (pages < 1) { return; }
    page = Math.max(1, Math.min(page, pages));
    if (shown !== page) {
      img.src = base + page + ".png"; shown = page;
      // in the address at once: a reload takes the address before any unload handler could change it
      history.replaceState(null, "", "#p" + page);
    }
    img.hidden = false;
    label.textContent = "第 " + page + " 页，共 " + pages + " 页";
    more.textContent = complete ? "" : "（其余的页正在生成…）";
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
  }
  prev.addEventListener("click", function () { page -= 1; show(); });
  next.addEventListener("click", function () { page += 1; show(); });
  var fromHash = /^#p(\d+)$/.exec(window.location.hash);
  if (fromHash) { page = parseInt(fromHash[1], 10); }
  poll(box.dataset.status, 500, function (s) {
    if (s.status === "failed") { window.location.reload(); return false; }
    if (s.pages !== undefined) { pages = s.pages; complete = s.complete; show(); }
    if (s.status === "done") {
      // The page was served before the job ended: once more, to show the problems found.
      if (box.dataset.done !== "1") { window.location.reload(); return false; }
      if (pages === 0) { label.textContent = "没有可以预览的页（所有记录都有错误，请看下面的问题）"; }
      return false;
    }
  });
}

function filterTable(box) {
  var table = document.getElementById(box.dataset.filterTable);
  var level = box.querySelector("[data-filter-level]");
  var text = box.querySelector("[data-filter-text]");
  var count = box.querySelector("[data-filter-count]");
  function apply() {
    var wanted = text.value.trim(), shown = 0, rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var ok = (!level.value || rows[i].dataset.level === level.value) &&
               (!wanted || rows[i].textContent.indexOf(wanted) >= 0);
      rows[i].hidden = !ok;
      if (ok) { shown += 1; }
    }
    count.textContent = "显示 " + shown + " / " + rows.length + " 条";
  }
  level.addEventListener("change", apply);
  text.addEventListener("input", apply);
  apply();
}

function layoutChoice(form) {
  var radios = form.querySelectorAll("[data-layout]");
  function apply() {
    form.querySelectorAll("[data-options-for]").forEach(function (set) {
      var on = form.querySelector("[data-layout='" + set.dataset.optionsFor + "']").checked;
      set.hidden = !on; set.disabled = !on;
    });
    radios.forEach(function (r) { r.closest(".layout-card").classList.toggle("on", r.checked); });
  }
  radios.forEach(function (r) { r.addEventListener("change", apply); });
  apply();
}

function retryThumbnails() {
  // A layout's sample picture is made by the worker the first time the page lists it: asked for again
  // while it is being made (404), given up when it cannot be made (410).
  document.querySelectorAll("img[data-retry]").forEach(function (img) {
    var tries = 0, base = img.src.split("?")[0];
    function none() {
      var text = document.createElement("span");
      text.className = "nosample";
      text.textContent = "（没有样张）";
      img.replaceWith(text);
    }
    img.addEventListener("error", function () {
      tries += 1;
      fetch(base, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
        if (r.status === 410 || tries > 400) { none(); return; }
        setTimeout(function () { img.src = base + "?t=" + tries; }, r.ok ? 0 : 1500);
      }).catch(function () { setTimeout(function () { img.src = base + "?t=" + tries; }, 3000); });
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-job-status]").forEach(watchJob);
  document.querySelectorAll("[data-pager]").forEach(pager);
  document.querySelectorAll("[data-filter-table]").forEach(filterTable);
  document.querySelectorAll("#layout-form").forEach(layoutChoice);
  document.querySelectorAll("[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) { if (history.length > 1) { e.preventDefault(); history.back(); } });
  });
  retryThumbnails();
});
