"""The timeline charts in a real browser (issue 11): one tab stop each, arrow keys walk the points and
announce them politely, Escape leaves, hover shows the same tooltip, axe finds nothing in the frame.

Debian's Chromium through Playwright against ``sid-atlas serve`` (its own register), network cut off.
Screenshots: ``artifacts/chart-*.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import provenance
from loaders.viewstate import FIRST_DAY, ViewState
from tests.browser.support import ARTIFACTS, csp_violations, map_frame
from tests.browser.test_browser_a11y import DESKTOP, PHONE, axe, focus_path, new_page, report
from viewmodel.i18n import format_date, format_int
from viewmodel.model import build

pytestmark = pytest.mark.browser

COVERAGE_FRAME = "Diagramm: Abdeckung im Verlauf"
SIZES_FRAME = "Diagramm: veröffentlichte Netzwerkgröße"


def chart_frames(page) -> dict:
    """The two chart frames by title, once each has drawn."""
    page.wait_for_selector(f"iframe[title='{SIZES_FRAME}']", timeout=30_000)
    frames = {}
    for element in page.locator("iframe[src*='timeline_chart']").element_handles():
        frame = element.content_frame()
        frame.wait_for_function("() => window.sidChart && window.sidChart.drawn > 0", timeout=30_000)
        frames[element.get_attribute("title")] = (element, frame)
    return frames


def test_coverage_chart_is_one_tab_stop_and_announces_the_points(register_app, browser, coverage):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&compare=2023-09-08")
    map_frame(page)
    frames = chart_frames(page)
    assert set(frames) == {COVERAGE_FRAME, SIZES_FRAME}
    element, frame = frames[COVERAGE_FRAME]
    box = frame.locator("#chart")
    assert box.get_attribute("role") == "application" and box.get_attribute("tabindex") == "0"
    assert frame.locator("#chart-title").text_content() == "Abdeckung im Verlauf"
    assert "Pfeiltasten" in frame.locator("#chart-summary").text_content()
    legend = frame.locator("#legend").text_content()
    assert "Stichtag: 1. Februar 2024" in legend and "Vergleich mit: 8. September 2023" in legend

    # Reached by Tab from the heading above it: the next tab stop is the chart, once.
    page.get_by_role("heading", name="Verlauf", exact=True).evaluate("h => { h.tabIndex = -1; h.focus(); }")
    for presses in range(1, 5):  # noqa: B007 - the count is asserted below
        page.keyboard.press("Tab")
        if focus_path(page).startswith(f"frame:{COVERAGE_FRAME}"):
            break
    assert focus_path(page) == f"frame:{COVERAGE_FRAME}:DIV#chart", focus_path(page)
    assert presses <= 2, presses  # the heading's anchor link, then the chart
    print(f"Tab presses from the heading to the chart: {presses}")

    for _ in range(4):
        page.keyboard.press("ArrowRight")
    live = frame.locator("#announce")
    assert live.get_attribute("aria-live") == "polite"
    frame.wait_for_function("() => document.getElementById('announce').textContent.includes('4 von')")
    said = live.text_content()
    # The points end at the Datenstand (the chart's last point and its table's last row).
    timeline = coverage.timeline("all", None, start=FIRST_DAY, end=provenance.figures_day(coverage, dt.date.today()))
    day = timeline["day"].iloc[3]
    now = build(coverage, ViewState(day), tooltips=False).now
    assert said.startswith(format_date(day)), said
    assert f"{format_int(now['gemeinden_covered'])} von {format_int(now['gemeinden_total'])}" in said, said
    tip = frame.locator("#tip")
    assert tip.is_visible() and tip.text_content().startswith(format_date(day))
    assert frame.locator("#focus *").count() >= 2  # the guide line and a marker per series with a value
    ARTIFACTS.mkdir(exist_ok=True)
    element.screenshot(path=str(ARTIFACTS / "chart-coverage-focus.png"))

    page.keyboard.press("End")
    frame.wait_for_function(
        "(n) => document.getElementById('announce').textContent.includes(`(${n} von ${n})`)", arg=len(timeline)
    )
    page.keyboard.press("Escape")
    assert frame.evaluate("() => document.activeElement.id") != "chart"  # Escape leaves the chart
    assert tip.is_hidden()
    page.keyboard.press("Tab")  # no trap: Tab goes on past the chart
    assert not focus_path(page).startswith(f"frame:{COVERAGE_FRAME}"), focus_path(page)

    # Hover shows the same tooltip (not announced).
    hit = frame.locator("#plot > rect").last
    area = hit.bounding_box()
    hit.hover(position={"x": area["width"] - 2, "y": area["height"] / 2})
    tip.wait_for(state="visible")
    assert tip.text_content().startswith(format_date(timeline["day"].iloc[-1]))
    # The Datenstand: a labelled rule in the legend, and the band after it says there is nothing known.
    as_of = provenance.data_as_of(coverage).day
    legend = frame.locator("#legend").text_content()
    assert f"Datenstand: {format_date(as_of)}" in legend and "Keine Angaben nach dem Datenstand" in legend
    assert "keine angaben" in frame.locator("#plot").text_content().casefold()  # the long form where it fits
    sizes = frames[SIZES_FRAME][1]
    assert sizes.locator("#undated").is_visible()
    assert sizes.locator("#undated-list li").count() == 3
    assert "2.450" in sizes.locator("#undated-list").text_content()
    element.screenshot(path=str(ARTIFACTS / "chart-coverage-datenstand.png"))
    frames[SIZES_FRAME][0].screenshot(path=str(ARTIFACTS / "chart-sizes-undated.png"))

    for title, (_, chart) in frames.items():
        found = axe(chart, title)
        assert found == [], report(found)
    page.context.close()


def test_charts_fit_a_phone_and_keep_their_keys(register_app, browser):
    page = new_page(browser, PHONE)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_frame(page)
    frames = chart_frames(page)
    element, frame = frames[COVERAGE_FRAME]
    assert frame.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    box = frame.locator("#chart")
    box.focus()
    box.press("End")
    box.press("ArrowLeft")
    frame.wait_for_function("() => document.getElementById('announce').textContent.length > 0")
    tip = frame.locator("#tip").bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= frame.evaluate("() => window.innerWidth") + 1
    element.scroll_into_view_if_needed()
    element.screenshot(path=str(ARTIFACTS / "chart-coverage-phone.png"))
    sizes_element, sizes = frames[SIZES_FRAME]
    sizes.locator("#chart").focus()
    sizes.locator("#chart").press("Home")
    sizes.wait_for_function("() => document.getElementById('announce').textContent.includes('1 von')")
    sizes_element.scroll_into_view_if_needed()
    sizes_element.screenshot(path=str(ARTIFACTS / "chart-sizes-phone.png"))
    page.context.close()


def test_charts_draw_under_the_content_security_policy(register_app, page):
    page.goto(f"{register_app}/?date=2024-02-01")
    map_frame(page)
    frames = chart_frames(page)
    for _, frame in frames.values():
        assert frame.evaluate("() => document.querySelectorAll('#plot path').length") >= 2
    assert csp_violations(page) == [], csp_violations(page)
