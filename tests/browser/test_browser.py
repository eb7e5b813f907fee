"""The dashboard in a real browser: Debian's Chromium driven by Playwright, network cut off.

Skipped when Playwright or Chromium is missing, unless ``SID_ATLAS_REQUIRE_BROWSER=1``
(set by ``.ci/run``), where a missing browser fails the run instead.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.support import (
    COVERED,
    EDITOR,
    EDITOR_PASSWORD,
    LOCAL_HOSTS,
    csp_violations,
    in_map,
    map_root,
    shoot,
    sign_in,
    wait_in_map,
)

pytestmark = pytest.mark.browser


def covered_count(page) -> int:
    return in_map(
        page,
        "(root, covered) => root.querySelectorAll(covered.map(s => `path[data-status=${s}]`).join(',')).length",
        list(COVERED),
    )


def previous_day(page) -> None:
    """Move the Stichtag slider one day back with the keyboard, as a person would."""
    slider = page.get_by_role("slider", name="Stichtag")
    slider.focus()
    slider.press("ArrowLeft")


def test_detmold_accession_day_and_the_day_before(app_url, page):
    page.goto(f"{app_url}/?date=2024-02-01&region=057")
    root = map_root(page)
    wait_in_map(page, "(root) => root.querySelectorAll('path[data-status]').length === 70")
    assert covered_count(page) == 70
    page.get_by_text("70 von 70").first.wait_for()
    # In the page itself: no frame, and the map's element is marked to tell a re-mount from a restyle.
    assert page.locator("iframe").count() == 0
    root.evaluate("(el) => { el.__sameMap = true; }")
    geometry_before = [url for url in page.requests if "/_sid/daten/" in url and "/chart-" not in url]
    shoot(page, "map-detmold-2024-02-01.png")

    previous_day(page)
    page.get_by_text("31. Januar 2024").first.wait_for()
    wait_in_map(
        page, "(root, covered) => covered.every(s => !root.querySelector(`path[data-status=${s}]`))", list(COVERED)
    )
    page.get_by_text("0 von 70").first.wait_for()
    assert covered_count(page) == 0
    assert in_map(page, "(root) => root.querySelectorAll('path[data-status]').length") == 70
    shoot(page, "map-detmold-2024-01-31.png")

    # Restyled in place: the same element, and no geometry fetched again.
    assert in_map(page, "(root) => root.__sameMap === true")
    geometry_after = [url for url in page.requests if "/_sid/daten/" in url and "/chart-" not in url]
    # Units, the Bezirke around them, and the fixed tooltip table (viewmodel.tips), each once.
    assert geometry_after == geometry_before and len(set(geometry_before)) == len(geometry_before) == 3
    assert all(count == 1 for count in page.evaluate("() => Object.values(window.sidMap.fetches)"))

    # The tooltip is put together from the fixed table and the state of the day shown.
    root.locator("path[data-status]").first.hover()
    tip = root.get_by_test_id("map-tooltip")
    tip.wait_for()
    assert "Kreis:" in tip.inner_text() and "Status: noch nicht abgedeckt" in tip.inner_text()


def test_map_draws_offline_and_asks_no_other_host(app_url, page):
    page.goto(f"{app_url}/?date=2024-02-01")
    root = map_root(page)
    assert page.evaluate("() => window.sidMap.drawn") == 396
    assert page.evaluate("() => typeof L") == "object"  # Leaflet came from the app
    assert root.get_by_test_id("map-legend").is_visible()
    page.wait_for_function(
        "() => window.sidCharts && Object.values(window.sidCharts).filter(c => c.drawn).length === 2"
    )
    page.wait_for_load_state("networkidle")
    shoot(page, "map-nrw-2024-02-01.png")
    outside = sorted(
        {url for url in page.requests if not url.startswith("data:") and urlsplit(url).hostname not in LOCAL_HOSTS}
    )
    assert outside == []
    # Served as users get it: sid-atlas serve's German shell under its Content-Security-Policy. The
    # components' code came as files of the app (a blob: URL, as Streamlit makes of inline code, is refused).
    assert page.evaluate("() => document.documentElement.lang") == "de"
    assert csp_violations(page) == []
    scripts = [url for url in page.requests if "/_stcore/bidi-components/" in url and ".js" in url.split("?")[0][-3:]]
    assert any("sid-atlas.coverage_map/index.js" in url for url in scripts), scripts
    assert any("sid-atlas.timeline_chart/index.js" in url for url in scripts), scripts
    assert not [url for url in page.requests if url.startswith("blob:")]


def test_tiles_load_only_once_a_basemap_is_chosen(app_url, page):
    page.goto(f"{app_url}/?date=2024-02-01&region=057")
    root = map_root(page)
    root.evaluate("(el) => { el.__sameMap = true; }")
    assert not [url for url in page.requests if "tile" in url]
    chooser = page.get_by_role("combobox", name="Grundkarte")
    chooser.click()
    chooser.press("ArrowDown")  # opens the option list
    page.get_by_role("option", name="basemap.de grau").click()
    wait_in_map(page, "(root) => root.querySelectorAll('img.leaflet-tile').length > 0")
    # The request events reach this process a little after the tiles' elements stand (on a busy machine).
    for _ in range(100):
        tiles = [url for url in page.requests if "geodatenzentrum.de" in url]
        if tiles:
            break
        page.wait_for_timeout(100)
    assert tiles, "choosing basemap.de requests its tiles (blocked here)"
    # The units stay drawn and the map is the same: the basemap is a layer, not a re-mount.
    assert in_map(page, "(root) => root.__sameMap === true") and page.evaluate("() => window.sidMap.drawn") == 70
    assert all(count == 1 for count in page.evaluate("() => Object.values(window.sidMap.fetches)"))
    shoot(page, "map-detmold-basemapde-offline.png")


# -- press exports -------------------------------------------------------------------------
def download(page, button: str) -> bytes:
    """Click a download button of the export section; the bytes the browser saved."""
    with page.expect_download(timeout=60_000) as event:
        page.get_by_role("button", name=button, exact=True).click()
    return Path(event.value.path()).read_bytes()


def test_export_downloads_are_the_files_of_the_view_shown(app_url, page, coverage):
    import datetime as dt
    import io

    from PIL import Image

    from exports.dispatch import export
    from loaders.viewstate import ViewState

    page.goto(f"{app_url}/?date=2024-02-01&region=057")
    map_root(page)
    section = page.get_by_role("heading", name="Export für die Presse")
    section.scroll_into_view_if_needed()
    page.get_by_text("Dateien für diese Ansicht anbieten").click()  # nothing is built before
    chooser = page.get_by_role("combobox", name="Format")
    chooser.click()
    chooser.press("ArrowDown")
    page.get_by_role("option", name="Quadrat – 1080 × 1080 px").click()
    page.get_by_role("button", name="PNG", exact=True).wait_for()
    shoot(page, "export-section.png")

    png = download(page, "PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1080, 1080) and [round(d) for d in image.info["dpi"]] == [150, 150]
    view = ViewState(dt.date(2024, 2, 1), region="057")
    assert png == export(coverage, view, "png", preset="square")  # the same bytes as sid-atlas export

    rows = download(page, "CSV").decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 70 and rows[0].startswith("key,name,")
    assert sum(",member," in row for row in rows[1:]) == 70


def test_html_export_opens_offline_and_draws_every_unit(browser, coverage, tmp_path):
    import datetime as dt

    from exports.dispatch import export
    from loaders.viewstate import ViewState

    path = tmp_path / "karte.html"
    path.write_bytes(export(coverage, ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31)), "html"))
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    # The file may load only itself and the data: URL of its geometry.
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort()
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.sidMap && window.sidMap.drawn === 396", timeout=20_000)
    # What is new keeps its status (drawn with its own fill) and is ringed.
    assert page.evaluate("() => document.querySelectorAll('path[data-new=\"1\"]').length") == 70
    assert page.evaluate("() => window.sidMap.fresh") == 70
    assert page.locator("[data-testid=map-legend]").is_visible()
    # One document: the title is its one h1, the map its one main, in the view's language.
    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
    assert page.evaluate("() => document.documentElement.lang") == "de"
    page.hover('path[data-new="1"] >> nth=0')
    page.get_by_test_id("map-tooltip").get_by_text("neu seit 31. Januar 2024").wait_for()
    # A click opens the unit's details beside the map, with the tooltip's words.
    page.click('path[data-new="1"] >> nth=0')
    details = page.get_by_test_id("map-details")
    details.wait_for()
    assert "neu seit 31. Januar 2024" in details.inner_text()
    shoot(page, "export-html-offline.png")
    context.close()
    assert errors == [] and [url for url in asked if not url.startswith(("file:", "data:"))] == []


# -- membership register ---------------------------------------------------------------------
def gemeinden_covered(page, url: str) -> str:
    """The "Belegt abgedeckte Gemeinden" figure of RB Detmold on 1 March 2023, documented accessions only."""
    page.goto(f"{url}/?date=2023-03-01&region=057&evidence=documented")
    map_root(page)
    figure = (
        page.get_by_test_id("stMetric").filter(has_text="Belegt abgedeckte Gemeinden").get_by_test_id("stMetricValue")
    )
    return figure.inner_text()


def expect(locator):
    """Playwright's retrying assertions, imported when used: without Playwright the tests skip, not fail."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def cell(table, text: str):
    """Wait for a cell of one of the page's tables (``dashboard/datatable.py``) holding ``text``.

    The cells are table cells (``td`` or the row's ``th``); a long table scrolls in its own box,
    so a cell may be in the page but out of view.
    """
    table.locator("tbody td, tbody th", has_text=text).first.wait_for(state="attached")


