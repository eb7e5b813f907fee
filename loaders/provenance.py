"""How current and which version the data is: the Datenstand and the data version.

The Datenstand
--------------
The *Datenstand* answers: up to which day do the shipped figures reflect what
the sources say? It is the **latest day on which a dated source the data draws
on was published** — a dated accession or exit, a regional event, a published
network size, a dated confirmation (``confirmations.csv``: a report on members
that is no accession) —, with that source. Up to that day the figures take in
everything the sources consulted say (an accession or exit reported by then is
in them); after it no source speaks, so a view with a later Stichtag shows the
figures of the Datenstand and must say so: nothing after it is known.

It is kept apart from three other dates:

- the *Stichtag*, the day a view shows (chosen by the user);
- the *last change* of the figures (the latest dated accession: 1 February
  2024 in the shipped data) — figures can stay the same while later sources
  confirm them;
- the day the sources were *read* (``read_on``, e.g. December 2026): a source
  read in December 2026 only speaks for the day it was published.

What counts as a source's day: an accession's day (a month- or year-precision
date: its ``certain_by`` day, else the last day of its period — the day from
which the figures count it —, but never later than the source was read or than
today: a source of "2026" read in December 2026 does not speak for 31 December);
an exit's day (likewise); an event's day; a published size's day (the last day
of its period); a confirmation's day (the day it was published). A source without a date — an undated accession, an
undated network size, the 17 March of no stated year — cannot move the
Datenstand, although it may be younger: its day is not known, and it is listed
as undated instead. Inferred rows are not sources of their own (their event is).

On the shipped data the Datenstand is 14 November 2025: the release on the
network meeting at Bezirksregierung Arnsberg (presseportal.de, 166917/6158483);
the last change of the figures is still 1 February 2024.

The data version
----------------
A figure names the data it comes from: a human version (``2026.12.2``), a
content hash of the rows actually used and the version's date. The hash is
taken over the canonical rows — every documented accession row (the shipped
table or the register's), the events, the published sizes and the
confirmations, each row as its column values in a fixed column order, rows
sorted —, so the same rows give the same hash whatever their order, CSV
quoting, line endings or whether they come from a file or the register.
``loaders/shipped/data-version.toml`` names the shipped version, its date and its
hash; data whose hash differs from it (a register that was edited, an own
table) is version ``<shipped>+<hash>`` of origin ``register`` or ``file``.
``loaders/shipped/CHANGELOG.md`` says per version which rows changed and which
figures moved; a test fails when the shipped hash has no entry there.

Examples
--------
>>> from loaders import store
>>> cov = store.load_shipped_coverage()
>>> as_of = data_as_of(cov)
>>> as_of.day, as_of.source
(datetime.date(2025, 11, 14), 'presseportal.de/blaulicht/pm/166917/6158483 (Meldung vom 14.11.2025)')
>>> version = data_version(cov)
>>> version.version == shipped_manifest().version, len(version.digest), version.origin
(True, 12, 'shipped')
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders import accessions
from loaders.dates import period_bounds, precision_of
from loaders.errors import DataError
from loaders.paths import SHIPPED_DIR

VERSION_FILE = SHIPPED_DIR / "data-version.toml"
CHANGELOG = SHIPPED_DIR / "CHANGELOG.md"
DIGEST_LENGTH = 12
# Origins of the accession rows a coverage model was built from.
ORIGINS = ("shipped", "register", "file")


@dataclass(frozen=True)
class DataAsOf:
    """The Datenstand: the latest dated source's day and its citation.

    ``kind`` says what the source is (``accession``, ``exit``, ``event``,
    ``size`` or ``confirmation``); ``read_on`` when it was read (partial ISO
    date, e.g. ``2026-12``; empty when not recorded); ``last_change`` the
    latest day on which a figure changes (a documented or inferred accession
    or an exit), never later than ``day``.
    """

    day: dt.date
    source: str
    kind: str = ""
    read_on: str = ""
    last_change: dt.date | None = None


@dataclass(frozen=True)
class DataVersion:
    """A human version, the content hash (hex, 12 characters) and the version's date.

    ``origin`` is ``shipped`` (the rows are the shipped version's),
    ``register`` or ``file`` (other rows: ``version`` is then
    ``<shipped version>+<digest>``, ``day`` the day they last changed when
    known, else the shipped version's date).
    """

    version: str
    digest: str
    day: dt.date
    origin: str = "shipped"

    @property
    def label(self) -> str:
        """``2026.12.2 (a1b2c3d4e5f6)``: how outputs name it."""
        return self.version if self.digest in self.version else f"{self.version} ({self.digest})"


@dataclass(frozen=True)
class ShippedVersion:
    """``loaders/shipped/data-version.toml``: the shipped data's version, date and content hash."""

    version: str
    day: dt.date
    digest: str


@functools.cache
def shipped_manifest(path: Path = VERSION_FILE) -> ShippedVersion:
    """The shipped data version as recorded beside the data."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        return ShippedVersion(str(data["version"]), _day(data["date"]), str(data["digest"]))
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as error:
        raise DataError(f"cannot read the data version {path}: {error}") from None


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# -- the Datenstand -----------------------------------------------------------------------------


def _partial_end(text: str) -> dt.date | None:
    """The last day of a partial ISO date; None when empty or invalid."""
    if not text:
        return None
    try:
        bounds = period_bounds(text, precision_of(text))
    except ValueError:
        return None
    return bounds[1] if bounds else None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def dated_sources(
    acc: pd.DataFrame,
    events: pd.DataFrame | None = None,
    sizes: pd.DataFrame | None = None,
    confirmations: pd.DataFrame | None = None,
) -> list[tuple[dt.date, str, str, str]]:
    """(day, source, kind, read_on) of every dated source: documented rows of ``acc``, events, sizes, confirmations.

    ``acc`` is an accession table (inferred rows are skipped: their event is
    the source); the other tables default to the shipped ones.
    """
    out: list[tuple[dt.date, str, str, str]] = []
    documented = acc[acc["evidence"] == "documented"] if len(acc) else acc
    today = dt.date.today()
    for row in documented.to_dict("records"):
        source, read_on = _text(row.get("source")), _text(row.get("read_on"))
        certain = _text(row.get("certain_by"))
        joined = _text(row.get("joined_on"))
        # A partial date's source spoke by the end of its period, yet not after it was read, nor after today.
        latest = min(_partial_end(read_on) or today, today)
        day = None
        if certain:
            day = _partial_end(certain)
        elif joined and row.get("date_precision") != "unknown":
            day = _partial_end(joined)
            day = min(day, latest) if day and row.get("date_precision") != "day" else day
        if day is not None:
            out.append((day, source, "accession", read_on))
        left_on = _text(row.get("left_on"))
        left = _partial_end(left_on)
        if left is not None:
            out.append((left if len(left_on) == 10 else min(left, latest), source, "exit", read_on))
    events, sizes, confirmations = _tables(events, sizes, confirmations)
    out += [
        (dt.date.fromisoformat(d), s, "event", r)
        for d, s, r in zip(events["date"], events["source"], events["read_on"])
    ]
    dated = accessions.dated_sizes(sizes)
    out += [(d, s, "size", r) for d, s, r in zip(dated["day"], dated["source"], dated["read_on"])]
    out += [
        (d, s, "confirmation", r)
        for d, s, r in zip(confirmations["day"], confirmations["source"], confirmations["read_on"])
    ]
    return out


def _tables(events, sizes, confirmations) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The given tables, the shipped ones where None."""
    return (
        accessions.read_events() if events is None else events,
        accessions.read_network_sizes() if sizes is None else sizes,
        accessions.read_confirmations() if confirmations is None else confirmations,
    )


def latest_source(sources: Iterable[tuple[dt.date, str, str, str]]) -> tuple[dt.date, str, str, str] | None:
    """The latest dated source; on a tie the sources of that day joined (each once, in their order).

    Examples
    --------
    >>> day = dt.date(2024, 2, 1)
    >>> latest_source([(dt.date(2023, 1, 1), "a", "event", ""), (day, "b", "event", "2026-11"),
    ...                (day, "c", "size", "2026-12"), (day, "b", "accession", "2026-11")])
    (datetime.date(2024, 2, 1), 'b; c', 'event', '2026-12')
    >>> latest_source([]) is None
    True
    """
    items = list(sources)
    if not items:
        return None
    day = max(item[0] for item in items)
    same = [item for item in items if item[0] == day]
    names = list(dict.fromkeys(item[1] for item in same if item[1]))
    read = max((item[3] for item in same if item[3]), default="")
    return day, "; ".join(names), same[0][2], read


def data_as_of(cov) -> DataAsOf | None:
    """The Datenstand of the coverage model ``cov`` (its accessions, the events, the sizes, the confirmations).

    None only when no source at all has a date.
    """
    memo = cov.__dict__.get("_data_as_of")
    if memo is None:
        memo = cov.__dict__["_data_as_of"] = (as_of_sources(cov, dated_sources(cov.accessions)),)
    return memo[0]


def as_of_sources(cov, sources: Iterable[tuple[dt.date, str, str, str]]) -> DataAsOf | None:
    """The Datenstand given the dated sources (:func:`dated_sources`) of the coverage model ``cov``."""
    best = latest_source(sources)
    if best is None:
        return None
    changes = [d for d in cov.change_dates("all") if d <= best[0]]
    return DataAsOf(day=best[0], source=best[1], kind=best[2], read_on=best[3], last_change=max(changes, default=None))


def figures_day(cov, day: dt.date) -> dt.date:
    """The day whose figures a view of ``day`` shows: the day itself, or the Datenstand when it lies later.

    Examples
    --------
    >>> from loaders import store
    >>> cov = store.load_shipped_coverage()
    >>> figures_day(cov, dt.date(2026, 12, 7)), figures_day(cov, dt.date(2024, 2, 1))
    (datetime.date(2025, 11, 14), datetime.date(2024, 2, 1))
    """
    as_of = data_as_of(cov)
    return min(day, as_of.day) if as_of else day


# -- the data version ---------------------------------------------------------------------------


def canonical_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    """Rows as lists of stripped text in ``columns`` order, sorted: what the content hash reads.

    A missing column or cell is empty text; numbers are written as the data's text would be.

    Examples
    --------
    >>> a = pd.DataFrame({"x": ["2", " 1"], "y": ["b", None]})
    >>> canonical_rows(a, ["x", "y", "z"])
    [['1', '', ''], ['2', 'b', '']]
    """
    if not len(frame):
        return []
    cells = []
    for column in columns:
        values = frame[column] if column in frame else pd.Series("", index=frame.index)
        cells.append([cell_text(v) for v in values])
    return sorted(map(list, zip(*cells)))


def cell_text(value) -> str:
    """A cell as the hash reads it: stripped text, empty for a missing value, whole numbers without ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


SIZE_COLUMNS = ["date", "date_precision", "people", "organisations", "published", "source", "quote", "read_on"]
EVENT_COLUMNS = ["event", "rb_key", "region", "date", "date_precision", "wording", "source", "read_on"]
CONFIRMATION_COLUMNS = [*accessions.CONFIRMATION_COLUMNS, "quote", "read_on"]


def content_digest(
    acc: pd.DataFrame,
    events: pd.DataFrame | None = None,
    sizes: pd.DataFrame | None = None,
    confirmations: pd.DataFrame | None = None,
) -> str:
    """The content hash (12 hex digits) of documented accession rows ``acc`` with events, sizes and confirmations.

    The tables other than ``acc`` default to the shipped ones.
    """
    documented = acc[acc["evidence"] == "documented"] if len(acc) else acc
    events, sizes, confirmations = _tables(events, sizes, confirmations)
    tables = {
        "accessions": canonical_rows(documented, accessions.COLUMNS),
        "events": canonical_rows(events, EVENT_COLUMNS),
        "network_sizes": canonical_rows(sizes, SIZE_COLUMNS),
        "confirmations": canonical_rows(confirmations, CONFIRMATION_COLUMNS),
    }
    columns = {
        "accessions": accessions.COLUMNS,
        "events": EVENT_COLUMNS,
        "network_sizes": SIZE_COLUMNS,
        "confirmations": CONFIRMATION_COLUMNS,
    }
    digest = hashlib.sha256()
    for name, rows in tables.items():
        # One JSON line per table: its name, its columns and its sorted rows (no CSV quoting to vary).
        digest.update(json.dumps([name, columns[name], rows], ensure_ascii=False, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:DIGEST_LENGTH]


def data_version(cov) -> DataVersion:
    """The data version of ``cov``: a content hash over its documented accession rows, events, sizes and confirmations.

    The origin and the day of non-shipped rows come from :func:`note_origin`
    (the store records where the rows came from); without it, rows that are
    not the shipped ones are of origin ``file``.
    """
    memo = cov.__dict__.get("_data_version")
    if memo is not None:
        return memo
    digest = content_digest(cov.accessions)
    shipped = shipped_manifest()
    origin, changed_on = cov.__dict__.get("_data_origin", ("file", None))
    if digest == shipped.digest:
        version = DataVersion(shipped.version, digest, shipped.day, "shipped")
    else:
        version = DataVersion(
            f"{shipped.version}+{digest}",
            digest,
            changed_on or shipped.day,
            origin if origin != "shipped" else "file",
        )
    cov.__dict__["_data_version"] = version
    return version


def note_origin(cov, origin: str, changed_on: dt.date | None = None) -> None:
    """Record where the accession rows of ``cov`` came from (``shipped``, ``register``, ``file``) and when they last changed."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}: one of {', '.join(ORIGINS)}")
    cov.__dict__["_data_origin"] = (origin, changed_on)
    cov.__dict__.pop("_data_version", None)


def shipped_digest(units: pd.DataFrame) -> str:
    """The content hash of the shipped files as they are now (what ``data-version.toml`` must record).

    ``units`` is the official unit table (:func:`loaders.store.load_attributes`),
    which the accession rows are read against.
    """
    return content_digest(accessions.read_accessions(units=units, events=accessions.read_events()))
