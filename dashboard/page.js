// The page shell's own script: sid-atlas serve adds it to Streamlit's index.html (dashboard/webserver.py)
// and serves it from the app itself (the Content-Security-Policy allows no inline script and no CDN).
"use strict";
(() => {
  // WCAG 3.1.1: the page speaks the view's language. The view keeps it in the URL (?lang=en), which
  // Streamlit rewrites through the History API when the language toggle changes it.
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
})();
