"""What a change of the membership data changed: rows, figures, the Datenstand — for ``loaders/shipped/CHANGELOG.md``.

Two folders of data tables (``accessions.csv``, ``events.csv``,
``network_sizes.csv``, optionally ``confirmations.csv``; e.g. an older version
from ``git show``) are read with the project's own loaders and compared with
its own coverage model:

- rows added, removed or changed (by body, :func:`loaders.accessions.identity`),
  with the columns that changed;
- figures that moved: covered Gemeinden and population with their documented
  part, Kreise and Bezirksregierungen in, for NRW and each Regierungsbezirk,
  per period between change days (a figure holds from one change day to the
  next), and the statewide members (bodies without territory) dated and undated;
- the Datenstand and the content hash of each.

Run it as ``python -m loaders.datachanges OLD_FOLDER [NEW_FOLDER]`` (the new
folder defaults to the shipped ``loaders/shipped/``), or ``--digest [FOLDER]`` for the
content hash that ``loaders/shipped/data-version.toml`` records.

Examples
--------
>>> from loaders.paths import SHIPPED_DIR
>>> same = compare(SHIPPED_DIR, SHIPPED_DIR)
>>> same.rows, same.figures, same.old_digest == same.new_digest
([], [], True)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from loaders import accessions, coverage, provenance
from loaders.coverage import Coverage
from loaders.paths import SHIPPED_DIR

REGIONS = (None, "051", "053", "055", "057", "059")
# The Coverage.summary figures compared, as a type (keys of the Summary) and in order.
Figure = Literal[
    "gemeinden_covered",
    "gemeinden_covered_documented",
    "population_covered",
    "population_covered_documented",
    "kreise_in",
    "kreise_in_documented",
    "bezirksregierungen_in",
    "bezirksregierungen_in_documented",
]
FIGURES: tuple[Figure, ...] = get_args(Figure)


@dataclass(frozen=True)
class RowChange:
    """A body's documented row added (``before`` None), removed (``after`` None) or changed."""

    table: str
    name: str
    before: dict | None
    after: dict | None

    @property
    def columns(self) -> list[str]:
        """The columns whose values differ between before and after (none for an added or removed row)."""
        if self.before is None or self.after is None:
            return []
        return [c for c in self.after if self.before.get(c, "") != self.after.get(c, "")]


@dataclass(frozen=True)
class FigureMove:
    """A figure that differs between the versions from ``start`` to ``end`` (None: still today)."""

    start: dt.date
    end: dt.date | None
    region: str | None
    figure: str
    before: int
    after: int


@dataclass
class Comparison:
    """What changed between two versions of the tables: rows, figures and statewide members."""

    rows: list[RowChange] = field(default_factory=list)
    figures: list[FigureMove] = field(default_factory=list)
    statewide: list[tuple[str, int, int]] = field(default_factory=list)  # (what, before, after)
    old_as_of: provenance.DataAsOf | None = None
    new_as_of: provenance.DataAsOf | None = None
    old_digest: str = ""
    new_digest: str = ""


@dataclass
class Version:
    """One folder's tables, read and checked, and its coverage model."""

    accessions: pd.DataFrame
    events: pd.DataFrame
    sizes: pd.DataFrame
    confirmations: pd.DataFrame
    coverage: Coverage


def read_version(folder: Path | str, units: pd.DataFrame | None = None) -> Version:
    """Read a folder of data tables as the loaders read the shipped ones."""
    from loaders import store

    folder = Path(folder)
    units = store.load_attributes() if units is None else units
    events = accessions.read_events(folder / "events.csv")
    table = accessions.read_accessions(folder / "accessions.csv", units, events)
    sizes = accessions.read_network_sizes(folder / "network_sizes.csv")
    path = folder / "confirmations.csv"
    confirmations = (
        accessions.read_confirmations(path)
        if path.is_file()
        else pd.DataFrame(columns=[*accessions.CONFIRMATION_COLUMNS, "quote", "read_on", "day"])
    )
    cov = coverage.build(units, accessions.expand_events(table, events, units))
    return Version(table, events, sizes, confirmations, cov)


def digest_of(version: Version) -> str:
    """The content digest of a version's tables (the data version)."""
    return provenance.content_digest(version.accessions, version.events, version.sizes, version.confirmations)


def as_of(version: Version) -> provenance.DataAsOf | None:
    """The Datenstand of a version: its newest dated source."""
    sources = provenance.dated_sources(version.accessions, version.events, version.sizes, version.confirmations)
    return provenance.as_of_sources(version.coverage, sources)


def row_changes(old: Version, new: Version) -> list[RowChange]:
    """Documented accession rows, events, sizes and confirmations added, removed or changed."""
    changes = []

    def keyed(frame: pd.DataFrame, key, columns) -> dict[str, dict]:
        return {key(r): {c: provenance.cell_text(r.get(c, "")) for c in columns} for r in frame.to_dict("records")}

    tables = (
        (
            "accessions",
            old.accessions,
            new.accessions,
            lambda r: accessions.identity(r["kind"], r["key"], r["name"]),
            accessions.COLUMNS,
            "name",
        ),
        ("events", old.events, new.events, lambda r: r["event"], provenance.EVENT_COLUMNS, "event"),
        (
            "network_sizes",
            old.sizes,
            new.sizes,
            lambda r: f"{r['date'] or 'undatiert'}: {r['published']}",
            provenance.SIZE_COLUMNS,
            "published",
        ),
        (
            "confirmations",
            old.confirmations,
            new.confirmations,
            lambda r: f"{r['date']}: {r['source']}",
            provenance.CONFIRMATION_COLUMNS,
            "source",
        ),
    )
    for table, before_frame, after_frame, key, columns, label in tables:
        before, after = keyed(before_frame, key, columns), keyed(after_frame, key, columns)
        for ident in list(dict.fromkeys([*before, *after])):
            b, a = before.get(ident), after.get(ident)
            if b != a:
                changes.append(RowChange(table, (a or b or {}).get(label, ident) or ident, b, a))
    return changes


