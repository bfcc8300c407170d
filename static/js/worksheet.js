// Worksheet autosave: every keystroke is kept in this browser until the server confirms it.
// Each save carries the revision it was based on; a stale one comes back 409 with the stored
// version, and the person chooses which to keep. Nothing is overwritten silently.
// Every autosave form of the page on its own (a facilitator's page has the notes and the group's summary).
// The unsent edits live in static/js/offline_store.js (each with the revision it was based on):
// a reload, also of the copy the service worker kept while offline (static/js/sw.js), puts them
// back in their fields (they win over the copy's older text) and sends them when the connection
// returns.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosave-url]").forEach(autosaveForm);
  function autosaveForm(form) {
  if (form.dataset.editable !== "true") return;
  const url = form.dataset.autosaveUrl;
  const storageKey = form.dataset.storageKey;
  const stateEl = form.querySelector(".save-state") || document.getElementById("save-state");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const DEBOUNCE_MS = 800, RETRY_MS = 5000;
  const store = window.offlineStore;
  const pending = load();
  const timers = {}, inFlight = {};
  let retryTimer = null;
  let ended = false;  // the session ended (link expired or revoked): nothing more can be sent

  function load() { return store.read(storageKey); }
  function persist() { store.write(storageKey, pending); }
  function setState(name, detail) {
    stateEl.dataset.state = name;
    stateEl.textContent = stateEl.dataset[name] + (detail ? " " + detail : "");
  }
  function fieldsetOf(id) { return form.querySelector('fieldset[data-question="' + id + '"]'); }
  function valueOf(fs) {
    if (fs.dataset.kind === "scale") {
      const checked = fs.querySelector("input[type=radio]:checked");
      return checked ? parseInt(checked.value, 10) : null;
    }
    return fs.querySelector("textarea").value;
  }
  function setValue(fs, value) {
    if (fs.dataset.kind === "scale") {
      fs.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = String(value) === r.value; });
    } else {
      fs.querySelector("textarea").value = value || "";
    }
  }
  function anyPending() { return Object.keys(pending).length > 0; }

  function queue(fs) {
    const id = fs.dataset.question;
    pending[id] = { value: valueOf(fs), revision: parseInt(fs.dataset.revision, 10) };
    persist();
    if (ended) { setState("ended"); return; }
    setState("saving");
    clearTimeout(timers[id]);
    timers[id] = setTimeout(function () { send(id); }, DEBOUNCE_MS);
  }

  function send(id) {
    const entry = pending[id];
    const fs = fieldsetOf(id);
    if (ended || !entry || !fs || inFlight[id]) return;
    if (fs.querySelector(".conflict").hidden === false) return;  // waiting for the person's choice
    inFlight[id] = true;
    const body = { question: parseInt(id, 10) || null, revision: entry.revision };
    body[fs.dataset.kind === "scale" ? "scale" : "text"] = entry.value;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        inFlight[id] = false;
        if (response.ok || (response.status === 409 && alreadyStored(fs, entry, data))) {
          fs.dataset.revision = data.revision;
          if (pending[id] === entry) { delete pending[id]; } else if (pending[id]) { pending[id].revision = data.revision; send(id); }
          persist();
          if (!anyPending()) {
            setState("saved");
            if (window.offlineCopy) window.offlineCopy.refresh();  // the offline copy shows what was saved
          }
        } else if (response.status === 409) {
          showConflict(fs, data);
        } else if (data.signed_out) {
          ended = true;  // say so, and stop sending: retrying could never succeed
          setState("ended");
        } else {
          setState("error", data.error || response.statusText);
        }
      });
    }).catch(function () {
      inFlight[id] = false;
      setState("offline");
      scheduleRetry();
    });
  }

  // Refused as stale, yet the stored version is this very text: an earlier save went through and
  // only its answer was lost (the connection dropped on the way back). Nothing to choose between.
  function alreadyStored(fs, entry, server) {
    if (fs.dataset.kind === "scale") return entry.value !== null && server.scale === entry.value;
    return typeof server.text === "string" && server.text === entry.value;
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, RETRY_MS);
  }
  function flush() { Object.keys(pending).forEach(send); }

  function showConflict(fs, server) {
    const box = fs.querySelector(".conflict");
    box.querySelector(".conflict-server").textContent = fs.dataset.kind === "scale" ? String(server.scale || "–") : server.text;
    box.hidden = false;
    box.dataset.serverRevision = server.revision;
    box.dataset.serverText = server.text || "";
    box.dataset.serverScale = server.scale || "";
    setState("conflict");
  }

  form.addEventListener("click", function (event) {
    const fs = event.target.closest("fieldset.question");
    if (!fs) return;
    const box = fs.querySelector(".conflict");
    const id = fs.dataset.question;
    if (event.target.classList.contains("keep-mine")) {
      fs.dataset.revision = box.dataset.serverRevision;
      box.hidden = true;
      queue(fs);
    } else if (event.target.classList.contains("keep-theirs")) {
      fs.dataset.revision = box.dataset.serverRevision;
      setValue(fs, fs.dataset.kind === "scale" ? box.dataset.serverScale : box.dataset.serverText);
      box.hidden = true;
      delete pending[id];
      persist();
      if (!anyPending()) setState("saved");
    }
  });
  form.addEventListener("input", function (event) {
    const fs = event.target.closest("fieldset.question");
    if (fs) queue(fs);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("online", flush);
  // Signing out asked already, when text was unsent (sign_out.js): not the browser's "Leave site?" too.
  let signingOut = false;
  document.addEventListener("sign-out:leaving", function () { signingOut = true; });
  window.addEventListener("beforeunload", function (event) {
    if (anyPending() && !signingOut) { event.preventDefault(); }
  });

  // Text typed before a reload or a lost connection: put it back and send it.
  Object.keys(pending).forEach(function (id) {
    const fs = fieldsetOf(id);
    if (!fs) { delete pending[id]; return; }
    setValue(fs, pending[id].value);
    fs.dataset.revision = pending[id].revision;
    setState("saving");
    send(id);
  });
  persist();
  // Text typed before this script ran (a slow phone): send it too.
  form.querySelectorAll("fieldset.question").forEach(function (fs) {
    if (pending[fs.dataset.question]) return;
    const textarea = fs.querySelector("textarea");
    const changedText = textarea && textarea.value !== textarea.defaultValue;
    const changedScale = Array.prototype.some.call(
      fs.querySelectorAll("input[type=radio]"), function (r) { return r.checked !== r.defaultChecked; });
    if (changedText || changedScale) queue(fs);
  });
  if (!anyPending()) setState("saved");
  form.dataset.ready = "true";
  }
})();
