"""The page's chrome as a person meets it, in Debian's Chromium against ``sid-atlas serve``.

- Every word Streamlit shows or speaks is German in the German view and English in the English one:
  the pages are walked (sidebar open and closed, popover, select boxes, calendars, a year being typed,
  help icons, every section opened, a page that does not exist) and every visible text, attribute and
  accessible name (Chromium's accessibility tree through the DevTools protocol) is read.
- A focus indicator of 3:1 on every control, control edges of 3:1, measured from computed styles.
- The collapsed sidebar is out of the Tab order at 390 and 320 px and at 200 % and 400 % zoom; nothing
  is cut off at 320 CSS px; forced colours keep the switch, radio and slider states.
- The tables are tables: caption, header cells, sorting by keyboard with ``aria-sort`` and an
  announcement, the order kept across a Stichtag change, our own CSV.

Screenshots go to ``artifacts/`` (``chrome-*.png``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.support import ARTIFACTS, axe, map_root, new_page, report
from viewmodel.i18n import FRONTEND

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1400, "height": 900}
# What Streamlit shows or speaks in English, as an auditor found it, and react-aria's own.
ENGLISH_FOUND = (
    "Skip to main content",
    "Sidebar",
    "Help for",
    "Choose date",
    "Main menu",
    "Download as CSV",
    "Show/hide columns",
    "Fullscreen",
    "options available",
    "Selected Date",
    "Date set outside allowed range",
    "Collapse sidebar",
    "Expand sidebar",
    "Link to heading",
    "Copy to clipboard",
    "Next month",
    "Previous month",
    "Use arrow keys",
    "Choose an option",
    "Running...",
    "Press Enter to",
    "Increment",
    "Decrement",
    "Page not found",
    "Made with Streamlit",
)
# Names that are English only as a whole (a German text may contain the word).
ENGLISH_WHOLE = ("Search", "Open", "Dismiss", "Clear", "Stop", "Print", "Error", "dd", "yyyy", "Copied", "Upload")
ENGLISH_PREFIXES = ("day, ", "month, ", "year, ")
# The German chrome, for the English view (the words of viewmodel.i18n.FRONTEND and react-aria's German).
GERMAN_CHROME = tuple(
    german.split("{")[0].strip()
    for table in FRONTEND.values()
    for german, english in table.values()
    if german != english and len(german.split("{")[0].strip()) > 3
) + ("Ausgewähltes Datum", "Optionen verfügbar", "Tag, ", "Monat, ", "Jahr, ")

# -- reading a page --------------------------------------------------------------------------------------
TEXTS_JS = """() => {
    const seen = [document.title];
    for (const el of document.querySelectorAll('*')) {
        for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription', 'aria-valuetext']) {
            const value = el.getAttribute(name);
            if (value && value.trim()) seen.push(value.trim());
        }
    }
    for (const line of document.body.innerText.split('\\n')) if (line.trim()) seen.push(line.trim());
    return seen;
}"""


def spoken(page) -> set[str]:
    """Every name, description and value in Chromium's accessibility tree, and every visible text and label."""
    session = page.context.new_cdp_session(page)
    try:
        tree = session.send("Accessibility.getFullAXTree")
    finally:
        session.detach()
    found = set()
    for node in tree["nodes"]:
        if node.get("ignored"):
            continue
        for key in ("name", "description", "value"):
            value = node.get(key, {}).get("value")
            if isinstance(value, str) and value.strip():
                found.add(value.strip())
        for prop in node.get("properties", []):
            value = prop.get("value", {}).get("value")
            if prop["name"] in ("placeholder", "roledescription", "valuetext") and isinstance(value, str):
                found.add(value.strip())
    return found | set(page.evaluate(TEXTS_JS))


def english_in(texts: set[str]) -> list[str]:
    """The texts that are Streamlit's English."""
    bad = []
    for text in texts:
        if (
            any(phrase in text for phrase in ENGLISH_FOUND)
            or text in ENGLISH_WHOLE
            or text.startswith(ENGLISH_PREFIXES)
            or re.fullmatch(r"\d+ options? available\.?", text)
        ):
            bad.append(text)
    return sorted(bad)


