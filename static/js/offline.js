// Offline at the venue: the pages a person needs when the connection drops (my day, a worksheet,
// the facilitator's rotation and session page) register the service worker (static/js/sw.js,
// served at /sw.js) and say so when what is shown is the last copy kept on this device.
// window.offlineCopy.refresh(): the page changed on the server (a save went through), keep a
// fresh copy (one request once the saves have paused for a few seconds).
(function () {
  "use strict";
  const notice = document.getElementById("offline-copy");
  if (!notice) return;
  if (notice.dataset.offlineCopy === "cached") notice.hidden = false;
  if (!("serviceWorker" in navigator)) return;
  const workers = navigator.serviceWorker;
  const REFRESH_MS = 5000;
  let refreshTimer = null;

  function ask(fetch) {
    workers.ready.then(function (registration) {
      const worker = workers.controller || registration.active;
      if (worker) worker.postMessage({ keep: location.href, fetch: fetch });
    });
  }
  workers.addEventListener("message", function (event) {
    if (event.data && event.data.kept === location.href) document.documentElement.dataset.offlineCopyKept = "true";
  });
  workers.register(notice.dataset.worker, { scope: "/" }).catch(function () { /* no offline copies */ });
  // The first visit went by before the worker ran: ask it to keep this page. A cached copy stays.
  if (notice.dataset.offlineCopy === "live") ask(!workers.controller);
  window.offlineCopy = {
    refresh: function () {
      clearTimeout(refreshTimer);  // once the saves pause: one request, not one per save
      refreshTimer = setTimeout(function () { ask(true); }, REFRESH_MS);
    },
  };
})();