def moved_figures(old: Coverage, new: Coverage) -> list[FigureMove]:
    """Every figure of NRW and the Regierungsbezirke that differs, per period between change days."""
    days = sorted(set(old.change_dates("all")) | set(new.change_dates("all")))
    moves: list[FigureMove] = []
    for region in REGIONS:
        open_moves: dict[str, FigureMove] = {}
        for i, day in enumerate(days):
            end = days[i + 1] - dt.timedelta(days=1) if i + 1 < len(days) else None
            before, after = old.summary(day, region), new.summary(day, region)
            for figure in FIGURES:
                b, a = int(before[figure]), int(after[figure])
                current = open_moves.get(figure)
                if current is not None and (current.before, current.after) == (b, a) and b != a:
                    open_moves[figure] = FigureMove(current.start, end, region, figure, b, a)
                    continue
                if current is not None:
                    moves.append(current)
                    del open_moves[figure]
                if b != a:
                    open_moves[figure] = FigureMove(day, end, region, figure, b, a)
        moves += open_moves.values()
    return sorted(moves, key=lambda m: (m.start, m.region or "", FIGURES.index(m.figure)))


def statewide_counts(version: Version) -> dict[str, int]:
    """Bodies without territory: documented with a date, documented without a date."""
    rows = version.accessions[~version.accessions["kind"].isin(accessions.TERRITORIAL_KINDS)]
    undated = int((rows["date_precision"] == "unknown").sum())
    return {"statewide_dated": len(rows) - undated, "statewide_undated": undated}


def compare(old_folder: Path | str, new_folder: Path | str = SHIPPED_DIR) -> Comparison:
    """Rows, figures, statewide members, Datenstand and content hash of two versions of the data."""
    old, new = read_version(old_folder), read_version(new_folder)
    out = Comparison(rows=row_changes(old, new), figures=moved_figures(old.coverage, new.coverage))
    before, after = statewide_counts(old), statewide_counts(new)
    out.statewide = [(what, before[what], after[what]) for what in before if before[what] != after[what]]
    out.old_as_of, out.new_as_of = as_of(old), as_of(new)
    out.old_digest, out.new_digest = digest_of(old), digest_of(new)
    return out


def _region(region: str | None) -> str:
    return "NRW" if region is None else f"RB {region}"


def _period(move: FigureMove) -> str:
    if move.end is None:
        return f"ab {move.start.isoformat()}"
    if move.end == move.start:
        return move.start.isoformat()
    return f"{move.start.isoformat()} bis {move.end.isoformat()}"


def render(result: Comparison) -> str:
    """The comparison as Markdown lines for the CHANGELOG."""
    lines = [f"- Inhalts-Hash: `{result.old_digest}` → `{result.new_digest}`"]
    old_day = result.old_as_of.day.isoformat() if result.old_as_of else "–"
    new_day = result.new_as_of.day.isoformat() if result.new_as_of else "–"
    if old_day != new_day:
        lines.append(f"- Datenstand: {old_day} → {new_day}")
    lines.append("- Zeilen:")
    if not result.rows:
        lines.append("  - keine geändert")
    for change in result.rows:
        if change.before is None:
            lines.append(f"  - {change.table}: neu – {change.name}")
        elif change.after is None:
            lines.append(f"  - {change.table}: entfernt – {change.name}")
        else:
            detail = ", ".join(
                f"`{c}` {change.before.get(c, '') or '(leer)'!r} → {change.after.get(c, '') or '(leer)'!r}"
                if len(change.before.get(c, "") + change.after.get(c, "")) <= 60
                else f"`{c}`"
                for c in change.columns
            )
            lines.append(f"  - {change.table}: {change.name}: {detail}")
    lines.append("- Zahlen:")
    if not result.figures and not result.statewide:
        lines.append("  - keine bewegt (alle Zahlen für NRW und jeden Regierungsbezirk an jedem Tag gleich)")
    for move in result.figures:
        lines.append(f"  - {_period(move)}, {_region(move.region)}: `{move.figure}` {move.before} → {move.after}")
    for what, before, after in result.statewide:
        lines.append(f"  - landesweite Mitglieder (`{what}`): {before} → {after}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m loaders.datachanges``: compare two versions of the tables; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m loaders.datachanges", description=__doc__.splitlines()[0])
    parser.add_argument("old", nargs="?", help="folder with the older tables")
    parser.add_argument(
        "new", nargs="?", default=str(SHIPPED_DIR), help="folder with the newer tables (loaders/shipped/)"
    )
    parser.add_argument("--digest", action="store_true", help="print the content hash of OLD (or loaders/shipped/)")
    args = parser.parse_args(argv)
    if args.digest:
        print(digest_of(read_version(args.old or SHIPPED_DIR)))
        return 0
    if not args.old:
        parser.error("the older folder is required")
    sys.stdout.write(render(compare(args.old, args.new)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
