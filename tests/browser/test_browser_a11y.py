"""Accessibility in a real browser: axe-core, keyboard, language, phone and projector layouts,
the feedback form. Debian's Chromium through Playwright against ``sid-register_app serve``, network cut off.

axe-core comes from the npm registry at set-up (``scripts/install_leaflet.sh``, pinned sha256, into the
git-ignored ``tests/vendor/``); it is injected into the page under test, never served by the app. The
pages run with ``bypass_csp`` only so that axe can be injected; ``test_browser.py`` checks the CSP itself.
"""

from __future__ import annotations

import re

import pytest

# register_app: sid-register_app serve with a register of its own (feedback is stored there) and an editor account.
from tests.browser.support import (
    ARTIFACTS,
    EDITOR,
    EDITOR_PASSWORD,
    WCAG_TAGS,
    axe,
    deep_focus,
    in_map,
    map_root,
    new_page,
    report,
    sign_in,
    wait_in_map,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
# Tab presses from the top of the page to the map's table view (sidebar, header, Stichtag row, search, map …).
MAX_TABS_TO_TABLE = 60


def shoot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


# The page's language and the languages the map and charts (their shadow roots) say they are in. Parts of
# the English page that stay German say so (lang="de": licence names, sources' titles; WCAG 3.1.2) and are
# checked by the chrome tests; a component, though, speaks the page's language throughout.
LANGUAGES_JS = """() => {
    const found = [document.documentElement.lang];
    const walk = (root, inside) => root.querySelectorAll('*').forEach((el) => {
        if (inside && el.hasAttribute('lang')) found.push(el.getAttribute('lang'));
        if (el.shadowRoot) walk(el.shadowRoot, true);
    });
    walk(document, false);
    return found;
}"""


def one_document(page) -> dict:
    """What makes the page one document: frames, and ``h1`` and ``main`` counted into the components' shadow roots."""
    return {
        "iframes": page.locator("iframe").count(),
        "h1": page.locator("h1").count(),  # Playwright's CSS pierces open shadow roots
        "main": page.locator("main").count(),
        "languages": sorted(set(page.evaluate(LANGUAGES_JS))),
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("region", [None, "057"], ids=["nrw", "detmold"])
def test_atlas_page_with_its_map_and_charts_has_no_wcag_violations(register_app, browser, viewport, lang, region):
    page = new_page(browser, viewport)
    query = (
        "date=2024-02-01&compare=2024-01-31"
        + (f"&region={region}" if region else "")
        + ("&lang=en" if lang == "en" else "")
    )
    page.goto(f"{register_app}/?{query}")
    map_root(page)
    page.get_by_text("Zur Tabelle" if lang == "de" else "To the table").wait_for()
    page.wait_for_function(
        "() => window.sidCharts && Object.values(window.sidCharts).filter(c => c.drawn).length === 2"
    )
    # The table view is sent once asked for: open it so axe checks it too.
    page.get_by_text("Tabelle zeigen" if lang == "de" else "Show the table").click()
    page.locator(".sid-table table").first.wait_for()
    page.wait_for_load_state("networkidle")
    name = f"{region or 'nrw'}-{lang}-{viewport['width']}"
    # One document: map and charts in the page (no frame), one h1, one main, the page's language everywhere.
    assert one_document(page) == {"iframes": 0, "h1": 1, "main": 1, "languages": [lang]}
    found = axe(page, f"page {name}")
    assert found == [], report(found)
    # A unit's tooltip and its details panel open: checked too.
    page.locator("[data-testid=coverage-map] #map").focus()
    page.keyboard.press("ArrowRight")
    page.get_by_test_id("map-tooltip").wait_for()
    found = axe(page, f"page {name}, tooltip")
    assert found == [], report(found)
    page.keyboard.press("Enter")
    page.get_by_test_id("map-details").wait_for()
    found = axe(page, f"page {name}, details")
    assert found == [], report(found)
    page.context.close()


def test_register_and_statement_pages_have_no_wcag_violations(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/register")
    page.get_by_role("heading", name="Verlauf").wait_for()
    page.wait_for_load_state("networkidle")
    found = axe(page, "register (viewer)")
    assert found == [], report(found)

    page.goto(f"{register_app}/barrierefreiheit")
    page.get_by_role("heading", name="Erklärung zur Barrierefreiheit").wait_for()
    page.get_by_role("heading", name="Durchsetzungsverfahren").wait_for()
    page.get_by_role("button", name="Absenden").wait_for()
    found = axe(page, "Erklärung")
    assert found == [], report(found)
    assert page.evaluate("() => document.documentElement.lang") == "de"
    shoot(page, "a11y-erklaerung.png")
    page.context.close()


def focus_path(page) -> str:
    """What has the keyboard focus: the component and its element inside a map or chart, else the element's section."""
    inner = deep_focus(page)
    if inner["component"]:
        return f"component:{inner['component']}:{inner['tag']}#{inner['id']}"
    return page.evaluate("""() => {
        const a = document.activeElement;
        const section = a && a.closest('[data-testid]');
        return (a ? a.tagName : '') + ':' + (section ? section.dataset.testid : '') + ':'
            + (a && a.closest('.sid-table') ? 'table' : '');
    }""")


def test_keyboard_reaches_the_table_passing_the_map_in_three_presses_and_arrows_announce(
    register_app, browser, coverage
):
    import datetime as dt

    from loaders.viewstate import ViewState
    from viewmodel.model import build
    from viewmodel.picture_tables import map_table

    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    root = map_root(page)
    page.get_by_text("Zur Tabelle").wait_for()
    in_map_stops = 0
    table_heading = page.get_by_role("heading", name="Tabelle zur Karte")
    opened = False
    for presses in range(1, MAX_TABS_TO_TABLE + 1):  # noqa: B007 - the count is reported below
        page.keyboard.press("Tab")
        where = focus_path(page)
        in_map_stops += where.startswith("component:coverage-map")
        if not opened and page.evaluate("() => !!document.activeElement.closest('.st-key-w_map_table_open')"):
            # The table's switch (the table is sent once asked for): Space opens it, the next Tab enters it.
            page.keyboard.press("Space")
            page.locator(".sid-table table").first.wait_for()
            opened = True
        if where.endswith(":table"):
            break
    else:
        pytest.fail(f"the table view is not reached in {MAX_TABS_TO_TABLE} Tab presses")
    assert opened
    # The map itself and its legend's summary; no unit, no zoom button, no attribution link.
    assert 1 <= in_map_stops <= 2, in_map_stops
    assert table_heading.is_visible()
    print(f"Tab presses from the top to the table view: {presses} (in the map: {in_map_stops})")

    # The skip link leads there too.
    page.get_by_role("link", name="Zur Tabelle").click()
    assert "#tabelle-zur-karte" in page.url

    # Arrow keys on the map: the first unit by name, announced politely with its status.
    first = map_table(build(coverage, ViewState(dt.date(2024, 2, 1), region="057"), tooltips=False)).iloc[0]
    box = root.locator("#map")
    box.focus()
    assert deep_focus(page)["id"] == "map"
    box.press("ArrowRight")
    live = root.locator("#announce")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    wait_in_map(page, "(root, name) => root.querySelector('#announce').textContent.startsWith(name)", first["Name"])
    said = live.text_content()
    assert first["Status"] in said and "1 von 70" in said, said
    root.get_by_test_id("map-tooltip").filter(has_text=first["Name"]).wait_for()
    box.press("ArrowRight")
    wait_in_map(page, "(root) => root.querySelector('#announce').textContent.includes('2 von 70')")
    assert in_map(page, "(root) => root.querySelector('.leaflet-proxy') !== null")
    box.press("+")
    box.press("Escape")
    assert deep_focus(page)["id"] != "map"  # Escape leaves the map
    assert root.get_by_test_id("map-tooltip").is_hidden()
    page.context.close()


def tooltip_report(page) -> dict:
    """The visible tooltips, the selected unit's ring and whether any tooltip covers the ring (sampled along it).

    The ring is the walk's two-stroke outline (its dark stroke: ``path.ring``).
    A point of it is covered when the topmost element there is a tooltip.
    """
    return in_map(
        page,
        """(root) => {
        const tips = [...root.querySelectorAll('.map-tip')].filter((t) => !t.hidden && t.getClientRects().length);
        const box = root.querySelector('#map').getBoundingClientRect();
        const rings = root.querySelectorAll('.leaflet-overlay-pane path.ring');
        const ring = rings.length === 1 ? rings[0] : null;
        let samples = 0, covered = 0, inside = 0;
        if (ring) {
            const length = ring.getTotalLength();
            const matrix = ring.getScreenCTM();
            for (let i = 0; i < 200; i++) {
                const p = ring.getPointAtLength(length * i / 200).matrixTransform(matrix);
                if (p.x < box.left || p.x > box.right || p.y < box.top || p.y > box.bottom) continue;
                inside += 1;
                const top = root.getRootNode().elementFromPoint(p.x, p.y);
                samples += 1;
                if (top && top.closest('.map-tip')) covered += 1;
            }
        }
        return {tips: tips.length, ring: Boolean(ring), inside, covered,
                boxes: tips.map((t) => { const r = t.getBoundingClientRect();
                    return [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top, box.width, box.height]; })};
    }""",
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_ten_arrow_presses_leave_one_tooltip_off_the_ring_and_escape_leaves_none(register_app, browser, viewport):
    """At most one tooltip, inside the map, never over the focused unit's ring; Escape leaves none."""
    page = new_page(browser, viewport, **({"is_mobile": True, "has_touch": True} if viewport is PHONE else {}))
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    root = map_root(page)
    root.locator("#map").focus()
    seen = []
    for press in range(1, 11):
        page.keyboard.press("ArrowRight")
        wait_in_map(page, "(root, n) => root.querySelector('#announce').textContent.includes(`(${n} von 70)`)", press)
        page.wait_for_timeout(400 if viewport is DESKTOP else 600)  # a pan to the unit ends
        state = tooltip_report(page)
        seen.append(state)
        assert state["tips"] == 1 and state["ring"], (press, state)
        assert state["inside"] > 0 and state["covered"] == 0, (press, state)
        # It wraps inside the map: no edge outside the map's box.
        left, top, right, bottom, width, height = state["boxes"][0]
        assert left >= 0 and top >= 0 and right <= width + 0.5 and bottom <= height + 0.5, (press, state)
    shoot(page, f"a11y-map-walk-10-{viewport['width']}.png", full_page=False)
    page.keyboard.press("Escape")
    assert tooltip_report(page)["tips"] == 0
    assert page.locator("[data-testid=coverage-map] .map-tip:visible").count() == 0
    print("ring samples inside the map per press:", [s["inside"] for s in seen])
    page.context.close()


def test_a_mouse_tooltip_is_hoverable_and_escape_dismisses_it(register_app, browser):
    """WCAG 1.4.13: the pointer can move onto the tooltip, it stays, and Escape dismisses it without moving anything."""
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    root = map_root(page)
    unit = root.locator('path[data-key="05711000"]')  # Bielefeld
    unit.hover()
    tip = root.get_by_test_id("map-tooltip")
    tip.filter(has_text="Bielefeld").wait_for()
    # Onto the tooltip, across whatever lies between: it stays, with the same words.
    area = tip.bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2, steps=8)
    page.wait_for_timeout(700)  # longer than the tooltip's grace period
    assert tip.is_visible() and "Bielefeld" in tip.inner_text()
    assert root.locator(".map-tip:visible").count() == 1
    # Escape, the pointer still on it and the focus elsewhere: it goes.
    assert deep_focus(page)["component"] != "coverage-map"
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    page.wait_for_timeout(500)
    assert tip.is_hidden()  # nor does what lay under it show a tooltip of its own
    # Back on Bielefeld: it stays dismissed until the pointer leaves and comes back.
    unit.hover()
    page.wait_for_timeout(500)
    assert tip.is_hidden()
    page.mouse.move(5, 5)
    unit.hover()
    tip.filter(has_text="Bielefeld").wait_for()
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_click_or_enter_opens_the_units_details_beside_or_under_the_map(register_app, browser, viewport, coverage):
    import datetime as dt
    import html

    from loaders.viewstate import ViewState
    from viewmodel.model import build

    phone = viewport is PHONE
    page = new_page(browser, viewport, **({"is_mobile": True, "has_touch": True} if phone else {}))
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    root = map_root(page)
    words = build(coverage, ViewState(dt.date(2024, 2, 1), region="057")).features()["05711000"][2]
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)).strip() for line in words.split("<br>")]
    # A click (a tap on the phone): the panel, with the tooltip's words; the unit ringed.
    unit = root.locator('path[data-key="05711000"]')
    if phone:
        unit.tap()
    else:
        unit.click()
    details = root.get_by_test_id("map-details")
    details.wait_for()
    assert details.get_by_role("heading", level=2).inner_text() == lines[0]
    assert [p.strip() for p in details.locator("p").all_inner_texts()] == lines[1:]
    assert page.evaluate("() => window.sidMap.selected") == "05711000"
    panel, map_box = details.bounding_box(), root.locator("#map").bounding_box()
    if phone:  # under the map, as wide as it
        assert panel["y"] >= map_box["y"] + map_box["height"] - 1 and abs(panel["width"] - map_box["width"]) <= 2
    else:  # beside it, on the same line
        assert panel["x"] >= map_box["x"] + map_box["width"] - 1 and panel["y"] < map_box["y"] + map_box["height"]
    assert panel["x"] + panel["width"] <= viewport["width"] + 1
    assert root.get_by_test_id("map-tooltip").is_hidden()  # the panel says it: no tooltip besides
    shoot(page, f"a11y-map-details-{'phone' if phone else 'desktop'}.png", full_page=False)
    # Closed with its button: the focus returns to the map.
    details.get_by_role("button", name="Schließen").click()
    assert details.is_hidden() and deep_focus(page)["id"] == "map"

    # By keyboard: the walk, Enter opens the panel and takes the focus there; Escape closes it and gives it back.
    root.locator("#map").focus()
    page.keyboard.press("End")
    wait_in_map(page, "(root) => root.querySelector('#announce').textContent.includes('70 von 70')")
    page.keyboard.press("Enter")
    details.wait_for()
    focused = deep_focus(page)
    assert focused["tag"] == "H2" and focused["part"] == "map-details", focused
    page.keyboard.press("Tab")
    assert deep_focus(page)["label"] == "Schließen"
    page.keyboard.press("Escape")
    assert details.is_hidden() and deep_focus(page)["id"] == "map"
    page.context.close()