EDIT_CONTROLS = ("Übernehmen", "Rückgängig machen", "Änderung speichern", "Abmelden")


def test_an_editor_signs_in_uploads_checks_and_commits(register_app, page, tmp_path):
    before = gemeinden_covered(page, register_app)
    partner_list = tmp_path / "partnerliste.csv"
    partner_list.write_text("Name;Beitritt\nBielefeld, Stadt;Februar 2023\nKleve;2024\n", encoding="utf-8")
    # The atlas links to the register; the register, to a viewer, links to the sign-in page.
    page.get_by_role("link", name="Mitgliederregister").click()
    page.get_by_role("heading", name="Mitgliederregister").wait_for()
    # Streamlit opens the sidebar's link in a new tab; the sign-in continues there.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Anmelden zum Bearbeiten").click()
    signin_tab = opened.value
    signin_tab.console = page.console  # the context's console messages, of every tab
    page.close()
    page = signin_tab
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/_sid/anmelden"

    # A wrong password is refused on the form itself, and nothing is unlocked.
    page.get_by_label("Kontoname").fill(EDITOR)
    page.get_by_label("Passwort", exact=True).fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("alert").filter(has_text="Kontoname oder Passwort falsch.").wait_for()
    assert not [c for c in page.context.cookies() if c["name"] == "sid_editor"]

    sign_in(page, register_app, EDITOR, EDITOR_PASSWORD)
    cookie = next(c for c in page.context.cookies() if c["name"] == "sid_editor")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.get_by_role("heading", name="Mitgliederregister").wait_for()
    page.get_by_text(f"Angemeldet als {EDITOR}").wait_for()
    page.get_by_role("button", name="Abmelden").wait_for()

    page.locator("input[type=file]").set_input_files(str(partner_list))
    page.get_by_text("2 Zeilen: 1 neu, 0 geändert, 0 unverändert; 1 Zeile braucht Aufmerksamkeit").wait_for()
    report = page.locator(".sid-table").first
    cell(report, "mehrdeutig")
    cell(report, "05711000")
    shoot(page, "register-editor-preview.png")

    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("Import Nr. 2 gespeichert: 1 neu, 0 geändert, 0 unverändert.").wait_for()
    # A fresh, empty uploader and no report any more (the old ones fade out as the page reruns).
    expect(page.locator("input[type=file]")).to_have_count(1)
    expect(page.get_by_text("2 Zeilen:")).to_have_count(0)
    page.get_by_label("Suche (Name, Schlüssel, Quelle)").fill("Bielefeld")
    page.get_by_label("Suche (Name, Schlüssel, Quelle)").press("Enter")
    members = page.locator(".sid-table").first
    cell(members, "Februar 2023")
    cell(members, "Bielefeld")
    cell(page.locator(".sid-table").nth(1), f"app:{EDITOR}")  # the history names the editor's account
    shoot(page, "register-editor-committed.png")
    assert csp_violations(page) == []

    # The dashboard reads the register: Bielefeld (RB Detmold) now counts on 1 March 2023.
    after = gemeinden_covered(page, register_app)
    assert int(after.split()[0]) == int(before.split()[0]) + 1, (before, after)


