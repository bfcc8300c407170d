// The board's hand tools. Without this script every picker is a select narrowed by its "Find"
// button (a GET of the board), and names link to the move form; with it:
// - a picker searches as one types (organise:people_search, at most 20 matches) and refills its select;
// - where a fine pointer (a mouse) is available, a participant's name can be dragged onto another
//   group's row: that fills the move form and submits it, the same request as choosing by hand.
(function () {
  "use strict";

  function setUpPicker(box) {
    const input = box.querySelector("[data-picker-query]");
    const select = box.querySelector("select");
    const status = box.querySelector("[data-picker-status]");
    const find = box.querySelector("[data-picker-find]");
    if (!input || !select) return;
    if (find) find.hidden = true; // typing searches: no need to reload the page
    let timer = null;
    let latest = 0;

    function fill(data) {
      const current = select.value;
      const blank = select.querySelector('option[value=""]');
      select.replaceChildren();
      if (blank) select.add(blank);
      data.results.forEach(function (result) { select.add(new Option(result.label, String(result.id))); });
      const ids = data.results.map(function (result) { return String(result.id); });
      // What was chosen stays chosen; else the first match, visible in the select below the box.
      if (ids.indexOf(current) >= 0) select.value = current;
      else select.value = ids.length ? ids[0] : "";
      status.textContent = data.message;
    }

    function search() {
      const ticket = ++latest;
      const url = new URL(box.dataset.picker, window.location.href);
      url.searchParams.set("kind", box.dataset.kind);
      url.searchParams.set("q", input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) { if (ticket === latest) fill(data); })
        .catch(function () { if (find) find.hidden = false; }); // the page's own search still works
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
  }

  document.querySelectorAll("[data-picker]").forEach(setUpPicker);

  const moveForm = document.getElementById("move");
  if (!moveForm || !window.matchMedia("(pointer: fine)").matches) return;
  const participantSelect = moveForm.querySelector('select[name="participant"]');
  const groupSelect = moveForm.querySelector('select[name="group"]');
  const TYPE = "application/x-board-participant";

  document.querySelectorAll("li[data-participant]").forEach(function (item) {
    item.draggable = true;
    item.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData(TYPE, item.dataset.participant);
      event.dataTransfer.setData("text/plain", item.textContent.trim());
      event.dataTransfer.effectAllowed = "move";
    });
  });

  document.querySelectorAll("tr[data-drop-group]").forEach(function (row) {
    row.addEventListener("dragover", function (event) {
      if (event.dataTransfer.types.indexOf(TYPE) < 0) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      row.classList.add("drop-target");
    });
    row.addEventListener("dragleave", function (event) {
      if (!row.contains(event.relatedTarget)) row.classList.remove("drop-target");
    });
    row.addEventListener("drop", function (event) {
      const id = event.dataTransfer.getData(TYPE);
      row.classList.remove("drop-target");
      const item = document.querySelector('li[data-participant="' + CSS.escape(id) + '"]');
      if (!id || !item) return;
      event.preventDefault();
      if (item.closest("tr[data-drop-group]") === row) return; // dropped back on their own group
      if (!participantSelect.querySelector('option[value="' + CSS.escape(id) + '"]')) {
        participantSelect.add(new Option(item.querySelector("a").textContent, id));
      }
      participantSelect.value = id;
      groupSelect.value = row.dataset.dropGroup;
      moveForm.requestSubmit();
    });
  });
})();
