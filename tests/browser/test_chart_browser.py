"""The timeline charts in a real browser: one tab stop each, arrow keys walk the points and
announce them politely, Escape leaves, hover shows the same tooltip, axe finds nothing in them.
In the page itself (components v2, no iframe).

Debian's Chromium through Playwright against ``sid-atlas serve`` (its own register), network cut off.
Screenshots: ``artifacts/chart-*.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import provenance
from loaders.viewstate import FIRST_DAY, ViewState
from tests.browser.support import ARTIFACTS, csp_violations, deep_focus, map_root
from tests.browser.test_browser_a11y import DESKTOP, PHONE, axe, focus_path, new_page, report
from viewmodel.i18n import format_date, format_int
from viewmodel.model import build

pytestmark = pytest.mark.browser

COVERAGE = "Diagramm: Abdeckung im Verlauf"
SIZES = "Diagramm: veröffentlichte Netzwerkgröße"


def charts(page) -> dict:
    """The two charts (locators of their roots, in the page) by accessible name, once each has drawn."""
    page.wait_for_function(
        "() => window.sidCharts && ['chart-coverage', 'chart-sizes'].every(k => (window.sidCharts[k] || {}).drawn > 0)",
        timeout=30_000,
    )
    found = {}
    for key in ("chart-coverage", "chart-sizes"):
        root = page.get_by_test_id(key)
        found[root.locator("#chart").get_attribute("aria-label")] = root
    return found


def announced(page, key: str, text: str) -> None:
    """Wait until the chart ``key``'s live region holds ``text``."""
    page.wait_for_function(
        "([key, text]) => window.sidCharts[key].root.querySelector('#announce').textContent.includes(text)",
        arg=[key, text],
    )