def test_a_viewer_sees_the_register_but_no_edit_controls(register_app, page):
    page.goto(f"{register_app}/register")
    page.get_by_role("heading", name="Verlauf").wait_for()
    cell(page.locator(".sid-table").first, "Gewerkschaft")
    # Without the cookie: a link to the sign-in page, nothing that edits.
    link = page.get_by_role("link", name="Anmelden zum Bearbeiten")
    link.wait_for()
    assert urlsplit(link.get_attribute("href")).path == "/_sid/anmelden"
    page.get_by_text("Die Anmeldung gilt nur in diesem Browser").wait_for()
    assert page.get_by_text("Angemeldet als").count() == 0
    for control in EDIT_CONTROLS:
        assert page.get_by_role("button", name=control).count() == 0, control
    assert page.locator("input[type=file]").count() == 0
    assert page.get_by_text("Körperschaft wählen").count() == 0
    assert csp_violations(page) == []
    shoot(page, "register-viewer.png")


def test_bezirke_read_as_mostly_inferred_and_recklinghausen_as_documented(app_url, page):
    """Evidence as a person sees it: coverage hatched where it rests on inference, documented where it is."""
    page.goto(f"{app_url}/?date=2024-02-01&level=regierungsbezirk")
    root = map_root(page)
    wait_in_map(page, "(root) => root.querySelectorAll('path[data-status]').length === 5")
    # Every Bezirk is fully covered, and every one mostly by inference (Düsseldorf 3 of 66 documented).
    assert root.locator('path[data-status=full][data-inferred="1"]').count() == 5
    legend = root.get_by_test_id("map-legend").inner_text()
    assert "alle Gemeinden abgedeckt" in legend and "schraffiert" in legend
    page.get_by_text("davon 23 belegt ·").first.wait_for()  # the figures line; the split under the cards:
    page.get_by_text("Gemeinden: 23 (13 einzeln, 10 über den Kreis)").first.wait_for()
    shoot(page, "map-nrw-regierungsbezirke-2024-02-01.png")

    page.goto(f"{app_url}/?date=2023-01-01&region=055")
    map_root(page)
    wait_in_map(page, "(root) => root.querySelectorAll('path[data-status]').length === 78")
    documented = in_map(
        page, "(root) => [...root.querySelectorAll('path[data-inferred=\"0\"]')].map(p => p.dataset.status).sort()"
    )
    # Kreis Recklinghausen's 10 Gemeinden through their documented Kreis; Rheine and Tecklenburg on their own.
    assert documented == ["member"] * 2 + ["via_kreis"] * 10
    page.get_by_text("Gemeinden: 12 (2 einzeln, 10 über den Kreis)").first.wait_for()
    shoot(page, "map-recklinghausen-2023-01-01.png")


