"""The product's tables: markup a screen reader reads as a table, sort keys that follow
the formats the tables show, and a CSV of our own that neutralises formulas and says its view.

The browser half (keyboard sorting, ``aria-sort``, the announcement) is ``tests/browser/test_chrome_browser.py``.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from dashboard import accessibility, datatable
from dashboard.datatable import TALL_ROWS, Table, table_html
from loaders import provenance
from loaders.viewstate import ViewState
from tests.helpers import read_tables
from viewmodel import memberlist, picture_tables
from viewmodel.i18n import format_date, format_int, format_partial, format_pct
from viewmodel.model import build, data_version, organisations, words_of
from viewmodel.sorting import column_keys, date_key, number_key
from viewmodel.text import people

HOSTILE = '=HYPERLINK("http://evil.example","x")'


# -- sort keys: the formats the tables write, read back ----------------------------------------------------
@pytest.mark.parametrize("lang", ["de", "en"])
def test_sort_keys_read_back_every_date_and_number_the_tables_write(lang):
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=n) for n in range(0, 1800, 7)]
    for day in days:
        assert date_key(format_date(day, lang), lang) == day.isoformat()
        assert date_key(format_partial(day.isoformat()[:7], "month", lang), lang) == day.isoformat()[:7]
        assert date_key(format_partial(str(day.year), "year", lang), lang) == str(day.year)
    numbers = random.Random(20).sample(range(0, 20_000_000), 300) + [0, 7, 999, 1_000, 999_999, 1_000_000]
    for n in numbers:
        assert number_key(format_int(n, lang), lang) == n
        assert abs(number_key(people(n, lang), lang) - n) <= 5_000  # millions are shown to two decimals
    for share in (0.0, 0.0041, 0.5, 0.8207, 1.0):
        assert number_key(format_pct(share, lang), lang) == pytest.approx(round(100 * share, 1))
    # A column sorts in the order of what it shows: people in full and in millions together.
    shown = [people(n, lang) for n in (345_678, 2_087_744, 18_190_422, 950_000)]
    kind, keys = column_keys(shown, lang)
    assert kind == "number" and [shown[i] for i in sorted(range(4), key=keys.__getitem__)] == [
        people(n, lang) for n in (345_678, 950_000, 2_087_744, 18_190_422)
    ]


def test_each_column_of_the_products_tables_sorts_by_its_kind(coverage):
    model = build(coverage, ViewState(dt.date(2024, 2, 1)), tooltips=False)
    kinds = {c: column_keys(v.tolist())[0] for c, v in picture_tables.map_table(model).items()}
    assert kinds == {
        "Name": "text",
        "Schlüssel": "code",
        "Status": "text",
        "Evidenz": "text",
        "Abgedeckt seit": "date",
        "Quelle": "text",
    }
    kreise = build(coverage, ViewState(dt.date(2024, 2, 1), level="kreis"), tooltips=False)
    counted = picture_tables.map_table(kreise)
    assert column_keys(counted["Gemeinden abgedeckt"].tolist())[0] == "number"
    frame = coverage.timeline("all", None, start=dt.date(2022, 1, 1), end=dt.date(2024, 2, 1))
    timeline = picture_tables.timeline_table(frame)
    assert [column_keys(v.tolist())[0] for _, v in timeline.items()] == ["date"] + ["number"] * 4
    from loaders.accessions import read_network_sizes

    sizes = picture_tables.sizes_table(read_network_sizes())
    assert [column_keys(sizes[c].tolist())[0] for c in ("Datum", "Personen (Multiplikatoren)")] == ["date", "number"]
    # Undated sizes sort last, as empty cells do.
    assert column_keys(sizes["Datum"].tolist())[1].count(None) == (sizes["Datum"] == "Datum unbekannt").sum() > 0
    rows = organisations(coverage, dt.date(2024, 2, 1), "all", None)
    listed = memberlist.members_table(rows, words_of(coverage, ViewState(dt.date(2024, 2, 1))))
    assert column_keys(listed["Beitritt"].tolist())[0] == "date"
    assert column_keys(listed["Beitrittsdatum (ISO)"].tolist())[0] == "date"


# -- markup ------------------------------------------------------------------------------------------
def test_a_table_has_its_caption_header_cells_row_headers_and_marks_its_order():
    frame = pd.DataFrame(
        {
            "Name": ["<img src=x onerror=alert(1)>", "Stadt Köln"],
            "Einwohner": ["2,09 Mio.", "345.678"],
            "Quelle": [HOSTILE, "ots"],
        }
    )
    markup = table_html(
        Table(frame, "Städte <b>NRW</b>", sorted_by=("Name", "ascending"), cell_langs={"Quelle": ["en", None]}),
        "städte",
        "de",
    )
    assert "<img" not in markup and "<b>NRW" not in markup  # every text escaped
    (table,) = read_tables(markup)
    assert table.caption == "Städte <b>NRW</b>"
    assert table.value.values.tolist() == frame.values.tolist()
    assert [h["scope"] for h in table.header.values()] == ["col"] * 3
    assert [h.get("aria-sort") for h in table.header.values()] == ["ascending", None, None]
    assert [h["data-kind"] for h in table.header.values()] == ["text", "number", "text"]
    assert table.row_headers == [True, True]
    assert table.sort_keys == [[None, "2090000", None], [None, "345678", None]]  # only where the text is no key
    assert table.langs == [[None, None, "en"], [None, None, None]]
    assert markup.count('<button type="button">') == 3  # every header cell is a sort button
    assert 'class="sid-table-status" role="status"' in markup
    assert 'data-sorted="Sortiert nach {column}, {order}."' in markup and 'data-ascending="aufsteigend"' in markup


def test_a_long_table_scrolls_in_a_named_box_a_keyboard_reaches():
    short = table_html(Table(pd.DataFrame({"n": range(TALL_ROWS)}), "Kurz"), "kurz")
    tall = table_html(Table(pd.DataFrame({"n": range(TALL_ROWS + 1)}), "Lang"), "lang", "en")
    assert 'role="region"' not in short and 'tabindex="0"' not in short
    assert 'role="region" tabindex="0" aria-labelledby="sid-table-lang-caption"' in tall
    assert 'id="sid-table-lang-caption"' in tall and 'data-sorted="Sorted by {column}, {order}."' in tall


# -- the product's own CSV ------------------------------------------------------------------------------
def test_the_maps_table_downloads_as_our_csv_stamped_with_its_view(coverage):
    view = ViewState(dt.date(2024, 2, 1), region="057")
    model = build(coverage, view, tooltips=False)
    table = accessibility.map_datatable(model, accessibility.stamper(coverage, view))
    assert table.caption == "Gemeinden – Regierungsbezirk Detmold, Stand 1. Februar 2024"
    assert table.file_name == "sicherimdienst-tabelle-gemeinde-057-2024-02-01.csv" and table.name == "Tabelle zur Karte"
    text = table.csv().decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Name,Schlüssel,Status,Evidenz,Abgedeckt seit,Quelle,Stichtag,Evidenzfilter,Datenstand")
    as_of = provenance.data_as_of(coverage)
    assert f',2024-02-01,"alle Beitritte, auch abgeleitete",{as_of.day.isoformat()},' in first
    assert data_version(coverage).digest in first
    hostile = accessibility.stamper(coverage, view)(pd.DataFrame({"Name": [HOSTILE, "@SUM(A1)", "+1", "-1"]}))
    cells = [line.split(",")[0] for line in hostile.decode("utf-8-sig").splitlines()[1:]]
    assert all(cell.startswith(("'", "\"'")) for cell in cells), cells


def test_the_chart_and_member_tables_name_their_files_and_languages(coverage):
    from loaders.accessions import read_network_sizes

    view = ViewState(dt.date(2024, 2, 1), lang="en")
    sizes = read_network_sizes()
    table = accessibility.sizes_datatable(sizes, "en", accessibility.stamper(coverage, view, day=False, evidence=False))
    wording = table.cell_langs["As published"]
    assert set(wording) == {"de", "en"} and len(wording) == len(sizes)  # a German quote or the English note
    assert table.cell_langs["Source"] == "de"
    csv = table.csv().decode("utf-8-sig").splitlines()[0]
    assert "Reference date" not in csv and "Evidence filter" not in csv and "Data version" in csv
    view = view.with_(lang="de")
    rows = organisations(coverage, view.date, "all", None)
    listed = memberlist.members_table(rows, words_of(coverage, view))
    shown = datatable.members_datatable(listed, "Liste", "de", "liste.csv", accessibility.stamper(coverage, view))
    assert shown.sorted_by == ("Beitrittsdatum (ISO)", "ascending") and shown.row_header == "Name"
    assert "Stichtag" in shown.csv().decode("utf-8-sig").splitlines()[0]
