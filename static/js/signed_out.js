// After signing out, or on the first page after a session ended by its link: forget the worksheet
// and notes text this browser kept for that person (the keys worksheet.js used), so the next person
// at a shared computer cannot read it. Other people's kept text stays: it may not have reached the
// server yet. With data-keep-unsent (the link was revoked: a new one will come, and nobody could be
// asked), a record still holding text that never reached the server is kept too, to be sent then.
// The offline copies of pages the service worker kept (static/js/sw.js) go too, whoever's they are.
(function () {
  "use strict";
  if (window.caches) {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("pages-") === 0; }).map(function (name) {
        return caches.delete(name);
      }));
    }).catch(function () { /* no cache storage here */ }).then(function () {
      document.documentElement.dataset.offlineCopiesCleared = "true";
    });
  }
  const data = document.getElementById("kept-keys");
  if (!data) return;
  const script = document.currentScript;
  const keepUnsent = Boolean(script && script.dataset.keepUnsent === "true");
  function unsent(key) {
    try {
      const pending = JSON.parse(localStorage.getItem(key) || "{}");
      return Boolean(pending) && Object.keys(pending).length > 0;
    } catch (e) { return false; }
  }
  JSON.parse(data.textContent).forEach(function (key) {
    if (keepUnsent && unsent(key)) return;
    try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
  });
  document.documentElement.dataset.keptTextCleared = "true";
})();
