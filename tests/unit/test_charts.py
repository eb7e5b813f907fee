"""The timeline charts' data (``viewmodel.charts``): contrast, patterns besides colour, words as the tables say."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from loaders import accessions, provenance
from loaders.errors import DataError
from loaders.viewstate import FIRST_DAY
from tests.unit.test_accessibility import contrast
from viewmodel import charts
from viewmodel.picture_tables import sizes_table, timeline_table
from webparts.components import CHART_DIR

WHITE = "#ffffff"
TODAY = dt.date(2026, 12, 1)
CSS = CHART_DIR / "chart.css"


def built(coverage, lang="de"):
    as_of = provenance.data_as_of(coverage)
    frame = coverage.timeline("all", None, start=FIRST_DAY, end=provenance.figures_day(coverage, TODAY))
    return frame, charts.coverage_chart(frame, accessions.read_events(), FIRST_DAY, TODAY, lang, as_of)


def test_lines_markers_and_rules_reach_three_to_one_and_text_four_and_a_half(coverage):
    _, chart = built(coverage)
    sizes = charts.sizes_chart(accessions.read_network_sizes(), FIRST_DAY, TODAY)
    for series in chart["series"] + sizes["series"]:
        assert contrast(series["colour"], WHITE) >= 3, series
    for colour, _ in chart["ruleStyles"] + [chart["asOfStyle"]]:
        assert contrast(colour, WHITE) >= 3, colour
    # The band after the Datenstand carries its words: text on it reaches 4.5:1, the rule 3:1 on it.
    assert contrast(chart["ink"], chart["afterFill"]) >= 4.5
    assert contrast(chart["asOfStyle"][0], chart["afterFill"]) >= 3
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
    assert chart["undated"][0] == "2.450 Personen, 850 Organisationen (nachrichten.ag)"
    assert "3 Werte ohne Datum, nicht eingezeichnet" in chart["summary"]
    # The y axis is that of the dated points (2,450 is drawn nowhere).
    assert chart["yMax"] < 2450
    with pytest.raises(DataError, match="undated value cannot be placed on the time axis"):
        charts.time_axis_days(list(accessions.undated_sizes(sizes)["day"]))


def test_the_server_hands_out_the_chart_files_versioned_and_its_data_for_a_year():
    import asyncio

    from dashboard import assets, chartview, datafiles
    from webparts import components

    prefix = next(p for p, folder in components.FOLDERS.items() if folder == CHART_DIR)
    assert prefix == "/_stcore/bidi-components/sid-atlas.timeline_chart/"  # where Streamlit asks for them
    status, body, headers = assets.response(prefix + "index.js", "", None)
    entry = body.decode("utf-8")
    assert status == 200 and headers["cache-control"] == assets.INDEX
    assert headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    assert f'export {{ default }} from "./chart.js?v={components.digest(CHART_DIR / "chart.js")}";' in entry
    assert assets.response(prefix + "index.js", "", headers["etag"])[0] == 304
    status, body, headers = assets.response(prefix + "index.css", "", None)
    assert status == 200 and headers["cache-control"] == assets.INDEX
    assert f'@import url("chart.css?v={components.digest(CHART_DIR / "chart.css")}");' in body.decode("utf-8")
    url = chartview.data_url({"days": ["2024-02-01"]}, "test-unit")
    try:
        status, body, headers = asyncio.run(datafiles.answer(url, None))
        assert status == 200 and body == b'{"days":["2024-02-01"]}' and headers["cache-control"] == assets.YEAR
        assert url.startswith("/_sid/daten/chart-test-unit-") and assets.response(prefix + url, "", None) is None
    finally:
        datafiles.path_of(url).unlink()
    assert assets.response(prefix + "../map_component/map.js", "", None) is None


def test_the_datenstand_is_a_rule_and_nothing_after_it_is_drawn_as_known(coverage):
    frame, chart = built(coverage)
    assert chart["asOf"] == ["2025-11-14", "Datenstand: 14. November 2025"]
    assert chart["after"] == "Keine Angaben nach dem Datenstand"
    # The last point is the Datenstand's own day (the table's last row), none after it.
    assert chart["days"][-1] == "2025-11-14" and frame["day"].iloc[-1] == dt.date(2025, 11, 14)
    assert chart["tips"][-1][0] == "14. November 2025" and chart["tips"][-1][-1].startswith("Datenstand")
    assert "Datenstand: 14. November 2025 (jüngste datierte Quelle: presseportal.de" in chart["summary"]
    assert "Keine Angaben nach dem Datenstand." in chart["summary"]
    # Its rule looks like no other rule, event line or series.
    dashes = {dash for _, dash in chart["ruleStyles"]} | {s["dash"] for s in chart["series"]} | {"2 3"}
    assert chart["asOfStyle"][1] not in dashes
    sizes = charts.sizes_chart(accessions.read_network_sizes(), FIRST_DAY, TODAY, "en", provenance.data_as_of(coverage))
    assert sizes["asOf"] == ["2025-11-14", "Data as of: 14 November 2025"]
    assert sizes["after"] == "No information after the data's date"
    # A point after the Datenstand would present the unknown as known.
    later = coverage.timeline("all", None, start=FIRST_DAY, end=TODAY)
    with pytest.raises(DataError, match="point after the Datenstand"):
        charts.coverage_chart(later, accessions.read_events(), FIRST_DAY, TODAY, "de", provenance.data_as_of(coverage))


def test_a_chart_that_ends_before_the_datenstand_has_no_rule_and_no_band(coverage):
    as_of = provenance.data_as_of(coverage)
    end = dt.date(2024, 2, 1)
    frame = coverage.timeline("all", None, start=FIRST_DAY, end=end)
    chart = charts.coverage_chart(frame, accessions.read_events(), FIRST_DAY, end, "de", as_of)
    assert chart["asOf"] is None and chart["after"] is None and "Datenstand" not in chart["summary"]
    # On the Datenstand itself: the rule, but no band (nothing of the axis lies after it).
    frame = coverage.timeline("all", None, start=FIRST_DAY, end=as_of.day)
    chart = charts.coverage_chart(frame, accessions.read_events(), FIRST_DAY, as_of.day, "de", as_of)
    assert chart["asOf"][0] == "2025-11-14" and chart["after"] is None
