// A batch of invitations being sent: poll its counts, move the bar, reload once it is finished (or stuck).
(function () {
  "use strict";
  const box = document.getElementById("batch");
  if (!box) return;
  const bar = document.getElementById("batch-progress");
  const meter = bar ? bar.parentElement : null;

  function show(sent, total) {
    if (!bar) return;
    bar.style.width = (total ? (100 * sent) / total : 0) + "%";
    meter.setAttribute("aria-valuenow", String(sent));
    meter.setAttribute("aria-valuemax", String(total));
  }

  function set(key, value) {
    const el = box.querySelector('[data-count="' + key + '"]');
    if (el) el.textContent = value;
  }

  show(Number(bar && bar.dataset.sent), Number(bar && bar.dataset.total));
  if (box.dataset.finished === "true") return;

  let delay = 1500;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { delay = Math.min(delay * 2, 15000); setTimeout(poll, delay); return; }
        set("sent", data.sent);
        set("waiting", data.queued + data.sending);
        set("failed", data.failed);
        set("total", data.total);
        show(data.sent, data.total);
        // Finished, or a worker found (or found missing) since the page was shown: show it as it is now.
        if (data.finished || String(data.no_worker) !== box.dataset.noWorker) { window.location.reload(); return; }
        delay = 1500;
        setTimeout(poll, delay);
      })
      .catch(function () { delay = Math.min(delay * 2, 15000); setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();

// A personal link shown to its organiser: copy it with one click (the field stays selectable by hand).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.copy);
      if (!field) return;
      field.select();
      const done = function () { button.textContent = button.dataset.copied; };
      const byHand = function () { if (document.execCommand("copy")) done(); };  // older browsers, or no permission
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
})();
