// Attendance roster: each tap is shown at once, kept in this browser and sent; while offline the
// marks wait here (one per person, the last tap) and go out when the connection returns. Each
// mark carries the version it was based on: a mark someone else changed meanwhile comes back 409
// with theirs, which is shown and kept, never overwritten.
(function () {
  "use strict";
  const box = document.querySelector("section[data-attendance-url]");
  if (!box) return;
  const url = box.dataset.attendanceUrl;
  const storageKey = box.dataset.storageKey;
  const queueEl = box.querySelector("[data-attendance-queue]");
  const RETRY_MS = 5000;
  let sending = false, timer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey)) || {}; } catch (e) { return {}; }
  }
  function store(queue) {
    try {
      if (Object.keys(queue).length) localStorage.setItem(storageKey, JSON.stringify(queue));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or off: the mark is still sent now */ }
  }
  let queue = load();

  function row(id) { return box.querySelector('.attendance-person[data-participant="' + id + '"]'); }
  function press(li, status) {
    li.dataset.status = status;
    li.querySelectorAll("button[name=status]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.value === status ? "true" : "false");
    });
  }
  function say(li, text, kind) {
    li.classList.toggle("is-pending", kind === "pending");
    li.classList.toggle("is-conflict", kind === "conflict");
    li.querySelector(".attendance-state").textContent = text;
  }
  function summary(offline) {
    const waiting = Object.keys(queue).length;
    queueEl.textContent = waiting && offline ? box.dataset.offline : "";
  }
  function adopt(li, data) {
    li.dataset.version = data.version;
    li.querySelector("input[name=version]").value = data.version;
    if (data.status) press(li, data.status);
  }

  function sendOne(id) {
    const li = row(id), mark = queue[id];
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.querySelector("input[name=csrfmiddlewaretoken]").value },
      body: JSON.stringify({ participant: Number(id), status: mark.status, version: mark.version }),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          delete queue[id];
          if (li) { adopt(li, data); say(li, box.dataset.saved, ""); }
        } else if (r.status === 409) {
          delete queue[id];
          if (li) { adopt(li, data); say(li, data.error, "conflict"); }
        } else if (data.signed_out) {
          if (li) say(li, box.dataset.ended, "conflict");
          throw new Error("signed out");
        } else {
          delete queue[id];
          if (li) say(li, box.dataset.error + " " + (data.error || r.status), "conflict");
        }
        store(queue);
      });
    });
  }

  function flush() {
    if (sending) return;
    const ids = Object.keys(queue);
    if (!ids.length) { summary(false); return; }
    sending = true;
    clearTimeout(timer);
    ids.reduce(function (p, id) { return p.then(function () { return sendOne(id); }); }, Promise.resolve())
      .then(function () { summary(false); })
      .catch(function (error) {
        // Offline (or signed out, said on the row already): the marks stay here and are tried again.
        if (error.message !== "signed out") {
          summary(true);
          Object.keys(queue).forEach(function (id) { const li = row(id); if (li) say(li, box.dataset.offline, "pending"); });
        }
      })
      .finally(function () {
        sending = false;
        clearTimeout(timer);
        if (Object.keys(queue).length) timer = setTimeout(flush, RETRY_MS);
      });
  }

  box.addEventListener("click", function (event) {
    const button = event.target.closest("button[name=status]");
    if (!button) return;
    event.preventDefault();
    const li = button.closest(".attendance-person"), id = li.dataset.participant;
    // The base version stays the one the server last confirmed, however many taps wait.
    const base = queue[id] ? queue[id].version : Number(li.dataset.version) || 0;
    queue[id] = { status: button.value, version: base };
    store(queue);
    press(li, button.value);
    say(li, box.dataset.saving, "pending");
    flush();
  });

  // Marks left from an earlier visit (the page was closed while offline): shown, then sent.
  Object.keys(queue).forEach(function (id) {
    const li = row(id);
    if (!li) { delete queue[id]; return; }
    press(li, queue[id].status);
    say(li, box.dataset.offline, "pending");
  });
  store(queue);
  window.addEventListener("online", flush);
  flush();
})();
