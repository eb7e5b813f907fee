"""Words that never overstate: the text of every output, for each status × evidence filter × language.

No output calls an inferred unit "eigener Beitritt" or "Mitglied"/"member" without its
evidence word, and under "nur belegte Beitritte" none calls a unit that is not documented one
by one "nicht abgedeckt"/"nicht Mitglied"/"not covered"/"not a member" (the rules:
``tests.helpers.word_problems``). Scanned here: tooltips, map table, legend, description,
figures, Datenstand, CSV/XLSX/GeoJSON, the members list and its CSV, the pictures' SVG text and
PNG alt text, the standalone HTML and ``sid-atlas coverage`` (json, csv, table). The screen and
both embeds are scanned in ``tests/app/test_app_words.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook
from PIL import Image

from exports.dispatch import export
from loaders import provenance
from loaders.viewstate import EVIDENCE_FILTERS as FILTERS
from loaders.viewstate import LANGUAGES, ViewState
from tests.helpers import ISO_DAY, sid_atlas, word_problems
from viewmodel import memberlist
from viewmodel import model as viewmodel
from viewmodel.picture_tables import map_table

D = dt.date
# Days and levels on which every status shows: 1 June 2023 (Münster's Gemeinden documented one by one,
# through Kreis Recklinghausen and inferred; Witten; Menden undated; most not yet), Detmold's day compared
# with the day before, and the Land after the Datenstand.
BASE = (
    ViewState(D(2023, 6, 1)),
    ViewState(D(2024, 2, 1), compare=D(2024, 1, 31)),
    ViewState(D(2023, 6, 1), level="kreis", compare=D(2022, 10, 18)),
    ViewState(D(2024, 2, 1), level="kreis"),
    ViewState(D(2024, 2, 1), level="regierungsbezirk", compare=D(2024, 1, 31)),
    ViewState(D(2024, 2, 1), level="kreis", region="057", compare=D(2024, 1, 31)),
)


def views():
    for view in BASE:
        for evidence in FILTERS:
            for lang in LANGUAGES:
                yield view.with_(evidence=evidence, lang=lang)


@pytest.fixture(scope="module")
def models(coverage):
    return [viewmodel.build(coverage, view) for view in views()]


def unit_problems(text: str, evidence: str | None, view: ViewState) -> list[str]:
    """The rules for one unit's words: its own evidence, and the view's filter."""
    return word_problems(
        text,
        inferred=evidence == "inferred",
        documented_only=view.evidence == "documented" and evidence != "documented",
    )


def test_the_views_show_every_status_and_evidence_under_both_filters(models):
    seen = set()
    for model in models:
        kind = "gemeinde" if model.state.level == "gemeinde" else "aggregate"
        for unit in model.units.itertuples():
            seen.add((model.state.evidence, kind, unit.status, unit.evidence))
            if unit.new:
                seen.add((model.state.evidence, kind, "new", None))
    for evidence in FILTERS:
        for status in ("member", "via_kreis", "undated", "not_yet"):
            assert any(s[:3] == (evidence, "gemeinde", status) for s in seen), (evidence, status)
        for status in ("full", "partial", "undated", "not_yet", "new"):
            assert any(s[:3] == (evidence, "aggregate", status) for s in seen), (evidence, status)
    for kind, status in (("gemeinde", "member"), ("aggregate", "full")):
        assert ("all", kind, status, "documented") in seen and ("all", kind, status, "inferred") in seen
    assert ("all", "gemeinde", "via_kreis", "documented") in seen  # (inferred through the Kreis alone: never shipped)


def test_a_gemeinde_covered_through_an_inferred_kreis_alone_says_so():
    """Not in the shipped data (an event covers the Gemeinde itself too), but a register could make it."""
    from types import SimpleNamespace

    from viewmodel.text import Event, Words, status_text

    events = {"rb057": Event("Detmold", D(2024, 2, 1), "ots")}
    unit = SimpleNamespace(status="via_kreis", evidence="inferred", via="kreis", event="rb057", new=False)
    for lang, expected in (
        ("de", "über den Kreis abgedeckt – abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)"),
        ("en", "covered via its district – inferred from the accession of RB Detmold (1 February 2024)"),
    ):
        text = status_text(unit, Words("gemeinde", lang=lang, events=events))
        assert text == expected and word_problems(text, inferred=True) == []


def test_tooltips_map_tables_and_status_texts(models):
    checked = 0
    for model in models:
        view = model.state
        table = map_table(model).set_index("Schlüssel" if view.lang == "de" else "Key")
        for unit in model.units.itertuples():
            for text in (unit.tooltip, unit.status_text, " | ".join(table.loc[unit.key])):
                assert unit_problems(text, unit.evidence, view) == [], (view, unit.key, text)
            # Dates in sentences are the language's own: no ISO day in what a person reads.
            assert not ISO_DAY.search(unit.tooltip) and not ISO_DAY.search(unit.status_text), unit.tooltip
            checked += 1
    assert checked > 2000


def test_legend_description_figures_and_datenstand(models):
    for model in models:
        view = model.state
        text = "\n".join(
            [item["label"] for item in model.legend]
            + [model.description, model.figures_line, model.subtitle, model.currency, model.data_version]
        )
        assert word_problems(text, documented_only=view.evidence == "documented") == [], (view, text)
        assert not ISO_DAY.search(model.description), model.description
        assert model.currency in model.description or model.currency + "." in model.description


def test_the_bielefeld_defects_of_the_issue_are_gone(coverage):
    """Bielefeld under "documented": "nicht einzeln belegt", with the inference; the Detmold Kreise likewise."""
    day = D(2024, 2, 1)
    gemeinden = viewmodel.build(coverage, ViewState(day, region="057", evidence="documented"))
    bielefeld = gemeinden.units.set_index("key").loc["05711000"]
    assert bielefeld["status_text"] == (
        "nicht einzeln belegt – abgeleitet abgedeckt seit 1. Februar 2024 (Beitritt des RB Detmold)"
    )
    assert "69 Gemeinden sind nicht einzeln belegt, davon 69 abgeleitet abgedeckt" in gemeinden.description
    kreise = map_table(viewmodel.build(coverage, ViewState(day, level="kreis", region="057", evidence="documented")))
    own = kreise["Eigene Mitgliedschaft"]
    assert len(own) == 7 and own.str.startswith("nicht einzeln belegt – abgeleitet Mitglied seit 1. Februar 2024").all()
    english = viewmodel.build(coverage, ViewState(day, region="057", evidence="documented", lang="en"))
    assert english.units.set_index("key").loc["05711000", "status_text"] == (
        "not documented one by one – inferred as covered since 1 February 2024 (accession of RB Detmold)"
    )


def test_compare_mode_keeps_partial_coverage_visible_at_every_level(coverage):
    """Detmold with "documented" and a compare date: drawn partial (its own fill) and marked new, 1 of 70 said."""
    model = viewmodel.build(
        coverage, ViewState(D(2024, 2, 1), level="regierungsbezirk", evidence="documented", compare=D(2024, 1, 31))
    )
    detmold = model.units.set_index("key").loc["057"]
    assert (detmold["status"], detmold["shown"], detmold["new"]) == ("partial", "partial", True)
    assert detmold["status_text"].startswith("einzelne Gemeinden belegt (einzeln)")
    assert detmold["status_text"].endswith("– neu seit 31. Januar 2024")
    assert "Detmold (1 von 70 Gemeinden belegt abgedeckt)" in model.description
    assert model.features()["057"][0] == "partial" and model.features()["057"][3] is True
    for view in views():
        built = viewmodel.build(coverage, view)
        assert (built.units["shown"] == built.units["status"]).all()  # "new" never replaces a status


# -- the files -----------------------------------------------------------------------------------
def _csv_cells(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.slow  # every data export of every view: the longest test of the inner loop
def test_csv_xlsx_and_geojson(coverage):
    for view in views():
        rows = _csv_cells(export(coverage, view, "csv"))
        for row in rows:
            assert unit_problems(row["status_text"], row["evidence"] or None, view) == [], (view, row["key"])
            assert row["data_as_of"] == provenance.data_as_of(coverage).day.isoformat() and row["data_version"]
    for view in (ViewState(D(2024, 2, 1), level="kreis", compare=D(2024, 1, 31)), BASE[0]):
        for evidence in FILTERS:
            for lang in LANGUAGES:
                shown = view.with_(evidence=evidence, lang=lang)
                book = load_workbook(io.BytesIO(export(coverage, shown, "xlsx")))
                header, *cells = [[c.value for c in row] for row in book["Daten"].iter_rows()]
                for cell in cells:
                    values = dict(zip(header, cell))
                    assert unit_problems(values["status_text"], values["evidence"], shown) == []
                info = "\n".join(f"{a}: {b}" for a, b in book["Info"].iter_rows(values_only=True))
                assert word_problems(info, documented_only=evidence == "documented") == [], info
                assert "Datenstand" in info or "Data as of" in info
                if shown.level == "kreis":
                    collection = json.loads(export(coverage, shown, "geojson"))
                    assert collection["data_as_of"] and collection["data_version"]
                    for feature in collection["features"]:
                        props = feature["properties"]
                        assert unit_problems(props["status_text"], props["evidence"], shown) == []


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    ns = "{http://www.w3.org/2000/svg}"
    return "\n".join("".join(node.itertext()) for node in root.iter() if node.tag in (f"{ns}text", f"{ns}desc"))


@pytest.mark.media
def test_pictures_alt_text_and_standalone_html(coverage):
    as_of = provenance.data_as_of(coverage)
    for view in (BASE[1].with_(region="057"), BASE[4]):
        for evidence in FILTERS:
            for lang in LANGUAGES:
                shown = view.with_(evidence=evidence, lang=lang)
                documented_only = evidence == "documented"
                svg = _svg_text(export(coverage, shown, "svg"))
                assert word_problems(svg, documented_only=documented_only) == [], svg
                assert ("Datenstand" if lang == "de" else "Data as of") in svg
                assert ("Datenversion" if lang == "de" else "Data version") in svg
                alt = Image.open(io.BytesIO(export(coverage, shown, "png"))).info["Description"]
                assert word_problems(alt, documented_only=documented_only) == [], alt
                assert str(as_of.day.year) in alt and as_of.source in alt
                page = export(coverage, shown, "html").decode("utf-8")
                header = re.sub(r"<[^>]+>", "\n", re.search(r"<header>.*?</header>", page, re.S).group(0))
                assert word_problems(header, documented_only=documented_only) == [], header
                assert as_of.source in header
                args = json.loads(
                    re.search(r'<script type="application/json" id="sid-map-data">(.*?)</script>', page).group(1)
                )
                legend = "\n".join(item["label"] for item in args["legend"])
                assert word_problems(legend + "\n" + args["a11y"]["description"], documented_only=documented_only) == []
                units = {unit.key: unit.evidence for unit in viewmodel.build(coverage, shown).units.itertuples()}
                for key, (_status, _hatched, tip, _new) in args["features"].items():
                    assert unit_problems(tip, units[key], shown) == [], (key, tip)


@pytest.mark.slow  # the command line over every level and format
def test_command_line_json_csv_and_table():
    for level in ("gemeinde", "kreis", "regierungsbezirk", "land"):
        for evidence in FILTERS:
            for lang in LANGUAGES:
                view = ViewState(D(2024, 2, 1), evidence=evidence, lang=lang)
                common = ("coverage", "--date", "2024-02-01", "--level", level, "--evidence", evidence, "--lang", lang)
                rows = json.loads(sid_atlas(*common, "--format", "json").stdout)
                evidence_of = {row["key"]: row["evidence"] for row in rows}
                for row in rows:
                    assert unit_problems(row["status_text"], row["evidence"], view) == [], row
                for row in _csv_cells(sid_atlas(*common, "--format", "csv").stdout.encode("utf-8")):
                    assert unit_problems(row["status_text"], row["evidence"] or None, view) == [], row
                table = sid_atlas(*common).stdout.splitlines()
                for line in table[1:]:
                    key = line.split(" ", 1)[0]
                    if key in evidence_of:
                        assert unit_problems(line, evidence_of[key], view) == [], line
                footer = "\n".join(line for line in table if line.split(" ", 1)[0] not in evidence_of)
                assert word_problems(footer, documented_only=evidence == "documented") == [], footer


def test_datenstand_in_the_command_line_after_the_datenstand(coverage):
    """``coverage --date 2026-12-07 --level land --format json`` names the Datenstand (on every row)."""
    as_of = provenance.data_as_of(coverage)
    (row,) = json.loads(sid_atlas("coverage", "--date", "2026-12-07", "--level", "land", "--format", "json").stdout)
    assert (row["data_as_of"], row["data_as_of_source"]) == (as_of.day.isoformat(), as_of.source)
    assert row["data_version"] and row["data_version_digest"] == provenance.data_version(coverage).digest
    header = sid_atlas("coverage", "--date", "2026-12-07", "--format", "csv").stdout.splitlines()[0].split(",")
    assert {"data_as_of", "data_as_of_source", "data_version", "body_member_undated"} <= set(header)
    table = sid_atlas("coverage", "--date", "2026-12-07", "--level", "land").stdout
    assert (
        f"Datenstand: {as_of.day.day}." in table and "Die Zahlen zum 7. Dezember 2026 sind die des Datenstands" in table
    )


def test_cli_rows_are_the_exports_rows_with_every_documented_membership(coverage):
    """The CLI's rows carry the exports' fields; Menden, Plettenberg, Kleve and Unna their undated membership."""
    view = ViewState(D(2024, 2, 1), level="kreis")
    exported = _csv_cells(export(coverage, view, "csv"))
    rows = json.loads(sid_atlas("coverage", "--date", "2024-02-01", "--level", "kreis", "--format", "json").stdout)
    assert list(rows[0]) == list(exported[0])
    by_key = {row["key"]: row for row in rows}
    for key in ("05154", "05978"):  # Kreis Kleve, Kreis Unna: inferred members, and documented without a date
        assert by_key[key]["body_member_evidence"] == "inferred" and by_key[key]["body_member_undated"] is True
    gemeinden = json.loads(
        sid_atlas(
            "coverage", "--date", "2024-02-01", "--level", "gemeinde", "--region", "059", "--format", "json"
        ).stdout
    )
    undated = {row["key"] for row in gemeinden if row["body_member_undated"]}
    assert {"05962040", "05962052"} <= undated  # Menden, Plettenberg
    table = sid_atlas("coverage", "--date", "2024-02-01", "--level", "gemeinde", "--region", "05962").stdout
    menden = next(line for line in table.splitlines() if line.startswith("05962040"))
    assert "(abgeleitet)" in menden and "Beitrittsdatum unbekannt – einzeln belegt" in menden
    lage = next(
        line
        for line in sid_atlas(
            "coverage", "--date", "2024-02-01", "--level", "gemeinde", "--region", "05766"
        ).stdout.splitlines()
        if line.startswith("05766040")
    )
    assert "1. Februar 2024 (einzeln belegt)" in lage


# -- the members list --------------------------------------------------------------------------
def test_members_list_counts_each_body_once_with_its_own_evidence(coverage):
    day = D(2024, 2, 1)
    as_of, version = provenance.data_as_of(coverage), viewmodel.data_version(coverage)
    for evidence in FILTERS:
        for lang in LANGUAGES:
            view = ViewState(day, evidence=evidence, lang=lang)
            rows = viewmodel.organisations(coverage, day, evidence)
            table = memberlist.members_table(rows, viewmodel.words_of(coverage, view))
            data = memberlist.members_csv(table, day, evidence, lang, as_of, version)
            cells = _csv_cells(data)
            name, evidence_column = ("Name", "Evidenz") if lang == "de" else ("Name", "Evidence")
            for cell in cells:
                assert word_problems(" | ".join(cell.values()), documented_only=evidence == "documented") == []
            erkrath = [cell for cell in cells if cell[name] in ("Stadt Erkrath", "Erkrath")]
            assert len(erkrath) == 1 and erkrath[0][evidence_column] in ("einzeln belegt", "documented one by one")
            kinds = {cell[evidence_column] for cell in cells}
            if evidence == "all":
                # Both kinds of evidence in the one file: each row's own, not the filter.
                assert {"einzeln belegt", "abgeleitet aus dem Beitritt des RB Detmold (1. Februar 2024)"} <= kinds or {
                    "documented one by one",
                    "inferred from the accession of RB Detmold (1 February 2024)",
                } <= kinds
            counts = viewmodel.organisation_counts(rows)
            assert (
                counts["total"]
                == len(cells)
                == len({(cell[name], cell["Schlüssel" if lang == "de" else "Key"]) for cell in cells})
            )
    everything = viewmodel.organisation_counts(viewmodel.organisations(coverage, day, "all"))
    documented = viewmodel.organisation_counts(viewmodel.organisations(coverage, day, "documented"))
    # Erkrath and Stolberg, a documented and an inferred row each, are counted once (437 rows, 435 bodies).
    assert len(coverage.members_as_of(day)) - everything["total"] == 2
    assert everything["documented"] == documented["total"] == documented["documented"]
    assert everything["inferred"] == everything["total"] - everything["documented"]
