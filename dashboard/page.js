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
})();
