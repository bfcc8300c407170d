// Live progress: draw each row's bar, then refresh the counts every few seconds without reloading.
(function () {
  "use strict";
  const box = document.getElementById("dashboard");
  if (!box) return;
  const interval = Number(box.dataset.interval) || 10000;
  const parts = ["submitted", "in_progress", "not_started"];
  const updated = document.getElementById("dashboard-updated");
  const offline = document.getElementById("dashboard-offline");

  function draw(row) {
    const total = Number(row.querySelector('[data-count="participants"]').textContent) || 0;
    parts.forEach(function (part) {
      const el = row.querySelector('[data-part="' + part + '"]');
      const value = Number(row.querySelector('[data-count="' + part + '"]').textContent) || 0;
      if (el) el.style.width = (total ? (100 * value) / total : 0) + "%";
    });
  }

  function fill(row, counts) {
    if (!row || !counts) return;
    Object.keys(counts).forEach(function (name) {
      const el = row.querySelector('[data-count="' + name + '"]');
      if (el && el.textContent !== String(counts[name])) el.textContent = counts[name];
    });
    draw(row);
  }

  function count(row, counts) {  // attendance rows: figures only, no bar
    if (!row || !counts) return;
    Object.keys(counts).forEach(function (name) {
      const el = row.querySelector('[data-count="' + name + '"]');
      if (el && el.textContent !== String(counts[name])) el.textContent = counts[name];
    });
  }

  box.querySelectorAll("tr[data-cell], tr[data-total]").forEach(draw);

  function refresh() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (data) {
        box.querySelectorAll("tr[data-cell]").forEach(function (row) { fill(row, data.cells[row.dataset.cell]); });
        box.querySelectorAll("tr[data-total]").forEach(function (row) { fill(row, data.totals[row.dataset.total]); });
        box.querySelectorAll("tr[data-attendance-cell]").forEach(function (row) { count(row, data.attendance[row.dataset.attendanceCell]); });
        box.querySelectorAll("tr[data-attendance-total]").forEach(function (row) { count(row, data.attendance_totals[row.dataset.attendanceTotal]); });
        Object.keys(data.unopened).forEach(function (name) {
          const el = box.querySelector('[data-unopened="' + name + '"]');
          if (el) el.textContent = data.unopened[name];
        });
        const when = new Date(data.updated_at);
        updated.setAttribute("datetime", data.updated_at);
        try {
          updated.textContent = when.toLocaleTimeString(document.documentElement.lang || undefined, {
            timeZone: box.dataset.timezone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
          });
        } catch (e) {
          updated.textContent = when.toLocaleTimeString();
        }
        offline.hidden = true;
      })
      .catch(function () { offline.hidden = false; })
      .finally(function () { setTimeout(refresh, interval); });
  }
  setTimeout(refresh, interval);
})();