@pytest.mark.parametrize("component", ["coverage_map", "timeline_chart"])
def test_component_files_are_cached_with_validators(app_url, component):
    """A component's files: versioned references, a year for hashed ones, ETags and 304s (dashboard/assets.py)."""
    import re
    import urllib.error
    import urllib.request

    base = f"{app_url}/_stcore/bidi-components/sid-atlas.{component}"

    def get(path: str, tag: str | None = None):
        request = urllib.request.Request(base + path, headers={"If-None-Match": tag} if tag else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:  # urllib raises for 304
            return error.code, error.headers, b""

    for entry, kind in (("/index.js", "javascript"), ("/index.css", "text/css")):
        status, headers, body = get(entry)
        assert status == 200 and headers["ETag"] and headers["Cache-Control"] == "max-age=60", entry
        assert kind in headers["Content-Type"], headers["Content-Type"]  # a module needs a JavaScript type
        references = re.findall(r'(?:import |from |url\()"\.?/?([^"]+)"', body.decode())
        assert references and all(re.search(r"\?v=[0-9a-f]{12}$", ref) for ref in references), references
        assert get(entry, headers["ETag"])[0] == 304
        for ref in references:
            status, ref_headers, _ = get("/" + ref)
            assert status == 200 and ref_headers["Cache-Control"] == "public, max-age=31536000, immutable", ref
            assert get("/" + ref, ref_headers["ETag"])[0] == 304
    own = "/map.js" if component == "coverage_map" else "/chart.js"
    assert get(own)[1]["Cache-Control"] == "public, max-age=86400"  # without its hash: a day
    assert get("/../app.py")[0] in (400, 404)
