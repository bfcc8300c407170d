// The report-back page: full screen on request, and the groups' grid refreshed every few seconds (the page
// itself is fetched again and its grid swapped in), so late edits by rapporteurs appear without a reload,
// which would leave full screen.
(function () {
  "use strict";
  const board = document.getElementById("report-back");
  if (!board) return;
  const seconds = parseInt(board.dataset.refresh, 10) || 20;
  const offline = board.querySelector("[data-offline]");
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (board.requestFullscreen) board.requestFullscreen();
    });
  });
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        ["[data-grid]", "[data-updated]"].forEach(function (selector) {
          const now = fresh.querySelector(selector), here = board.querySelector(selector);
          if (now && here && now.innerHTML !== here.innerHTML) here.innerHTML = now.innerHTML;
        });
        if (offline) offline.hidden = true;
      })
      .catch(function () { if (offline) offline.hidden = false; })
      .finally(function () { setTimeout(refresh, seconds * 1000); });
  }
  setTimeout(refresh, seconds * 1000);
})();
