// A solver run's page: poll its status while it runs, then reload to show the proposal.
(function () {
  "use strict";
  const box = document.getElementById("run");
  if (!box || box.dataset.finished === "true") return;
  const bar = document.getElementById("run-progress");
  const statusEl = document.getElementById("run-status");
  const started = Date.now();
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        statusEl.textContent = data.status_label;
        const elapsed = (Date.now() - started) / 1000;
        if (bar) bar.style.width = Math.min(100, (100 * elapsed) / data.time_limit) + "%";
        // Finished, or taken from the queue by a worker (the "waiting for a worker" line goes): reload.
        if (data.finished || data.status !== box.dataset.status) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
