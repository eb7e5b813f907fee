"""The timeline charts' data (``viewmodel.charts``): contrast, patterns besides colour, words as the tables say."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.chartview import CHART_DIR
from loaders import accessions
from loaders.errors import DataError
from loaders.viewstate import FIRST_DAY
from tests.unit.test_accessibility import contrast
from viewmodel import charts
from viewmodel.tables import sizes_table, timeline_table

WHITE = "#ffffff"
TODAY = dt.date(2026, 12, 1)
CSS = CHART_DIR / "chart.css"


def built(coverage, lang="de"):
    frame = coverage.timeline("all", None, start=FIRST_DAY, end=TODAY)
    return frame, charts.coverage_chart(frame, accessions.read_events(), FIRST_DAY, TODAY, lang)


def test_lines_markers_and_rules_reach_three_to_one_and_text_four_and_a_half(coverage):
    _, chart = built(coverage)
    sizes = charts.sizes_chart(accessions.read_network_sizes(), FIRST_DAY, TODAY)
    for series in chart["series"] + sizes["series"]:
        assert contrast(series["colour"], WHITE) >= 3, series
    for colour, _ in chart["ruleStyles"]:
        assert contrast(colour, WHITE) >= 3, colour
    assert contrast(chart["eventInk"], WHITE) >= 4.5  # the event lines' labels are text
    assert contrast(chart["ink"], WHITE) >= 4.5
    # The tooltip's and the page's text colours in the stylesheet.
    for colour in set(re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", CSS.read_text(encoding="utf-8"))):
        assert contrast(colour, WHITE) >= 4.5, colour


def test_series_differ_without_colour(coverage):
    _, chart = built(coverage)
    sizes = charts.sizes_chart(accessions.read_network_sizes(), FIRST_DAY, TODAY)
    for drawn in (chart["series"], sizes["series"]):
        looks = [(s["dash"], s["marker"]) for s in drawn]
        assert len({dash for dash, _ in looks}) == len(looks) and len({m for _, m in looks}) == len(looks), looks
        assert all(s["name"] for s in drawn)  # and each has its words in the legend


def test_every_point_says_what_the_table_says(coverage):
    frame, chart = built(coverage, "en")
    table = timeline_table(frame, "en")
    assert len(chart["days"]) == len(chart["tips"]) == len(table) == len(frame)
    for tip, row in zip(chart["tips"], table.itertuples(index=False)):
        assert tip[0] == row[0] and row[1] in tip[1] and row[3] in tip[2]
    assert all(len(s["values"]) == len(chart["days"]) for s in chart["series"])
    assert chart["yTicks"][-1] == [1.0, "100%"]
    sizes = accessions.read_network_sizes()
    points = charts.sizes_chart(sizes, FIRST_DAY, TODAY, "en")
    table = sizes_table(sizes, "en")
    # The points are the table's dated rows; its undated rows are listed under the chart, not drawn.
    dated = len(points["days"])
    assert [tip[0] for tip in points["tips"]] == table.iloc[:dated, 0].tolist()
    assert table.iloc[dated:, 0].tolist() == ["date unknown"] * len(points["undated"]) == ["date unknown"] * 3
    assert points["yMax"] >= max(v for s in points["series"] for v in s["values"] if v is not None)


def test_an_undated_size_is_listed_never_plotted():
    sizes = accessions.read_network_sizes()
    chart = charts.sizes_chart(sizes, FIRST_DAY, TODAY)
    assert chart["days"] == [day.isoformat() for day in accessions.dated_sizes(sizes)["day"]]
    assert len(chart["days"]) == 9 and max(chart["days"]) == "2024-02-01"
    assert all(len(s["values"]) == 9 for s in chart["series"])
    assert chart["undated"][0].startswith("Personen (Multiplikatoren): 2.450; Organisationen: 850 – „über 2.450")
    assert "3 Werte ohne Datum, nicht eingezeichnet" in chart["summary"]
    # The y axis is that of the dated points (2,450 is drawn nowhere).
    assert chart["yMax"] < 2450
    with pytest.raises(DataError, match="undated value cannot be placed on the time axis"):
        charts.time_axis_days(list(accessions.undated_sizes(sizes)["day"]))


def test_the_server_hands_out_the_chart_files_versioned_and_its_data_for_a_year():
    from dashboard import assets, chartview, mapassets

    prefix = next(p for p, folder in mapassets.FOLDERS.items() if folder == CHART_DIR)
    status, body, headers = assets.response(prefix + "index.html", "", None)
    page = body.decode("utf-8")
    assert status == 200 and headers["cache-control"] == assets.INDEX
    assert f'src="chart.js?v={mapassets.digest(CHART_DIR / "chart.js")}"' in page
    assert f'href="chart.css?v={mapassets.digest(CHART_DIR / "chart.css")}"' in page
    assert assets.response(prefix + "index.html", "", headers["etag"])[0] == 304
    url = chartview.data_url({"days": ["2024-02-01"]}, "test-unit")
    try:
        status, body, headers = assets.response(prefix + url, "", None)
        assert status == 200 and body == b'{"days":["2024-02-01"]}' and headers["cache-control"] == assets.YEAR
    finally:
        (CHART_DIR / url).unlink()
    assert assets.response(prefix + "../map_component/map.js", "", None) is None