def german_in(texts: set[str]) -> list[str]:
    return sorted(text for text in texts if any(word in text for word in GERMAN_CHROME))


def settle(page, ms: int = 600) -> None:
    page.wait_for_timeout(ms)


def walk_atlas(page, base: str, lang: str) -> set[str]:
    """Open what a person opens on the atlas and read it all (texts of every state collected)."""
    de = lang == "de"
    seen: set[str] = set()
    page.goto(f"{base}/?date=2024-02-01&compare=2024-01-31" + ("" if de else "&lang=en"))
    map_root(page)
    page.get_by_text("Zur Tabelle" if de else "To the table").wait_for()
    seen |= spoken(page)
    # The popover with its select box opened (react-aria's count announcement) and its help icon.
    page.get_by_role("button", name="Springen, Schritt" if de else "Jump, step").click()
    jump = page.get_by_role("combobox", name="Springen zu" if de else "Jump to")
    jump.click()
    settle(page)
    seen |= spoken(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    # Both select boxes of the sidebar, opened and walked.
    for name in ("Region", "Grundkarte" if de else "Base map"):
        box = page.get_by_role("combobox", name=name)
        box.click()
        page.keyboard.press("ArrowDown")
        settle(page)
        seen |= spoken(page)
        page.keyboard.press("Escape")
        settle(page, 300)
    # Both calendars, and a year half typed (Streamlit's range error while typing).
    for button in page.locator("[data-testid=stDateInputCalendarButton]").all():
        button.click()
        settle(page)
        seen |= spoken(page)
        page.keyboard.press("Escape")
        settle(page, 300)
    year = page.locator(".st-key-w_date [role=spinbutton]").last
    year.click()
    page.keyboard.type("20")
    settle(page, 900)
    seen |= spoken(page)
    page.keyboard.press("Escape")
    # A help icon's tooltip, the place search's instructions while typing.
    page.locator("[data-testid=stTooltipHoverTarget]").first.hover()
    settle(page)
    seen |= spoken(page)
    search = page.get_by_role("textbox", name="Ort auf der Karte suchen" if de else "Find a place on the map")
    search.click()
    page.keyboard.type("Biel")
    settle(page)
    seen |= spoken(page)
    # Every section below opened: the map's table, the description, the charts' tables, members, export, embed.
    for label in (
        ("Tabelle zeigen", "Kartenbeschreibung", "Verlauf als Tabelle", "Netzwerkgröße als Tabelle", "Liste zeigen")
        if de
        else ("Show the table", "Map description", "Over time as a table", "Network size as a table", "Show the list")
    ):
        page.get_by_text(label, exact=True).first.click()
        settle(page, 1200)
    for label in (
        ("Dateien für diese Ansicht anbieten", "Einbettcode zeigen")
        if de
        else ("Offer files for this view", "Show the embed code")
    ):
        page.get_by_text(label, exact=True).first.click()
        settle(page, 1500)
    page.wait_for_load_state("networkidle")
    seen |= spoken(page)
    # The sidebar collapsed (its button shows while the pointer is over the sidebar): its expand button.
    page.locator("[data-testid=stSidebar]").hover()
    page.get_by_role("button", name="Seitenleiste einklappen" if de else "Collapse sidebar").click()
    settle(page)
    seen |= spoken(page)
    return seen


# -- words -----------------------------------------------------------------------------------------------
def test_the_german_view_speaks_no_english_of_streamlits(register_app, browser):
    page = new_page(browser, DESKTOP)
    seen = walk_atlas(page, register_app, "de")
    page.screenshot(path=str(ARTIFACTS / "chrome-atlas-de-walked.png"), full_page=True)
    assert {"Zum Inhalt springen", "Seitenleiste", "Seitenleiste ausklappen"} <= seen
    assert any(text.startswith("Hilfe zu ") for text in seen) and any(t.startswith("Tag, ") for t in seen)
    assert any(re.fullmatch(r"\d+ Optionen? verfügbar\.?", text) for text in seen), "react-aria speaks German"
    assert any("Ausgewähltes Datum" in text for text in seen)
    for path in ("/register", "/barrierefreiheit", "/gibt-es-nicht"):
        page.goto(register_app + path)
        page.locator("h1").first.wait_for()
        settle(page, 2500)
        seen |= spoken(page)
    assert "Seite nicht gefunden" in seen
    assert english_in(seen) == []
    assert page.evaluate("() => document.documentElement.lang") == "de"
    page.context.close()


def test_the_english_view_is_english_its_title_too_and_the_credits_say_they_are_german(register_app, browser):
    page = new_page(browser, DESKTOP)
    seen = walk_atlas(page, register_app, "en")
    assert page.title() == "#sicherimDienst – coverage atlas"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert {"Skip to main content", "Sidebar", "Expand sidebar"} <= seen
    assert any(text.startswith("day, ") for text in seen) and any(
        re.fullmatch(r"\d+ options? available\.?", t) for t in seen
    )
    assert german_in(seen) == []
    # The credits are the licences' required German wording: marked as German (WCAG 3.1.2).
    credits = page.locator(".st-key-credits [lang=de]")
    assert credits.count() == 1 and credits.inner_text().startswith("© GeoBasis-DE / BKG")
    page.goto(register_app + "/register?lang=en")
    page.get_by_role("heading", name="Membership register").wait_for()
    assert page.title() == "Membership register – #sicherimDienst"
    page.context.close()


def test_the_language_toggle_switches_streamlits_words_without_a_reload(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&compare=2024-01-31")
    map_root(page)
    compare_day = page.locator("[data-testid=stSidebar] [role=spinbutton]").first
    assert compare_day.get_attribute("aria-label") == "Tag, Vergleich mit"
    page.get_by_text("English").click()
    page.get_by_text("As of: 1 February 2024").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar] [role=spinbutton]').getAttribute('aria-label')"
        " === 'day, Compare with'"
    )
    assert page.title() == "#sicherimDienst – coverage atlas"
    assert page.locator("[data-testid=stSidebar]").get_attribute("aria-label") == "Sidebar"
    page.get_by_text("English").click()
    page.get_by_text("Stand: 1. Februar 2024").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getAttribute('aria-label') === 'Seitenleiste'"
    )
    page.context.close()


