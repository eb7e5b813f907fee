"""The data behind a view: one row per unit of the view's level, with status and evidence.

:func:`view_table` is the single source of both the map colours and the
CSV / XLSX / GeoJSON downloads, so a picture and its table never disagree.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from loaders.coverage import Coverage
from loaders.viewstate import ViewState

COLUMNS = ["key", "name", "level", "status", "evidence", "since", "since_precision", "source",
           "gemeinden_total", "gemeinden_covered", "population_total", "population_covered"]
# How far a unit has come; "new" means this rose between the compare date and the Stichtag.
# At Gemeinde level being covered is what counts, however it came about.
_RANK = {"gemeinde": {"not_yet": 0, "via_kreis": 1, "member": 1},
         "kreis": {"not_yet": 0, "partial": 1, "member": 2},
         "regierungsbezirk": {"not_yet": 0, "partial": 1, "member": 2}}


def status_table(cov: Coverage, day: dt.date, level: str, evidence: str = "all") -> pd.DataFrame:
    """Every unit of ``level`` in NRW as of ``day``, in :data:`COLUMNS`, sorted by key.

    ``status`` is member / via_kreis / not_yet at Gemeinde level and
    member / partial / not_yet above it; ``evidence`` (documented or
    inferred) belongs to the accession that gives the coverage. A partly
    covered Kreis or Regierungsbezirk counts as inferred when any of its
    covered Gemeinden is.
    """
    acc = cov.accessions
    g = cov.gemeinde_status(day, evidence)
    row = np.where(g["own_row"] >= 0, g["own_row"], g["kreis_row"])
    g_inferred = pd.Series(np.where(row >= 0, acc["evidence"].to_numpy()[np.maximum(row, 0)] == "inferred",
                                    False), index=g.index)
    if level == "gemeinde":
        units = cov.as_of(day, "gemeinde", None, evidence)
        by_key = pd.DataFrame({"row": row, "status": g["status"].to_numpy()}, index=g["key"].to_numpy())
        units["status"] = units["key"].map(by_key["status"])
        rows = units["key"].map(by_key["row"]).to_numpy()
    else:
        units = cov.as_of(day, level, None, evidence)
        partial = units["gemeinden_covered"] > 0
        units["status"] = np.where(units["member"], "member", np.where(partial, "partial", "not_yet"))
        rows = np.full(len(units), -1)
    out = units[["key", "name", "level", "status", "gemeinden_total", "gemeinden_covered",
                 "population_total", "population_covered"]].copy()
    if level == "gemeinde":
        present = rows >= 0
        take = lambda column: np.where(present, acc[column].to_numpy()[np.maximum(rows, 0)], None)  # noqa: E731
        out["evidence"], out["since"] = take("evidence"), take("joined_on")
        out["since_precision"], out["source"] = take("date_precision"), take("source")
    else:
        parent = g["kreis_key"] if level == "kreis" else g["rb_key"]
        any_inferred = g_inferred.groupby(parent.to_numpy()).any()
        member = units["member"].astype(bool).to_numpy()
        out["evidence"] = np.where(member, units["member_evidence"],
                                   np.where(out["status"] == "partial",
                                            np.where(out["key"].map(any_inferred), "inferred", "documented"),
                                            None))
        out["since"] = np.where(member, units["member_since"], None)
        out["since_precision"] = np.where(member, units["member_precision"], None)
        out["source"] = np.where(member, units["member_source"], None)
    return out[COLUMNS].sort_values("key").reset_index(drop=True)


def newly_covered(before: pd.DataFrame, after: pd.DataFrame, level: str) -> np.ndarray:
    """Per unit (both tables in key order): has its coverage risen since ``before``?"""
    rank = _RANK[level]
    return after["status"].map(rank).to_numpy() > before["status"].map(rank).to_numpy()


def view_table(cov: Coverage, view: ViewState) -> pd.DataFrame:
    """The units a view shows (inside its region), with a ``new`` column when it compares.

    Examples
    --------
    >>> from loaders import store
    >>> view = ViewState(dt.date(2024, 2, 1), compare=dt.date(2024, 1, 31), region="057")
    >>> table = view_table(store.load_coverage(), view)
    >>> len(table), int(table["new"].sum()), sorted(table["evidence"].unique())
    (70, 70, ['documented', 'inferred'])
    """
    table = status_table(cov, view.date, view.level, view.evidence)
    if view.compare is not None:
        before = status_table(cov, view.compare, view.level, view.evidence)
        table["new"] = newly_covered(before, table, view.level)
    if view.region:
        table = table[table["key"].str.startswith(view.region)].reset_index(drop=True)
    return table
