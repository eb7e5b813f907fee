"""The page's state in Chromium as a person uses it (H1, announcements, focus after a download).

After each step the address bar, the sidebar's fields and the view on screen say the same, and the
Stichtag is the one the person set. Nothing here depends on how the map is drawn (frame or not): the
page is ready when its figure cards stand (they follow the map's first picture).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.support import map_root, shoot, wait_in_map

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def person(browser, app_url):
    """A desktop page on the served app, network cut off beyond it."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", accept_downloads=True)
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost") else route.abort()
        ),
    )
    page = context.new_page()
    page.base = app_url
    yield page
    context.close()


def opened(page, query: str) -> None:
    page.goto(f"{page.base}/?{query}")
    page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)


def address(page) -> dict:
    return dict(parse_qsl(urlsplit(page.url).query))


def compare_field(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").locator("input")


def agree(page, expected: dict, stand: str) -> None:
    """Address, sidebar and view agree: the URL's parameters, the compare field, the Stichtag shown."""
    page.wait_for_function(
        "(want) => new URLSearchParams(location.search).toString() === want",
        arg="&".join(f"{k}={v}" for k, v in expected.items()),
        timeout=60_000,  # a level change reruns the whole page: 20 s ran out once at load 7 (CI, serial pass)
    )
    from playwright.sync_api import expect

    page.get_by_text(f"Stand: {stand} ·").wait_for()
    # The run's elements arrive one after another: the slider and the sidebar follow the caption shortly.
    expect(page.get_by_role("slider", name="Stichtag")).to_have_attribute(
        "aria-valuetext", ".".join(reversed(expected["date"].split("-")))
    )
    compare = expected.get("compare")
    # (The field's input holds the day as ISO or as shown, DD.MM.YYYY, by Streamlit's version.)
    wanted = ("",) if compare is None else (compare, ".".join(reversed(compare.split("-"))))
    expect(compare_field(page)).to_have_value(re.compile("^(" + "|".join(map(re.escape, wanted)) + ")$"))
    level = {"gemeinde": "Gemeinde", "kreis": "Kreis"}[expected.get("level", "gemeinde")]
    expect(page.get_by_test_id("stSidebar").get_by_role("radio", name=level, exact=True)).to_be_checked()
    # The page is done with the change: the address still says what the screen shows.
    assert address(page) == expected


def announcement(page) -> str:
    """What the page's one live region for views, the map's, said last."""
    return map_root(page).locator("#announce").text_content()


def announced(page, test: str) -> None:
    """Wait until the map's live region's text passes ``test`` (a JavaScript function of the text)."""
    wait_in_map(page, f"(root) => ({test})(root.querySelector('#announce').textContent)")


def test_h1_jump_to_koeln_clears_the_later_compare_date_and_says_so_then_kreis_keeps_the_stichtag(person):
    page = person
    opened(page, "date=2024-02-01&compare=2023-09-25")
    agree(page, {"date": "2024-02-01", "compare": "2023-09-25"}, "1. Februar 2024")

    page.get_by_role("button", name="Springen, Schritt").click()
    jump = page.get_by_role("combobox", name="Springen zu")
    jump.click()
    page.get_by_role("option", name="Beitritt RB Köln – 8. September 2023").click()
    agree(page, {"date": "2023-09-08"}, "8. September 2023")
    notice = page.get_by_test_id("stAlertContainer").filter(has_text="Vergleich mit 25. September 2023 aufgehoben")
    notice.wait_for()
    assert notice.get_attribute("role") == "status"  # polite: st.info, not st.warning's alert
    assert "er läge nach dem Stichtag 8. September 2023" in notice.inner_text()
    announced(page, "(text) => text.startsWith('Vergleich mit 25. September 2023 aufgehoben')")
    said = announcement(page)
    assert "Stand 8. September 2023" in said and re.search(r"Abgedeckt sind \d+ von 396 Gemeinden", said)
    shoot(page, "page-h1-after-jump.png")

    page.get_by_test_id("stSidebar").get_by_text("Kreis", exact=True).click()
    agree(page, {"date": "2023-09-08", "level": "kreis"}, "8. September 2023")
    page.get_by_text("Karte: Kreise").first.wait_for(state="attached")
    assert (
        page.get_by_test_id("stAlertContainer").filter(has_text="aufgehoben").count() == 0
    )  # a level click changes no date
    shoot(page, "page-h1-after-kreis.png")


def test_h1_two_vortag_keep_the_days_the_person_stepped_to(person):
    page = person
    opened(page, "date=2024-02-01&compare=2024-01-31&region=057")
    page.get_by_role("button", name="Vortag").click()
    agree(page, {"date": "2024-01-31", "region": "057"}, "31. Januar 2024")
    page.get_by_test_id("stAlertContainer").filter(has_text="Vergleich mit 31. Januar 2024 aufgehoben").wait_for()
    page.get_by_role("button", name="Vortag").click()
    agree(page, {"date": "2024-01-30", "region": "057"}, "30. Januar 2024")
    page.get_by_test_id("stSidebar").get_by_text("Kreis", exact=True).click()
    agree(page, {"date": "2024-01-30", "level": "kreis", "region": "057"}, "30. Januar 2024")
    shoot(page, "page-h1-two-vortag-kreis.png")


def test_a_stichtag_change_and_a_place_search_are_announced_politely(person):
    page = person
    opened(page, "date=2024-02-01&region=057")
    region = map_root(page).locator("#announce")
    assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
    assert announcement(page) == ""
    slider = page.get_by_role("slider", name="Stichtag")
    slider.focus()
    slider.press("ArrowLeft")  # the keyboard, as a person without a mouse moves the day
    announced(page, "(text) => text.includes('31. Januar 2024')")
    said = announcement(page)
    assert "Regierungsbezirk Detmold, Stand 31. Januar 2024" in said and "Abgedeckt sind 0 von 70 Gemeinden" in said
    search = page.get_by_role("textbox", name="Ort auf der Karte suchen")
    search.fill("Bielefeld")
    search.press("Enter")
    announced(page, "(text) => text.startsWith('Bielefeld gefunden')")
    assert announcement(page) == "Bielefeld gefunden: noch nicht abgedeckt."
    search.fill("berg")
    search.press("Enter")
    announced(page, "(text) => / Treffer(, die ersten \\d+)?: /.test(text)")


def test_focus_stays_on_a_download_button_after_the_download(person):
    """Keyboard only: Enter on a download button saves the file, and the next Tab goes on from that button."""
    page = person
    opened(page, "date=2024-02-01&region=057")
    page.get_by_text("Dateien für diese Ansicht anbieten").click()
    csv = page.get_by_role("button", name="CSV", exact=True)
    csv.wait_for(timeout=60_000)
    csv.focus()
    with page.expect_download(timeout=60_000) as saved:
        page.keyboard.press("Enter")
    assert saved.value.suggested_filename.endswith(".csv")
    # The button is disabled while the file is made (focus falls to <body>), then page.js gives it back.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('[data-testid=stDownloadButton]')"
        " && document.activeElement.textContent.endsWith('CSV')",
        timeout=20_000,
    )
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").endswith("XLSX")

    # The members list's download too (its own key), and a focus the person moves on is left alone.
    page.get_by_text("Liste zeigen", exact=True).click()
    members = page.get_by_role("button", name="CSV herunterladen")
    members.wait_for(timeout=60_000)
    members.focus()
    with page.expect_download(timeout=60_000):
        page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.textContent.endsWith('CSV herunterladen')",
        timeout=20_000,
    )
    shoot(page, "page-focus-after-download.png")
