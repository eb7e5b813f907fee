"""The view model's unit rows as data: what every data export and ``sid-atlas coverage`` write.

Every row carries what the picture shows — status and its words, the
evidence of its coverage, the covered counts with their documented part (one
by one and through the Kreis), the body's own membership — plus the view it
belongs to, so a row taken out of context still says what it is: Stichtag,
compare date, evidence filter, Gebietsstand, the Datenstand with its source and
the data version (:data:`VIEW_COLUMNS`).

One rule for every data file: what belongs to the whole view is a column on
every row (CSV, XLSX „Daten“, GeoJSON properties, the command line's json and
csv); the XLSX „Info“ sheet and the GeoJSON's top level repeat it once.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from loaders import provenance
from loaders.coverage import Coverage
from loaders.sources import gebietsstand
from viewmodel import model
from viewmodel.text import Words

VIEW_COLUMNS = [
    "stichtag",
    "compare",
    "evidence_filter",
    "gebietsstand",
    "data_as_of",
    "data_as_of_source",
    "data_version",
    "data_version_digest",
]
# The unit columns a data file writes: the view model's, less how the map draws them.
DATA_COLUMNS = [c for c in model.UNIT_COLUMNS if c not in ("shown", "hatched")]


def view_fields(cov: Coverage, day: dt.date, compare: dt.date | None, evidence: str) -> dict:
    """What every row of a data file says about its view (:data:`VIEW_COLUMNS`).

    Examples
    --------
    >>> from register import atlasdata
    >>> fields = view_fields(atlasdata.load_coverage(), dt.date(2024, 2, 1), None, "all")
    >>> fields["stichtag"], fields["data_as_of"] >= "2024-02-01", bool(fields["data_version_digest"])
    ('2024-02-01', True, True)
    """
    as_of = provenance.data_as_of(cov)
    version = model.data_version(cov)
    return {
        "stichtag": day.isoformat(),
        "compare": compare.isoformat() if compare else None,
        "evidence_filter": evidence,
        "gebietsstand": gebietsstand(),
        "data_as_of": as_of.day.isoformat() if as_of else None,
        "data_as_of_source": as_of.source if as_of else None,
        "data_version": version.version,
        "data_version_digest": version.digest,
    }


def data_rows(
    cov: Coverage,
    table: pd.DataFrame,
    day: dt.date,
    compare: dt.date | None,
    evidence: str,
) -> pd.DataFrame:
    """A unit table of the view model (:func:`viewmodel.model.unit_rows`) as a data file's rows."""
    rows = table[DATA_COLUMNS].copy()
    for name, value in view_fields(cov, day, compare, evidence).items():
        rows[name] = value
    return rows


def unit_rows(cov: Coverage, day: dt.date, level: str, region: str | None, evidence: str, lang: str) -> pd.DataFrame:
    """The view model's unit table of any level (the Land too) and region (a Kreis too), without a compare date."""
    words = Words(level=level, evidence=evidence, lang=lang, events=model.events(cov))
    return model.unit_rows(cov, day, level, region, evidence, words)
