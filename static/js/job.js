// A background job's page: poll its status, move the bar, reload once it is finished (ready or failed).
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box) return;
  const bar = document.getElementById("job-progress");
  const meter = bar.parentElement;

  function show(data) {
    bar.style.width = data.percent + "%";
    meter.setAttribute("aria-valuenow", String(data.done));
    meter.setAttribute("aria-valuemax", String(data.total));
    ["state_label", "progress_text"].forEach(function (key) {
      const el = box.querySelector('[data-field="' + key + '"]');
      if (el) el.textContent = key === "progress_text" && data.total ? " · " + data[key] : data[key];
    });
  }

  bar.style.width = bar.dataset.percent + "%";
  if (box.dataset.state === "done" || box.dataset.state === "failed") return;

  let delay = 1000;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { delay = Math.min(delay * 2, 15000); setTimeout(poll, delay); return; }
        show(data);
        if (data.finished) { window.location.reload(); return; }
        delay = 1000;
        setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();