# -- focus and contrast ---------------------------------------------------------------------------------------
CONTRAST_JS = """
const parse = (c) => {
  const m = (c || '').match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
};
const lum = (c) => {
  const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const over = (top, bottom) => top[3] >= 1 ? top : [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const backdrop = (el) => {
  const chain = [];
  for (let e = el; e; e = e.parentElement) chain.unshift(e);
  let bg = [255, 255, 255, 1];
  for (const e of chain) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c[3] > 0) bg = over(c, bg); }
  return bg;
};
"""

FOCUS_JS = (
    "() => {"
    + CONTRAST_JS
    + """
  let a = document.activeElement;
  if (!a || a === document.body) return null;
  while (a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;  // into the map and charts
  const r = a.getBoundingClientRect();
  const where = {tag: a.tagName, name: (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 40),
                 inSidebar: !!a.closest('[data-testid=stSidebar]'),
                 visible: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight && r.width > 0};
  if (a.tagName === 'IFRAME') return {...where, ratio: null};
  const shown = a.closest('label[data-focus-visible], [data-testid=stSlider] [data-focus-visible]')
    || [...document.querySelectorAll(':has(> input:focus-visible, > textarea:focus-visible)')].find((el) => getComputedStyle(el).outlineStyle !== 'none')
    || a;
  const style = getComputedStyle(shown);
  const behind = backdrop(shown.parentElement || shown);
  let best = 0, width = 0;
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    best = ratio(over(parse(style.outlineColor), behind), behind);
    width = parseFloat(style.outlineWidth);
  }
  for (const part of (style.boxShadow || '').split(/,(?![^(]*\\))/)) {
    const colour = parse(part), spread = parseFloat((part.match(/(-?[\\d.]+)px\\s*(?:inset)?$/) || [])[1] || 0);
    if (colour && spread > 0) { best = Math.max(best, ratio(over(colour, behind), behind)); width = Math.max(width, spread); }
  }
  return {...where, ratio: Math.round(best * 100) / 100, width};
}"""
)


def tab_walk(page, presses: int) -> list[dict]:
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        page.wait_for_timeout(120)
        stops.append(page.evaluate(FOCUS_JS))
    return [stop for stop in stops if stop]


