// After signing out: forget the worksheet and notes text this browser kept for the person who
// signed out (the keys worksheet.js used), so the next person at a shared computer cannot read it.
// Other people's kept text stays: it may not have reached the server yet.
(function () {
  "use strict";
  const data = document.getElementById("kept-keys");
  if (!data) return;
  JSON.parse(data.textContent).forEach(function (key) {
    try { localStorage.removeItem(key); } catch (e) { /* storage off */ }
  });
  document.documentElement.dataset.keptTextCleared = "true";
})();
