// The header's "Sign out": signing out clears the text this browser kept for the person. If some
// of it has not reached the server yet (typed offline), ask first, so nothing is lost unawares.
(function () {
  "use strict";
  const form = document.getElementById("sign-out");
  if (!form) return;
  form.addEventListener("submit", function (event) {
    if (window.offlineStore.unsent() && !window.confirm(form.dataset.unsent)) { event.preventDefault(); return; }
    // The person chose to leave (and, with unsent text, said so): pages that would ask again
    // before unloading (worksheet.js) hear it and let the page go.
    document.dispatchEvent(new CustomEvent("sign-out:leaving"));
  });
})();
