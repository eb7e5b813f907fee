"""The words a person reads on the map, in Chromium: tooltip, legend, description, Datenstand, ring.

RB Detmold on 1 February 2024 under "nur belegte Beitritte": Bielefeld's tooltip says "nicht
einzeln belegt" with the inference beside it, the legend and the map's description never say
"nicht abgedeckt", and the page names the Datenstand. At Bezirk level with a compare date
Detmold keeps its partial fill and is ringed as new. Screenshots: ``artifacts/words-*.png``.
"""

from __future__ import annotations

import pytest

from loaders import provenance
from tests.browser.support import ARTIFACTS, map_root, shoot, wait_in_map
from tests.helpers import word_problems
from viewmodel.i18n import format_date

pytestmark = pytest.mark.browser


def test_detmold_under_documented_only_as_a_person_reads_it(app_url, page, coverage):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{app_url}/?date=2024-02-01&region=057&evidence=documented")
    root = map_root(page)
    as_of = provenance.data_as_of(coverage)
    page.get_by_text(f"Datenstand: {format_date(as_of.day)}").first.wait_for()

    legend = root.get_by_test_id("map-legend")
    legend_text = legend.inner_text()
    assert "nicht einzeln belegt" in legend_text and "Mitglied – einzeln belegt" in legend_text
    assert word_problems(legend_text, documented_only=True) == []
    ARTIFACTS.mkdir(exist_ok=True)
    legend.screenshot(path=str(ARTIFACTS / "words-legend-detmold-documented.png"))

    search = page.get_by_role("textbox", name="Ort auf der Karte suchen")
    search.click()
    page.keyboard.type("Bielefeld")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.sidMap.selected === '05711000'")
    tip = root.get_by_test_id("map-tooltip").filter(has_text="Bielefeld")
    tip.wait_for()
    said = tip.inner_text()
    assert "Status: nicht einzeln belegt – abgeleitet abgedeckt seit 1. Februar 2024 (Beitritt des RB Detmold)" in said
    assert word_problems(said, documented_only=True) == []
    # The live region is emptied and filled again a moment later (so a repeated phrase is announced again).
    wait_in_map(page, "(root) => root.querySelector('#announce').textContent.includes('Bielefeld')")
    announced = root.locator("#announce").text_content()
    assert "nicht einzeln belegt" in announced and word_problems(announced, documented_only=True) == []
    root.screenshot(path=str(ARTIFACTS / "words-tooltip-bielefeld-documented.png"))

    page.get_by_text("Kartenbeschreibung").click()
    shown = page.get_by_test_id("stExpander").filter(has_text="Kartenbeschreibung").get_by_test_id("stText")
    shown.wait_for()
    description = shown.inner_text()
    assert "69 Gemeinden sind nicht einzeln belegt, davon 69 abgeleitet abgedeckt" in description
    assert f"Datenstand: {format_date(as_of.day)}" in description
    assert word_problems(description, documented_only=True) == []
    shown.screenshot(path=str(ARTIFACTS / "words-description-detmold-documented.png"))
    shoot(page, "words-page-detmold-documented.png")


def test_a_new_bezirk_keeps_its_partial_fill_and_is_ringed(app_url, page):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{app_url}/?date=2024-02-01&compare=2024-01-31&level=regierungsbezirk&evidence=documented")
    root = map_root(page)
    wait_in_map(page, "(root) => root.querySelectorAll('path[data-status]').length === 5")
    # Detmold: partial (1 of 70 documented), new since the compare date, drawn in its own fill with a ring.
    assert root.locator('path[data-status=partial][data-new="1"]').count() == 1
    assert page.evaluate("() => window.sidMap.fresh") == 1
    legend = root.get_by_test_id("map-legend").inner_text()
    assert "neu seit 31. Januar 2024" in legend and "einzelne Gemeinden belegt" in legend
    root.screenshot(path=str(ARTIFACTS / "words-ring-detmold-new.png"))
