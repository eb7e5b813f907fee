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