def test_every_control_shows_a_focus_ring_of_three_to_one(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    page.get_by_text("Tabelle zeigen").click()
    page.locator(".sid-table table").wait_for()
    # From the top of the page, nothing focused.
    page.evaluate(
        "() => { document.activeElement.blur(); document.querySelector('[data-testid=stMain]').scrollTo(0, 0); }"
    )
    stops = tab_walk(page, 60)
    kinds = {stop["tag"] for stop in stops}
    assert {"A", "BUTTON", "INPUT", "SPAN", "MAIN"} <= kinds, kinds  # links, buttons, fields, date parts, main
    weak = [stop for stop in stops if stop["ratio"] is not None and (stop["ratio"] < 3 or stop["width"] < 2)]
    assert weak == [], weak
    names = " | ".join(stop["name"] for stop in stops)
    for control in ("Abdeckungsatlas", "English", "Vortag", "Zur Tabelle", "Stichtag"):
        assert control in names, control  # page links, switch, buttons, link, slider all reached
    page.context.close()


EDGES_JS = (
    "() => {"
    + CONTRAST_JS
    + """
  const edge = (el) => { const c = getComputedStyle(el); return ratio(over(parse(c.borderTopColor), backdrop(el.parentElement)), backdrop(el.parentElement)); };
  const fill = (el) => ratio(backdrop(el), backdrop(el.parentElement));
  const radio = [...document.querySelectorAll('[data-testid=stRadio] [role=radiogroup] label')].find((l) => !l.querySelector('input').checked);
  const track = document.querySelector('[data-testid=stCheckbox] label:has(input[role=switch]:not(:checked)) > span + div');
  return {
    radio_ring: edge(radio.querySelector(':scope > span + div > div')),
    select_box: edge(document.querySelector('.react-aria-ComboBox > div')),
    text_field: edge(document.querySelector('[data-testid=stTextInputRootElement]')),
    date_field: edge(document.querySelector('[data-testid=stDateInputField]')),
    button: edge(document.querySelector('[data-testid=stBaseButton-secondary]')),
    switch_track: fill(track),
    switch_knob: ratio(backdrop(track.firstElementChild), backdrop(track)),
  };
}"""
)


def test_control_edges_reach_three_to_one(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    edges = page.evaluate(EDGES_JS)
    assert all(value >= 3 for value in edges.values()), edges
    page.screenshot(path=str(ARTIFACTS / "chrome-edges-desktop.png"))
    page.context.close()


# -- the sidebar, reflow, forced colours ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("viewport", "scale"),
    [
        ({"width": 390, "height": 844}, 1),
        ({"width": 320, "height": 640}, 1),
        ({"width": 640, "height": 400}, 2),
        ({"width": 320, "height": 256}, 4),
    ],
    ids=["390", "320", "200-percent", "400-percent"],
)
def test_tab_never_lands_in_the_collapsed_sidebar_or_off_screen(register_app, browser, viewport, scale):
    page = new_page(browser, viewport, device_scale_factor=scale)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_attribute("data-collapsed") == "true"
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').inert")
    stops = tab_walk(page, 25)
    assert not [s for s in stops if s["inSidebar"]], stops
    assert not [s for s in stops if not s["visible"]], stops
    # Opened, the sidebar is live again and takes the keyboard.
    page.get_by_role("button", name="Seitenleiste ausklappen").click()
    page.wait_for_function("() => !document.querySelector('[data-testid=stSidebar]').inert")
    page.get_by_role("switch", name="English").focus()
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "English"
    page.context.close()


CLIPPED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    if (el.closest('.sid-table-scroll, iframe, [data-testid=stDateInputFieldsScroller]') || el.clientWidth <= 1) continue;
    const c = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(c.overflowX) || c.textOverflow === 'ellipsis';
    if (hides && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
      out.push([el.tagName, el.dataset.testid || '', el.textContent.trim().slice(0, 40), el.scrollWidth, el.clientWidth]);
    const r = el.getBoundingClientRect();
    if (r.width && r.right > innerWidth + 1 && !el.closest('.sid-table-scroll'))
      out.push(['beyond', el.tagName, el.textContent.trim().slice(0, 40), Math.round(r.right)]);
  }
  return {widths: [document.scrollingElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth], cut: out};
}"""


@pytest.mark.parametrize(("width", "scale"), [(320, 1), (320, 4), (640, 2)], ids=["320", "400-percent", "200-percent"])
def test_nothing_is_cut_off_at_320_css_pixels_and_at_200_and_400_percent(register_app, browser, width, scale):
    page = new_page(
        browser, {"width": width, "height": 720 // scale * 2 if scale > 1 else 640}, device_scale_factor=scale
    )
    page.goto(f"{register_app}/?date=2024-02-01&compare=2024-01-31")
    map_root(page)
    page.get_by_text("Tabelle zeigen").click()
    page.locator(".sid-table table").wait_for()
    page.locator("[data-testid=stMetric]").first.wait_for()
    found = page.evaluate(CLIPPED_JS)
    page.screenshot(path=str(ARTIFACTS / f"chrome-reflow-{width}-x{scale}.png"), full_page=True)
    assert max(found["widths"]) <= width, found
    assert found["cut"] == [], found["cut"]
    # A wide table scrolls sideways in its box; its caption wraps inside the box, in view.
    caption = page.locator(".sid-table caption").first.bounding_box()
    assert caption["x"] >= 0 and caption["x"] + caption["width"] <= width + 1, caption
    # The headline figure is whole.
    figure = page.locator("[data-testid=stMetricValue]").first
    assert figure.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1") and "396 von 396" in figure.inner_text()
    page.context.close()


FORCED_JS = (
    "() => {"
    + CONTRAST_JS
    + """
  const look = (el) => { const c = getComputedStyle(el); return [c.backgroundColor, c.borderTopColor, c.outlineColor].join(' '); };
  const radios = [...document.querySelectorAll('[data-testid=stRadio] [role=radiogroup]')][0].querySelectorAll('label');
  const circle = (label) => label.querySelector(':scope > span + div > div');
  const on = [...radios].find((l) => l.querySelector('input').checked), off = [...radios].find((l) => !l.querySelector('input').checked);
  const track = document.querySelector('[data-testid=stCheckbox] label:has(input[role=switch]) > span + div');
  const thumb = document.querySelector('[data-testid=stSlider] [role=group] [data-rac][style*=left]');
  return {
    radio_states_differ: look(circle(on)) !== look(circle(off)),
    switch_knob: ratio(parse(getComputedStyle(track.firstElementChild).backgroundColor), backdrop(track)),
    switch_edge: ratio(parse(getComputedStyle(track).borderTopColor), backdrop(track.parentElement)),
    slider_thumb: ratio(backdrop(thumb), backdrop(thumb.parentElement)),
  };
}"""
)


def test_forced_colours_keep_switch_radio_and_slider_states(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.emulate_media(forced_colors="active")
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    states = page.evaluate(FORCED_JS)
    page.screenshot(path=str(ARTIFACTS / "chrome-forced-colours.png"))
    assert states.pop("radio_states_differ"), "a checked radio looks like an unchecked one"
    assert all(value >= 3 for value in states.values()), states
    # The switch on: its track takes the system's highlight, the knob moves.
    page.get_by_text("English").click()
    page.get_by_text("As of: 1 February 2024").wait_for()
    on = page.evaluate(FORCED_JS)
    assert on["switch_knob"] >= 3 and on["switch_edge"] >= 3, on
    page.context.close()


# -- the tables ---------------------------------------------------------------------------------------------------
def rows(table) -> list[list[str]]:
    return table.evaluate(
        "(t) => [...t.querySelectorAll('tbody tr')].map((r) => [...r.cells].map((c) => c.textContent))"
    )


def test_the_maps_table_is_a_table_sorted_by_keyboard_and_announced(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&compare=2023-09-25&region=055")
    map_root(page)
    page.get_by_role("switch", name="Tabelle zeigen").focus()
    page.keyboard.press("Space")
    table = page.locator(".sid-table table").first
    table.wait_for()
    assert page.locator("[data-testid=stDataFrame], canvas").count() == 0  # no grid, no canvas
    caption = table.locator("caption").inner_text()
    assert caption == "Gemeinden – Regierungsbezirk Münster, Stand 1. Februar 2024"
    # Read as a table: column headers, a row header per row.
    assert page.get_by_role("columnheader").count() >= 6
    assert table.locator("tbody th[scope=row]").count() == table.locator("tbody tr").count() == 78
    header = page.get_by_role("columnheader", name="Name")
    assert header.get_attribute("aria-sort") == "ascending"
    # The keyboard: Tab reaches a header's button, Enter sorts, Enter again sorts the other way.
    since = page.get_by_role("button", name="Abgedeckt seit")
    since.focus()
    page.keyboard.press("Enter")
    status = page.locator(".sid-table-status").first
    page.wait_for_function("() => document.querySelector('.sid-table-status').textContent.includes('aufsteigend')")
    assert status.inner_text() == "Sortiert nach Abgedeckt seit, aufsteigend."
    assert page.get_by_role("columnheader", name="Abgedeckt seit").get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    first = rows(table)
    assert first[0][4].endswith("2022") and first[-1][4] != ""
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.sid-table-status').textContent.includes('absteigend')")
    assert rows(table)[0][4] == first[-1][4]
    assert page.evaluate("() => document.activeElement.textContent.trim()").startswith("Abgedeckt seit")  # focus kept
    page.screenshot(path=str(ARTIFACTS / "chrome-table-sorted.png"))
    # A Stichtag change redraws the table: the order chosen stays, unannounced.
    page.get_by_role("button", name="Folgetag").click()
    page.wait_for_function("() => location.search.includes('date=2024-02-02')")
    page.wait_for_function(
        "() => document.querySelector('.sid-table caption').textContent.includes('2. Februar 2024')"
        " && document.querySelector('th[aria-sort]').textContent.startsWith('Abgedeckt seit')"
    )
    assert page.get_by_role("columnheader", name="Abgedeckt seit").get_attribute("aria-sort") == "descending"
    # Our own CSV: the rows with the view's stamps, formulas neutralised.
    with page.expect_download() as download:
        page.get_by_role("button", name="Tabelle zur Karte als CSV herunterladen").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header_line = text.splitlines()[0]
    assert header_line.startswith(
        "Name,Schlüssel,Status,Evidenz,Abgedeckt seit,Quelle,Stichtag,Evidenzfilter,Datenstand"
    )
    assert len(text.splitlines()) == 79 and ",2024-02-02," in text
    assert not re.search(r"(^|,)[=+@-]", text.replace("\n", ",")), "a cell starts like a formula"
    found = axe(page, "map table")
    assert found == [], report(found)
    page.context.close()


def test_the_members_list_is_a_searchable_table_with_our_csv(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=051")
    map_root(page)
    page.get_by_text("Liste zeigen").click()
    table = page.locator(".sid-table table").filter(has=page.locator("caption", has_text="Organisationen im Netzwerk"))
    table.wait_for()
    page.get_by_label("Suche (Name, Schlüssel, Quelle)").fill("erkrath")
    page.get_by_label("Suche (Name, Schlüssel, Quelle)").press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.sid-table caption')].some((c) => c.textContent.endsWith('(1)'))"
    )
    assert [row[0] for row in rows(table)] == ["Stadt Erkrath"]
    page.get_by_role("button", name="Name").first.focus()
    page.keyboard.press("Enter")
    assert table.locator("th[aria-sort=ascending]").inner_text().startswith("Name")
    with page.expect_download() as download:
        page.get_by_role("button", name="Mitgliederliste als CSV herunterladen").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Stichtag,Evidenzfilter,Datenstand" in text.splitlines()[0] and "Stadt Erkrath" in text
    page.context.close()


def test_the_register_shows_tables_to_viewers(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/register")
    page.get_by_role("heading", name="Verlauf").wait_for()
    page.locator(".sid-table caption", has_text="Verlauf").wait_for()  # the heading comes first, the tables after
    captions = page.locator(".sid-table caption").all_inner_texts()
    assert captions[0].startswith("Mitglieder im Register (") and captions[1] == "Verlauf"
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    found = axe(page, "register tables")
    assert found == [], report(found)
    page.context.close()
