// The admin's widgets that assistive technologies cannot name or reach, repaired after they are
// built (and again whenever a row is added): modeltranslation's language tabs held a focusable
// link inside each tab, its "all languages" switch had no name, a tabular inline's fields are
// labelled only by their column's header, and the filter boxes of a two-list choice carried a
// name on an element that may not have one. Labels come from the page (headers, the script's
// data-* attributes, translated by the template).
(function () {
  "use strict";
  const script = document.currentScript;
  const switchLabel = script.dataset.switchLabel;

  function named(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return true;
    if (control.labels && control.labels.length) return true;
    return false;
  }

  function headerFor(table, fieldName) {
    const exact = table.querySelector(`thead th.column-${CSS.escape(fieldName)}`);
    if (exact) return exact;
    const base = fieldName.replace(/_[a-z]{2}(_[a-z]{2,4})?$/, "");
    return base === fieldName ? null : table.querySelector(`thead th.column-${CSS.escape(base)}`);
  }

  function headerText(th) {
    return Array.from(th.childNodes)
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent)
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function labelTabularInlines() {
    document.querySelectorAll(".tabular table").forEach((table) => {
      const deleteHeader = table.querySelector("thead tr th:last-child");
      table.querySelectorAll("tbody tr.form-row").forEach((row) => {
        const original = row.querySelector("td.original p");
        const rowName = original ? original.firstChild && original.firstChild.textContent.trim() : "";
        row.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
          if (named(control) || !control.name) return;
          const fieldName = control.name.split("-").pop();
          let label = "";
          if (fieldName === "DELETE") {
            label = deleteHeader ? headerText(deleteHeader) : "";
          } else {
            const th = headerFor(table, fieldName);
            label = th ? headerText(th) : "";
            const language = fieldName.match(/_([a-z]{2})$/);
            if (th && language && !th.classList.contains(`column-${fieldName}`)) label += ` [${language[1]}]`;
          }
          if (!label) return;
          control.setAttribute("aria-label", rowName ? `${label}: ${rowName}` : label);
        });
      });
    });
  }

  function repairTabs() {
    // A tab (the <li>) is the one focusable element; the link inside it only held the panel's address.
    document.querySelectorAll("li[role=tab] > a[href]").forEach((anchor) => {
      anchor.dataset.panel = anchor.getAttribute("href");
      anchor.removeAttribute("href");
      anchor.removeAttribute("tabindex");
    });
    const main = document.getElementById("modeltranslation-main-switch");
    if (main && switchLabel && !named(main)) main.setAttribute("aria-label", switchLabel);
  }

  function repairFilterIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  }

  function repair() {
    repairTabs();
    labelTabularInlines();
    repairFilterIcons();
  }

  function patchTabs() {
    // jQuery UI loads a tab's panel from its link's address unless that address is this page:
    // a link without one is a panel already on the page.
    const jq = window.jQuery || (window.django && window.django.jQuery);
    const tabs = jq && jq.ui && jq.ui.tabs;
    if (!tabs || tabs.prototype._accessiblePatched) return;
    const isLocal = tabs.prototype._isLocal;
    tabs.prototype._isLocal = function (anchor) {
      return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
    };
    tabs.prototype._accessiblePatched = true;
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    window.setTimeout(() => {
      pending = false;
      patchTabs();
      repair();
    }, 0);
  }

  window.addEventListener("load", () => {
    patchTabs();
    repair();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
