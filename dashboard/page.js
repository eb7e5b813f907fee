// The page shell's own script: sid-atlas serve adds it to Streamlit's index.html (dashboard/chrome.py)
// and serves it from the app itself (the Content-Security-Policy allows no inline script and no CDN).
// Where it reads Streamlit's markup (test ids, classes), docs/streamlit-upgrade.md lists it.
"use strict";
(() => {
  // WCAG 3.1.1: the page speaks the view's language. The view keeps it in the URL (?lang=en), which
  // Streamlit rewrites through the History API when the language toggle changes it. Streamlit's own words
  // follow it too: its bundles are served rewritten to choose by <html lang> (dashboard/chrome.py).
  function followLanguage() {
    const lang = new URLSearchParams(window.location.search).get("lang") === "en" ? "en" : "de";
    if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
  }
  for (const name of ["pushState", "replaceState"]) {
    const original = window.history[name];
    window.history[name] = function (...args) {
      const result = original.apply(this, args);
      followLanguage();
      return result;
    };
  }
  window.addEventListener("popstate", followLanguage);
  followLanguage();

  // A date typed into a date field applies on Enter. Streamlit's field applies it only on a press
  // outside it (its "interact outside" listener): Enter plays that press on the page's body, takes
  // the focus away for a moment, which commits the typed date, and gives it back.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const segment = event.target;
    const field = segment instanceof Element ? segment.closest('[data-testid="stDateInput"]') : null;
    if (!field || segment.closest("button")) return;   // the calendar button keeps its own Enter
    event.preventDefault();
    event.stopPropagation();
    const label = segment.getAttribute("aria-label");
    for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup"]) {
      const Kind = type.startsWith("pointer") && window.PointerEvent ? PointerEvent : MouseEvent;
      document.body.dispatchEvent(new Kind(type, {bubbles: true, cancelable: true, pointerId: 1, isPrimary: true}));
    }
    segment.blur();
    window.setTimeout(() => {   // back to the same part of the field (day, month or year)
      const again = [...field.querySelectorAll("[tabindex], input")]
        .find((el) => el.getAttribute("aria-label") === label) || field.querySelector("[tabindex], input");
      if (again && field.isConnected) again.focus();
    }, 50);
  }, true);

  // A download button is disabled while Streamlit makes its file (a deferred download), and a disabled
  // button drops the focus to <body>: a keyboard user would start again from the top of the page (WCAG
  // 2.4.3). When the focus leaves a download button because it was disabled or removed (nothing else
  // took it), it returns as soon as that button can take it again — or the button that replaced it, with
  // the same key or, unkeyed, the same name. It never moves a focus the person put somewhere else.
  function keepFocusOnDownloads() {
    const BOX = '[data-testid="stDownloadButton"]';
    const WAIT_MS = 120000;   // an animation's file may take a minute or two
    let lost = null;
    let timer = null;
    const keyOf = (button) => {
      const keyed = button.closest('[class*="st-key-"]');
      return keyed ? [...keyed.classList].find((name) => name.startsWith("st-key-")) : null;
    };
    const again = () => {
      if (lost.button.isConnected) return lost.button;
      const buttons = [...document.querySelectorAll(`${BOX} button`)];
      return (lost.key && buttons.find((button) => keyOf(button) === lost.key))
        || buttons.find((button) => button.textContent.trim() === lost.name);
    };
    const stop = () => { window.clearInterval(timer); timer = null; lost = null; };
    document.addEventListener("focusout", (event) => {
      const button = event.target;
      if (!(button instanceof HTMLButtonElement) || !button.closest(BOX) || event.relatedTarget) return;
      if (!button.disabled && button.isConnected) return;   // a click elsewhere, not the download
      lost = {button, key: keyOf(button), name: button.textContent.trim(), since: Date.now()};
      if (timer === null) timer = window.setInterval(() => {
        const here = document.activeElement;
        if (here && here !== document.body) return stop();   // the person went on
        if (Date.now() - lost.since > WAIT_MS) return stop();
        const target = again();
        if (target && !target.disabled) { target.focus(); stop(); }
      }, 100);
    }, true);
  }
  keepFocusOnDownloads();

  // A popover's body is drawn at the end of the page, so Tab from its button skipped it (the jump to
  // an event and the step wait in one). Tab now walks button → body → what follows the button, as if
  // the body stood right after it; leaving it forward closes it, so it hides nothing that has focus.
  function tabbable(root) {
    return [...root.querySelectorAll("a[href], button, input, select, textarea, iframe, [tabindex]")].filter((el) => {
      if (el.disabled || el.tabIndex < 0 || !el.getClientRects().length) return false;
      if (el.type !== "radio" || !el.name) return true;
      const group = [...root.querySelectorAll(`input[type="radio"][name="${CSS.escape(el.name)}"]`)];
      return el === (group.find((radio) => radio.checked) || group[0]);   // a radio group is one stop
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
    const button = document.querySelector('[data-testid="stPopoverButton"][aria-expanded="true"]');
    const body = document.querySelector('[data-testid="stPopoverBody"]');
    const inside = body ? tabbable(body) : [];
    if (!button || !inside.length) return;
    const here = document.activeElement;
    let target = null;
    if (here === button && !event.shiftKey) target = inside[0];
    else if (here === inside[0] && event.shiftKey) target = button;
    else if (here === inside[inside.length - 1] && !event.shiftKey) {
      const page = tabbable(document).filter((el) => !body.contains(el));
      target = page[page.indexOf(button) + 1];
      button.click();   // closes the popover
    }
    if (!target) return;
    event.preventDefault();
    target.focus();
  }, true);

  // WCAG 2.4.3: a collapsed sidebar is off screen but Streamlit leaves its controls in the Tab order (13 of
  // them on the atlas at 390 px): while it is collapsed it is inert, out of the Tab order and the
  // accessibility tree; opened, it is live again. Streamlit marks the state on the sidebar itself.
  function inertSidebar() {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    if (!bar) return;
    const collapsed = bar.getAttribute("aria-expanded") === "false" || bar.dataset.collapsed === "true";
    if (bar.inert !== collapsed) bar.inert = collapsed;
  }

  // The product's tables (dashboard/datatable.py): each header cell's button sorts the rows, ascending
  // first, then the other way; aria-sort marks the column and the table's status line says the new order.
  // Streamlit redraws a table when its rows change (a new Stichtag): the order chosen stays.
  const orders = new Map();   // table key -> {column: header text, order: "ascending" | "descending"}

  function sortKey(cell, kind) {
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (raw === "") return null;
    return kind === "number" ? Number(raw) : raw;
  }

  function sortTable(box, column, order, announce) {
    const table = box.querySelector("table");
    const heads = [...table.tHead.rows[0].cells];
    const index = heads.findIndex((th) => th.textContent.trim() === column);
    if (index < 0) return;
    const kind = heads[index].dataset.kind;
    const words = new Intl.Collator(document.documentElement.lang || "de", {numeric: true, sensitivity: "base"});
    const compare = kind === "text" ? words.compare : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const sign = order === "descending" ? -1 : 1;
    const rows = [...table.tBodies[0].rows].map((row, i) => ({row, i, key: sortKey(row.cells[index], kind)}));
    rows.sort((a, b) => {
      if (a.key === null || b.key === null) return (a.key === null) - (b.key === null) || a.i - b.i;   // empty last
      return sign * compare(a.key, b.key) || a.i - b.i;
    });
    table.tBodies[0].append(...rows.map((entry) => entry.row));
    heads.forEach((th, i) => (i === index ? th.setAttribute("aria-sort", order) : th.removeAttribute("aria-sort")));
    orders.set(box.dataset.sidTable, {column, order});
    const status = box.querySelector(".sid-table-status");
    if (announce && status) {
      status.textContent = box.dataset.sorted.replace("{column}", column).replace("{order}", box.dataset[order]);
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest(".sid-table thead button") : null;
    if (!button) return;
    const th = button.closest("th");
    const box = button.closest(".sid-table");
    sortTable(box, th.textContent.trim(), th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending", true);
  });

  function keepOrders() {
    for (const box of document.querySelectorAll(".sid-table")) {
      const chosen = orders.get(box.dataset.sidTable);
      const th = chosen && [...box.querySelectorAll("thead th")].find((cell) => cell.textContent.trim() === chosen.column);
      if (th && th.getAttribute("aria-sort") !== chosen.order) sortTable(box, chosen.column, chosen.order, false);
    }
  }

  // One observer for what follows Streamlit's redraws (it draws the page as messages arrive).
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => {
      pending = false;
      inertSidebar();
      keepOrders();
    });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["aria-expanded", "data-collapsed"]});
})();