def test_a_stichtag_change_is_announced_in_the_maps_live_region(register_app, browser):
    """The new date and the covered figure, politely, in the page's one live region for views."""
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-01-31&region=057")
    root = map_root(page)
    live = root.locator("#announce")
    assert live.get_attribute("role") == "status" and live.get_attribute("aria-live") == "polite"
    assert live.text_content() == ""  # nothing said on opening the page
    page.get_by_role("button", name="Folgetag").click()
    wait_in_map(page, "(root) => root.querySelector('#announce').textContent.includes('1. Februar 2024')")
    said = live.text_content()
    assert "70 von 70" in said, said
    # The one live region of the page that speaks view changes: no other one says it too.
    regions = page.evaluate("""() => {
        const found = [];
        const walk = (root) => root.querySelectorAll('[aria-live], [role=status], [role=alert]').forEach((el) => {
            if (el.textContent.includes('1. Februar 2024')) found.push(el.id || el.tagName);
        });
        walk(document);
        document.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) walk(el.shadowRoot); });
        return found;
    }""")
    assert regions == ["announce"], regions
    page.context.close()


def test_language_toggle_switches_the_page_language(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01")
    root = map_root(page)
    assert page.evaluate("() => document.documentElement.lang") == "de"
    page.get_by_text("English").click()
    page.get_by_text("As of: 1 February 2024 ·").wait_for()  # (not "Data as of: …", the Datenstand)
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    wait_in_map(page, "(root) => root.lang === 'en'")
    assert root.locator("#map").get_attribute("aria-label").startswith("Coverage map.")
    page.context.close()


def test_a_typed_date_applies_on_enter_and_day_buttons_step(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    day = page.get_by_label(re.compile(r"^Tag, Stichtag als Datum"))
    day.focus()
    page.keyboard.type("15")
    page.keyboard.press("Enter")
    page.get_by_text("Stand: 15. Februar 2024").wait_for()
    page.get_by_role("button", name="Vortag").click()
    page.get_by_text("Stand: 14. Februar 2024").wait_for()
    page.get_by_role("button", name="Folgetag").click()
    page.get_by_text("Stand: 15. Februar 2024").wait_for()
    page.context.close()


def test_place_search_zooms_to_a_place_and_opens_its_tooltip(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    root = map_root(page)
    search = page.get_by_role("textbox", name="Ort auf der Karte suchen")
    search.click()
    page.keyboard.type("Bielef")
    page.keyboard.press("Enter")  # one hit: the map shows it at once
    page.wait_for_function("() => window.sidMap.selected === '05711000'")
    root.get_by_test_id("map-tooltip").filter(has_text="Bielefeld").wait_for()
    wait_in_map(page, "(root) => root.querySelector('#announce').textContent.includes('Bielefeld')")
    # Escape in the search field dismisses the tooltip (WCAG 1.4.13) and leaves the field as it is.
    page.keyboard.press("Escape")
    assert root.get_by_test_id("map-tooltip").is_hidden() and search.input_value() == "Bielef"
    page.context.close()


def boxes(page, *controls) -> list[dict]:
    """The bounding boxes of the given locators, each as the page lays it out now."""
    return [control.bounding_box() for control in controls]


def same_line(*found: dict) -> bool:
    """Whether boxes share a line: each one's vertical middle lies within every other's height."""
    return all(b["y"] <= a["y"] + a["height"] / 2 <= b["y"] + b["height"] for a in found for b in found)


def focus_name(page) -> str:
    """A short name of what has the keyboard focus (its label or its text; in a map or chart, which one)."""
    inner = deep_focus(page)
    return f"component:{inner['component']}" if inner["component"] else inner["label"]


@pytest.mark.parametrize(
    ("name", "query"), [("detmold", "date=2024-02-01&region=057"), ("nrw", "date=2024-02-01&compare=2024-01-31")]
)
def test_phone_layout_map_follows_the_title_and_the_legend_folds(register_app, browser, name, query):
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{register_app}/?{query}")
    root = map_root(page)
    page.wait_for_load_state("networkidle")
    shoot(page, f"a11y-phone-390x844-{name}.png", full_page=False)
    the_map = root.locator("#map")
    map_box = the_map.bounding_box()
    cards = page.get_by_test_id("stMetric").first.bounding_box()
    assert map_box["y"] < cards["y"], "the map comes before the figure cards"
    # 57 %: the line „Leichte Sprache“ under the title (BITV NRW § 17 (2), one step from the start page) costs 24 px.
    assert map_box["y"] <= 0.57 * PHONE["height"], f"the map starts at {map_box['y']} px, below 57 % of the screen"
    assert map_box["x"] >= 0 and map_box["x"] + map_box["width"] <= PHONE["width"] + 1
    assert map_box["height"] <= 0.75 * PHONE["height"]
    # Nothing wider than the screen (WCAG 1.4.10): neither the document nor Streamlit's own scrolling container.
    widths = page.evaluate("""() => [document.scrollingElement.scrollWidth,
        document.querySelector('[data-testid=stMain]').scrollWidth]""")
    assert max(widths) <= PHONE["width"], widths

    # The Stichtag's controls stand on the page above the map, no sidebar to open: three lines, all on screen.
    slider = page.get_by_role("slider", name="Stichtag")
    assert slider.is_visible()
    day_field = page.locator(".st-key-w_date [data-testid=stDateInputField]")
    buttons = [page.get_by_role("button", name=label) for label in ("Vortag", "Folgetag", "Abspielen")]
    more = page.get_by_role("button", name="Springen, Schritt")
    search = page.get_by_role("textbox", name="Ort auf der Karte suchen")
    skip = page.get_by_role("link", name="Zur Tabelle")
    slider_box, field, back, forward, play, popover, search_box, skip_box = boxes(
        page, slider, day_field, *buttons, more, search, skip
    )
    assert same_line(field, back, forward) and same_line(play, popover) and same_line(search_box, skip_box)
    assert slider_box["y"] < field["y"] < play["y"] < search_box["y"] < map_box["y"]
    for box in (slider_box, field, back, forward, play, popover, search_box, skip_box):
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert min(box["width"], box["height"]) >= 24 or box is slider_box, box  # WCAG 2.5.8 (the thumb: axe)

    # Keyboard: from the slider, Tab walks the row, the search and the skip link in reading order into the map.
    slider.focus()
    seen = []
    for _ in range(16):
        page.keyboard.press("Tab")
        seen.append(focus_name(page))
        if seen[-1].startswith("component:"):
            break
    wanted = ["Vortag", "Folgetag", "Abspielen", "Springen, Schritt", "Ort auf der Karte suchen", "Zur Tabelle"]
    found = [label for name in seen for label in wanted if label in name]  # a button's text has its icon's name
    assert found == wanted and seen[-1] == "component:coverage-map", seen
    assert deep_focus(page)["id"] == "map"

    assert not root.get_by_test_id("map-legend").evaluate("(el) => el.open")
    shown = in_map(
        page,
        """(root) => [...root.querySelectorAll('.rb-label:not(.hidden-label) span')]
        .map(s => s.getBoundingClientRect()).map(r => [r.left, r.top, r.right, r.bottom])""",
    )
    for i, a in enumerate(shown):  # no two visible labels overlap
        for b in shown[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    # axe on the phone, WCAG 2.2's target size (2.5.8) included.
    found_page = axe(page, f"page phone {name}", WCAG_TAGS + ["wcag22aa"])
    assert found_page == [], report(found_page)
    the_map.evaluate("(el) => el.scrollIntoView({block: 'end'})")  # Streamlit scrolls its own container
    shoot(page, f"a11y-phone-390x844-{name}-map.png", full_page=False)
    page.context.close()


def test_phone_popover_jumps_to_an_event_by_keyboard(register_app, browser):
    page = new_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    more = page.get_by_role("button", name="Springen, Schritt")
    more.focus()
    page.keyboard.press("Enter")
    jump = page.get_by_role("combobox", name="Springen zu")
    jump.wait_for()
    box = jump.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    shoot(page, "a11y-phone-390x844-popover.png", full_page=False)
    # Tab enters the popover (drawn at the end of the page) from its button, walks it, and leaves it
    # to what follows the button, closing it (page.js).
    seen = []
    for _ in range(5):
        page.keyboard.press("Tab")
        seen.append(focus_name(page))
    print("Tab through the popover:", seen)
    assert seen[0] == "Springen zu" and "Schritt" in seen[1] and seen[-1] == "Ort auf der Karte suchen", seen
    assert more.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    jump.wait_for()
    page.keyboard.press("Tab")
    page.keyboard.type("Köln")
    page.keyboard.press("Enter")
    page.get_by_text("Stand: 8. September 2023 · RB Detmold").wait_for()
    assert "date=2023-09-08" in page.url
    page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PROJECTOR], ids=["desktop", "projector"])
def test_wide_layouts_map_and_legend_above_the_fold(register_app, browser, viewport):
    page = new_page(browser, viewport)
    page.goto(f"{register_app}/?date=2024-02-01&region=057&compare=2024-01-31")
    root = map_root(page)
    page.wait_for_load_state("networkidle")
    box = root.locator("#map").bounding_box()
    assert box["y"] + box["height"] <= viewport["height"], box
    assert box["height"] > (580 if viewport is PROJECTOR else 450), "the map's height follows the viewport"
    legend = root.get_by_test_id("map-legend")
    assert legend.evaluate("(el) => el.open")
    inner = legend.bounding_box()
    assert inner["y"] + inner["height"] <= viewport["height"]
    # The Stichtag row is one line: no taller than the slider with its label.
    row, slider = page.locator(".st-key-stichtag_row").bounding_box(), page.get_by_test_id("stSlider").bounding_box()
    assert row["height"] <= slider["height"] + 1, (row, slider)
    shoot(
        page,
        f"a11y-{'projector' if viewport is PROJECTOR else 'desktop'}-{viewport['width']}x{viewport['height']}.png",
        full_page=False,
    )
    page.context.close()


def test_feedback_is_stored_with_the_view_and_shown_to_editors_only(register_app, browser):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    # The form stands outside the Stichtag's fragment: a report names the view shown when it is sent.
    page.get_by_role("button", name="Folgetag").click()
    page.wait_for_function("() => location.search.includes('date=2024-02-02')")
    # The charts' tables are built once opened.
    page.get_by_text("Verlauf als Tabelle").click()
    page.get_by_test_id("stExpander").filter(has_text="Verlauf als Tabelle").locator(".sid-table table").wait_for()
    form = page.get_by_test_id("stForm")
    form.scroll_into_view_if_needed()
    message = form.get_by_label("Ihre Nachricht")
    # Capped by the field (Streamlit's max_chars) and again when stored (test_accessibility.py).
    message.fill("<b>Kontrast</b> der Legende")
    form.get_by_role("button", name="Absenden").click()
    page.get_by_text(re.compile(r"Ihre Meldung Nr\. \d+ ist gespeichert")).wait_for()
    # The same report again is counted on the first, not stored twice.
    message.fill("<b>Kontrast</b>   der Legende")
    form.get_by_role("button", name="Absenden").click()
    page.get_by_text(re.compile(r"Diese Meldung liegt schon vor \(Nr\. \d+\)")).wait_for()

    page.goto(f"{register_app}/register")
    page.get_by_role("heading", name="Verlauf").wait_for()
    assert page.get_by_role("heading", name="Meldungen: Barrieren und Fehler").count() == 0

    sign_in(page, register_app, EDITOR, EDITOR_PASSWORD)
    page.get_by_role("heading", name="Meldungen: Barrieren und Fehler").wait_for()
    reports = page.locator(".sid-table").last
    reports.locator("tbody td", has_text="/?date=2024-02-02&region=057").first.wait_for(state="attached")
    reports.locator("tbody td", has_text="<b>Kontrast</b>").first.wait_for(state="attached")
    found = axe(page, "register (editor)")
    assert found == [], report(found)
    page.context.close()


def test_the_map_description_on_screen_is_the_view_models_and_states_the_change(register_app, browser, coverage):
    import datetime as dt

    from loaders.viewstate import ViewState
    from viewmodel.model import build

    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&compare=2024-01-31&region=057")
    map_root(page)
    page.get_by_text("Kartenbeschreibung").click()  # folded; its text is sent once opened
    shown = page.get_by_test_id("stExpander").filter(has_text="Kartenbeschreibung").get_by_test_id("stText")
    shown.wait_for()
    expected = build(coverage, ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057")).description
    assert shown.inner_text().strip() == expected
    assert "70 Gemeinden neu" in expected
    page.context.close()


def test_an_open_section_below_the_days_fragment_follows_the_stichtag(register_app, browser):
    """The embed code stands outside the Stichtag's fragment: while it is open, a day change reruns the page."""
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    page.get_by_text("Einbettcode zeigen").click()
    code = page.get_by_test_id("stCode").filter(has_text="<iframe")
    code.filter(has_text="2024-02-01").wait_for()
    page.get_by_role("button", name="Folgetag").click()
    code.filter(has_text="2024-02-02").wait_for()
    assert "2024-02-01" not in code.inner_text()
    page.context.close()
