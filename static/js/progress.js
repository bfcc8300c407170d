// Live count of the group's worksheets, refreshed every 15 seconds without reloading the page.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  function refresh() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) {
          ["not_started", "in_progress", "submitted"].forEach(function (key) {
            const el = box.querySelector('[data-count="' + key + '"]');
            if (el) el.textContent = data[key];
          });
        }
      })
      .catch(function () { /* offline: try again later */ })
      .finally(function () { setTimeout(refresh, 15000); });
  }
  setTimeout(refresh, 15000);
})();
