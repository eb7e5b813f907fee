"""How current and which version the data is: the Datenstand and the data version.

The *Datenstand* is the date of the latest dated source the data draws on,
with that source; it is kept apart from the Stichtag (the day a view shows).
A view whose Stichtag lies after the Datenstand shows the figures of the
Datenstand: nothing after it is known.

The *data version* names the data a figure comes from: a human version and a
content hash of the accession rows, events and published network sizes.

Examples
--------
>>> from loaders import store
>>> as_of = data_as_of(store.load_coverage())
>>> as_of.day >= dt.date(2024, 2, 1), bool(as_of.source)
(True, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd

from loaders import accessions
from loaders.dates import period_bounds


@dataclass(frozen=True)
class DataAsOf:
    """The Datenstand: the latest dated source's day and its citation."""

    day: dt.date
    source: str


@dataclass(frozen=True)
class DataVersion:
    """A human version, the content hash (hex, 12 characters) and the version's date."""

    version: str
    digest: str
    day: dt.date


def _dated_sources(acc: pd.DataFrame) -> list[tuple[dt.date, str]]:
    """(day, source) of every dated documented accession row, event and published size."""
    out: list[tuple[dt.date, str]] = []
    documented = acc[acc["evidence"] == "documented"]
    for column in ("joined_on", "certain_by", "left_on"):
        if column not in documented:
            continue
        for text, precision, source in zip(documented[column], documented["date_precision"], documented["source"]):
            if not text:
                continue
            bounds = period_bounds(text, precision if column == "joined_on" else "day")
            if bounds is not None:
                out.append((bounds[1], source))
    events = accessions.read_events()
    out += [(dt.date.fromisoformat(d), s) for d, s in zip(events["date"], events["source"])]
    sizes = accessions.read_network_sizes()
    out += list(zip(sizes["day"], sizes["source"]))
    return out


def data_as_of(cov) -> DataAsOf | None:
    """The Datenstand of the coverage model ``cov`` (its accessions, the events, the published sizes)."""
    memo = cov.__dict__.get("_data_as_of")
    if memo is None:
        rows = cov.accessions
        dated = _dated_sources(rows[rows["evidence"] == "documented"])
        memo = cov.__dict__["_data_as_of"] = (max(dated, key=lambda pair: pair[0]),) if dated else (None,)
    best = memo[0]
    return DataAsOf(day=best[0], source=best[1]) if best is not None else None


def data_version(cov) -> DataVersion:
    """The data version of ``cov``: a content hash over its documented accession rows, events and sizes."""
    rows = cov.accessions
    documented = rows[rows["evidence"] == "documented"][accessions.COLUMNS].astype(str)
    digest = hashlib.sha256()
    digest.update(documented.sort_values(accessions.COLUMNS).to_csv(index=False).encode())
    for path in (accessions.EVENTS_CSV, accessions.NETWORK_SIZES_CSV):
        digest.update(path.read_bytes())
    as_of = data_as_of(cov)
    return DataVersion(version="unversioned", digest=digest.hexdigest()[:12], day=as_of.day if as_of else dt.date.min)