def test_coverage_chart_is_one_tab_stop_and_announces_the_points(register_app, browser, coverage):
    page = new_page(browser, DESKTOP)
    page.goto(f"{register_app}/?date=2024-02-01&compare=2023-09-08")
    map_root(page)
    found = charts(page)
    assert set(found) == {COVERAGE, SIZES}
    assert page.locator("iframe").count() == 0
    chart = found[COVERAGE]
    box = chart.locator("#chart")
    assert box.get_attribute("role") == "application" and box.get_attribute("tabindex") == "0"
    # The chart's title is a heading under the page's "Verlauf" (h2): h3, in the page's outline.
    assert chart.get_by_role("heading", level=3).text_content() == "Abdeckung im Verlauf"
    assert "Pfeiltasten" in chart.locator("#chart-summary").text_content()
    legend = chart.locator("#legend").text_content()
    assert "Stichtag: 1. Februar 2024" in legend and "Vergleich mit: 8. September 2023" in legend

    # Reached by Tab from the heading above it: the next tab stop is the chart, once.
    page.get_by_role("heading", name="Verlauf", exact=True).evaluate("h => { h.tabIndex = -1; h.focus(); }")
    for presses in range(1, 5):  # noqa: B007 - the count is asserted below
        page.keyboard.press("Tab")
        if focus_path(page).startswith("component:chart-coverage"):
            break
    assert focus_path(page) == "component:chart-coverage:DIV#chart", focus_path(page)
    assert presses <= 2, presses  # the heading's anchor link, then the chart
    print(f"Tab presses from the heading to the chart: {presses}")

    for _ in range(4):
        page.keyboard.press("ArrowRight")
    live = chart.locator("#announce")
    assert live.get_attribute("aria-live") == "polite"
    announced(page, "chart-coverage", "4 von")
    said = live.text_content()
    # The points end at the Datenstand (the chart's last point and its table's last row).
    timeline = coverage.timeline("all", None, start=FIRST_DAY, end=provenance.figures_day(coverage, dt.date.today()))
    day = timeline["day"].iloc[3]
    now = build(coverage, ViewState(day), tooltips=False).now
    assert said.startswith(format_date(day)), said
    assert f"{format_int(now['gemeinden_covered'])} von {format_int(now['gemeinden_total'])}" in said, said
    tip = chart.locator("#tip")
    assert tip.is_visible() and tip.text_content().startswith(format_date(day))
    assert chart.locator("#focus *").count() >= 2  # the guide line and a marker per series with a value
    ARTIFACTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "chart-coverage-focus.png"))

    page.keyboard.press("End")
    announced(page, "chart-coverage", f"({len(timeline)} von {len(timeline)})")
    page.keyboard.press("Escape")
    assert deep_focus(page)["id"] != "chart"  # Escape leaves the chart
    assert tip.is_hidden()
    page.keyboard.press("Tab")  # no trap: Tab goes on past the chart
    assert not focus_path(page).startswith("component:chart-coverage"), focus_path(page)

    # Hover shows the same tooltip (not announced); the pointer may rest on it; Escape dismisses it.
    hit = chart.locator("#plot > rect").last
    area = hit.bounding_box()
    hit.hover(position={"x": area["width"] - 2, "y": area["height"] / 2})
    tip.wait_for(state="visible")
    assert tip.text_content().startswith(format_date(timeline["day"].iloc[-1]))
    on_tip = tip.bounding_box()
    page.mouse.move(on_tip["x"] + on_tip["width"] / 2, on_tip["y"] + on_tip["height"] / 2, steps=4)
    page.wait_for_timeout(300)
    assert tip.is_visible() and tip.text_content().startswith(format_date(timeline["day"].iloc[-1]))
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    # The Datenstand: a labelled rule in the legend, and the band after it says there is nothing known.
    as_of = provenance.data_as_of(coverage).day
    legend = chart.locator("#legend").text_content()
    assert f"Datenstand: {format_date(as_of)}" in legend and "Keine Angaben nach dem Datenstand" in legend
    assert "keine angaben" in chart.locator("#plot").text_content().casefold()  # the long form where it fits
    sizes = found[SIZES]
    assert sizes.locator("#undated").is_visible()
    assert sizes.locator("#undated-list li").count() == 3
    assert "2.450" in sizes.locator("#undated-list").text_content()
    chart.screenshot(path=str(ARTIFACTS / "chart-coverage-datenstand.png"))
    sizes.screenshot(path=str(ARTIFACTS / "chart-sizes-undated.png"))

    # axe on the page with both charts in it (their shadow roots included).
    found_axe = axe(page, "charts")
    assert found_axe == [], report(found_axe)
    page.context.close()


def test_charts_fit_a_phone_and_keep_their_keys(register_app, browser):
    page = new_page(browser, PHONE)
    page.goto(f"{register_app}/?date=2024-02-01&region=057")
    map_root(page)
    found = charts(page)
    chart = found[COVERAGE]
    assert chart.evaluate("(root) => root.scrollWidth <= root.clientWidth")
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth") <= PHONE["width"]
    box = chart.locator("#chart")
    box.focus()
    box.press("End")
    box.press("ArrowLeft")
    page.wait_for_function("() => window.sidCharts['chart-coverage'].root.querySelector('#announce').textContent")
    tip = chart.locator("#tip").bounding_box()
    frame = chart.bounding_box()
    assert tip["x"] >= frame["x"] and tip["x"] + tip["width"] <= frame["x"] + frame["width"] + 1
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "chart-coverage-phone.png"))
    sizes = found[SIZES]
    sizes.locator("#chart").focus()
    sizes.locator("#chart").press("Home")
    announced(page, "chart-sizes", "1 von")
    sizes.scroll_into_view_if_needed()
    sizes.screenshot(path=str(ARTIFACTS / "chart-sizes-phone.png"))
    page.context.close()


def test_charts_draw_under_the_content_security_policy(register_app, page):
    page.goto(f"{register_app}/?date=2024-02-01")
    map_root(page)
    for chart in charts(page).values():
        assert chart.locator("#plot path").count() >= 2
    assert csp_violations(page) == [], csp_violations(page)
