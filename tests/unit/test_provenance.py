"""The Datenstand, the data version and its CHANGELOG (``loaders.provenance``, ``loaders.datachanges``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import shutil

import pandas as pd
import pytest

from loaders import accessions, datachanges, provenance
from loaders import coverage as coverage_model
from loaders.paths import SHIPPED_DIR
from tests.helpers import accession, tiny_events, tiny_units

MEETING = "presseportal.de/blaulicht/pm/166917/6158483"


def test_the_datenstand_of_the_shipped_data_is_the_release_on_the_network_meeting(coverage):
    as_of = provenance.data_as_of(coverage)
    assert as_of is not None
    assert as_of.day == dt.date(2025, 11, 14) and MEETING in as_of.source
    assert (as_of.kind, as_of.read_on) == ("confirmation", "2026-12")
    # The figures last changed on Detmold's accession; the Datenstand is later and apart from it.
    assert as_of.last_change == dt.date(2024, 2, 1)


def test_a_view_after_the_datenstand_shows_the_figures_of_the_datenstand(coverage):
    assert provenance.figures_day(coverage, dt.date(2026, 12, 7)) == dt.date(2025, 11, 14)
    assert provenance.figures_day(coverage, dt.date(2023, 9, 25)) == dt.date(2023, 9, 25)


def test_undated_sources_and_inferred_rows_never_date_the_data(coverage):
    sources = provenance.dated_sources(coverage.accessions)
    assert all(isinstance(day, dt.date) for day, *_ in sources)
    assert not any("nachrichten.ag" in source for _, source, *_ in sources)  # the 17 March of no stated year
    assert not any(source.startswith("abgeleitet") for _, source, *_ in sources)
    kinds = {kind for _, _, kind, _ in sources}
    assert kinds == {"accession", "event", "size", "confirmation"}


def test_a_partial_date_dates_the_data_by_its_certain_by_day_or_the_end_of_its_period():
    rows = pd.DataFrame(
        [
            accession("A", "gemeinde", "05001001", "2026-03", precision="month", certain_by="2026-03-10"),
            accession("B", "gemeinde", "05001002", "2026-04", precision="month", source="b"),
            accession("C", "verband", "", "", precision="unknown", source="c"),
            accession("D", "gemeinde", "05002000", "2023-01-01", left_on="2026-02-01", source="d"),
        ]
    )
    sources = provenance.dated_sources(rows)
    days = {(day, source, kind) for day, source, kind, _ in sources if kind in ("accession", "exit")}
    assert days == {
        (dt.date(2026, 3, 10), "test fixture", "accession"),
        (dt.date(2026, 4, 30), "b", "accession"),
        (dt.date(2023, 1, 1), "d", "accession"),
        (dt.date(2026, 2, 1), "d", "exit"),
    }
    assert provenance.latest_source(sources)[:3] == (dt.date(2026, 4, 30), "b", "accession")


def test_a_partial_date_dates_the_data_no_later_than_its_source_was_read_or_today():
    today = dt.date.today()
    rows = pd.DataFrame(
        [
            accession("A", "gemeinde", "05001001", "2024", precision="year", read_on="2024-06", source="a"),
            accession("B", "gemeinde", "05001002", str(today.year), precision="year", source="b"),
        ]
    )
    days = {source: day for day, source, kind, _ in provenance.dated_sources(rows) if kind == "accession"}
    assert days == {"a": dt.date(2024, 6, 30), "b": min(dt.date(today.year, 12, 31), today)}


def test_a_later_documented_accession_in_a_register_moves_the_datenstand():
    units = tiny_units()
    rows = pd.DataFrame([accession("Adorf", "gemeinde", "05001001", "2026-01-15", source="Partnerliste x.csv")])
    cov = coverage_model.build(units, accessions.expand_events(rows, tiny_events(), units))
    as_of = provenance.data_as_of(cov)
    assert (as_of.day, as_of.source, as_of.kind) == (dt.date(2026, 1, 15), "Partnerliste x.csv", "accession")


# -- the data version -------------------------------------------------------------------------


def _shuffled_copy(path, folder, seed: int, quoting: int) -> None:
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    head, body = rows[0], rows[1:]
    random.Random(seed).shuffle(body)
    order = list(range(len(head)))
    random.Random(seed).shuffle(order)  # columns in another order, too
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator="\r\n")
    writer.writerow([head[i] for i in order])
    writer.writerows([[row[i] for i in order] for row in body])
    (folder / path.name).write_text(out.getvalue(), encoding="utf-8")


def test_the_content_hash_ignores_row_order_column_order_quoting_and_line_ends(tmp_path):
    shipped = datachanges.digest_of(datachanges.read_version(SHIPPED_DIR))
    for seed, quoting in ((1, csv.QUOTE_ALL), (2, csv.QUOTE_MINIMAL)):
        folder = tmp_path / str(seed)
        folder.mkdir()
        for path in accessions.DATA_FILES:
            _shuffled_copy(path, folder, seed, quoting)
        assert datachanges.digest_of(datachanges.read_version(folder)) == shipped


def test_the_content_hash_changes_with_any_cell(tmp_path):
    shipped = datachanges.digest_of(datachanges.read_version(SHIPPED_DIR))
    for path in accessions.DATA_FILES:
        shutil.copy(path, tmp_path / path.name)
    text = (tmp_path / "accessions.csv").read_text(encoding="utf-8")
    (tmp_path / "accessions.csv").write_text(text.replace("Am 17. März", "Am 17. März 2025"), encoding="utf-8")
    assert datachanges.digest_of(datachanges.read_version(tmp_path)) != shipped


def test_the_shipped_data_is_the_version_its_manifest_names(coverage):
    manifest = provenance.shipped_manifest()
    from loaders import store

    assert provenance.shipped_digest(store.load_attributes()) == manifest.digest, (
        "the shipped data changed: give it a new version and date in loaders/shipped/data-version.toml with the hash "
        "printed by `python -m loaders.datachanges --digest`, and write its entry in loaders/shipped/CHANGELOG.md"
    )
    version = provenance.data_version(coverage)
    assert version == provenance.DataVersion(manifest.version, manifest.digest, manifest.day, "shipped")
    assert version.label == f"{manifest.version} ({manifest.digest})"


def test_the_changelog_names_the_current_version_and_its_hash():
    manifest = provenance.shipped_manifest()
    text = provenance.CHANGELOG.read_text(encoding="utf-8")
    heading = f"## {manifest.version} – {manifest.day.isoformat()}"
    assert heading in text, f"loaders/shipped/CHANGELOG.md has no entry {heading!r}"
    entry = text.split(heading, 1)[1].split("\n## ", 1)[0]
    assert f"`{manifest.digest}`" in entry, "the CHANGELOG entry does not name the version's content hash"
    # The newest entry comes first.
    assert text.index("\n## ") == text.index(heading) - 1


def test_other_rows_are_a_version_of_their_own_with_their_origin_and_day():
    units = tiny_units()
    rows = pd.DataFrame([accession("Adorf", "gemeinde", "05001001", "2023-01-15")])
    cov = coverage_model.build(units, accessions.expand_events(rows, tiny_events(), units))
    provenance.note_origin(cov, "register", dt.date(2026, 12, 1))
    version = provenance.data_version(cov)
    shipped = provenance.shipped_manifest()
    assert version.version == f"{shipped.version}+{version.digest}" and version.digest != shipped.digest
    assert (version.origin, version.day, version.label) == ("register", dt.date(2026, 12, 1), version.version)
    with pytest.raises(ValueError, match="unknown origin"):
        provenance.note_origin(cov, "elsewhere")


def test_a_register_seeded_from_the_shipped_data_is_the_shipped_version(tmp_path, coverage):
    import register

    with register.Register(f"sqlite:///{tmp_path / 'r.sqlite'}") as reg:
        table = reg.table()
    assert provenance.content_digest(table) == provenance.shipped_manifest().digest


# -- what a data change moved -----------------------------------------------------------------


def _folder_with(tmp_path, change) -> str:
    for path in accessions.DATA_FILES:
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "accessions.csv"
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    rows = [r for r in (change(row) for row in rows) if r is not None]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=accessions.COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return str(tmp_path)


def test_the_erkrath_change_moved_2023_09_25_from_325_to_326(tmp_path):
    # Before data version 2026.12.1 Erkrath's row said it joined "separate"ly, which kept the
    # inference of Düsseldorf's event from it.
    def before(row):
        if row["name"] == "Stadt Erkrath":
            return row | {"event": "separate", "certain_by": ""}
        return row

    result = datachanges.compare(_folder_with(tmp_path, before))
    moved = {(m.start, m.end, m.region, m.figure): (m.before, m.after) for m in result.figures}
    assert moved[(dt.date(2023, 9, 25), dt.date(2023, 10, 30), None, "gemeinden_covered")] == (325, 326)
    assert moved[(dt.date(2023, 9, 25), dt.date(2023, 10, 30), "051", "gemeinden_covered")] == (65, 66)
    assert moved[(dt.date(2023, 10, 21), dt.date(2023, 10, 30), None, "gemeinden_covered_documented")] == (21, 22)
    [row] = result.rows
    assert row.name == "Stadt Erkrath" and row.columns == ["certain_by", "event"]
    assert "2023-09-25 bis 2023-10-30, NRW: `gemeinden_covered` 325 → 326" in datachanges.render(result)


def test_the_sparkasse_adds_an_undated_statewide_member_and_moves_no_covered_figure(tmp_path):
    def without(row):
        return None if row["name"] == "Sparkasse Münsterland Ost" else row

    result = datachanges.compare(_folder_with(tmp_path, without))
    assert result.figures == []
    assert result.statewide == [("statewide_undated", 4, 5)]
    assert [(r.table, r.name, r.before) for r in result.rows] == [("accessions", "Sparkasse Münsterland Ost", None)]


def test_the_readme_figures_still_hold(coverage):
    day = dt.date(2024, 2, 1)
    nrw, detmold = coverage.summary(day), coverage.summary(day, "057")
    assert (nrw["gemeinden_covered"], nrw["gemeinden_covered_documented"]) == (396, 23)
    assert (detmold["gemeinden_covered"], detmold["gemeinden_covered_documented"]) == (70, 1)
    muenster = coverage.summary(dt.date(2022, 10, 19), "055")
    assert (muenster["gemeinden_covered"], muenster["gemeinden_covered_documented"]) == (78, 12)
    assert coverage.summary(dt.date(2023, 9, 25))["gemeinden_covered"] == 326
    # After the Datenstand nothing changes: the figures of today are those of 14 November 2025.
    assert coverage.summary(dt.date(2026, 12, 7)) == coverage.summary(dt.date(2025, 11, 14)) == nrw


def test_the_command_prints_the_hash_and_the_changes(tmp_path, capsys):
    assert datachanges.main(["--digest"]) == 0
    assert capsys.readouterr().out.strip() == provenance.shipped_manifest().digest
    folder = _folder_with(tmp_path, lambda row: row)
    assert datachanges.main([folder]) == 0
    assert "keine geändert" in capsys.readouterr().out


def test_the_store_notes_where_the_rows_came_from(tmp_path, monkeypatch):
    from register import atlasdata

    # An own table with the shipped rows is the shipped version; with one row changed, a version of its own.
    same = tmp_path / "same.csv"
    shutil.copy(accessions.ACCESSIONS_CSV, same)
    assert provenance.data_version(atlasdata.load_coverage(same)).origin == "shipped"
    changed = tmp_path / "changed.csv"
    changed.write_text(
        accessions.ACCESSIONS_CSV.read_text(encoding="utf-8").replace("Lokalpresse", "Lokalzeitung", 1),
        encoding="utf-8",
    )
    version = provenance.data_version(atlasdata.load_coverage(changed))
    assert version.origin == "file" and version.version.endswith(f"+{version.digest}")
    assert version.day == dt.datetime.fromtimestamp(changed.stat().st_mtime, dt.UTC).date()
    # A configured register: its rows, and the day they last changed.
    monkeypatch.setenv("SID_ATLAS_REGISTER_URL", f"sqlite:///{tmp_path / 'register.sqlite'}")
    table, origin, changed_on = atlasdata.accession_rows(None)
    assert (origin, changed_on) == ("register", dt.datetime.now(dt.UTC).date())
    assert provenance.content_digest(table) == provenance.shipped_manifest().digest
