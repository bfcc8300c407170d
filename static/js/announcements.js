// The organisers' announcements on a participant's or facilitator's page: asks the server every
// data-poll-seconds for the current ones, shows a new one as a banner without a reload, removes one
// withdrawn (or dismissed in another tab), and dismisses one for good without leaving the page.
// Without this script the banners are still shown by the page, and "Dismiss" is a plain form.
(function () {
  "use strict";
  const box = document.getElementById("announcements");
  if (!box || !window.fetch) return;
  const seconds = Math.max(parseFloat(box.dataset.pollSeconds) || 30, 0.2);
  let timer = null;
  let stopped = false;
  let busy = false; // a poll under way: the page being shown again does not start a second one

  function dismissUrl(id) { return box.dataset.dismissUrl.replace(/\/0\/dismiss\/$/, "/" + id + "/dismiss/"); }

  function banner(item) {
    const div = document.createElement("div");
    div.className = "alert alert-info announcement d-flex align-items-start gap-2";
    div.dataset.id = String(item.id);
    const text = document.createElement("div");
    text.className = "flex-grow-1";
    const heading = document.createElement("strong");
    heading.className = "d-block";
    heading.textContent = box.dataset.heading;
    const message = document.createElement("span");
    message.className = "announcement-message";
    message.textContent = item.message;
    text.append(heading, message);
    const form = document.createElement("form");
    form.method = "post";
    form.action = dismissUrl(item.id);
    form.className = "m-0 announcement-dismiss";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = box.dataset.csrf;
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn btn-sm btn-outline-dark";
    button.textContent = box.dataset.dismissLabel;
    form.append(token, button);
    div.append(text, form);
    return div;
  }

  function show(items) {
    const current = new Set(items.map(function (item) { return String(item.id); }));
    box.querySelectorAll(".announcement").forEach(function (node) {
      if (!current.has(node.dataset.id)) node.remove();
    });
    // Newest first, as the page renders them: each new one goes before the first older one.
    items.forEach(function (item, index) {
      if (box.querySelector('.announcement[data-id="' + item.id + '"]')) return;
      const next = items.slice(index + 1).map(function (later) {
        return box.querySelector('.announcement[data-id="' + later.id + '"]');
      }).find(Boolean);
      box.insertBefore(banner(item), next || null);
    });
  }

  function poll() {
    timer = null;
    if (stopped) return;
    if (document.hidden || busy) return; // asked again when the page is shown
    busy = true;
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 403) { stopped = true; return null; } // signed out: nothing more to ask
        return response.ok ? response.json() : null;
      })
      .then(function (data) { if (data && Array.isArray(data.announcements)) show(data.announcements); })
      .catch(function () { /* offline: try again at the next turn */ })
      .finally(function () { busy = false; schedule(); });
  }

  function schedule() {
    if (!stopped && timer === null) timer = window.setTimeout(poll, seconds * 1000);
  }

  box.addEventListener("submit", function (event) {
    const form = event.target.closest(".announcement-dismiss");
    if (!form) return;
    event.preventDefault();
    const node = form.closest(".announcement");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok || response.status === 404) node.remove(); // 404: withdrawn meanwhile
      else form.submit();
    }).catch(function () { form.submit(); });
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && timer === null && !busy) poll();
  });
  schedule();
})();
