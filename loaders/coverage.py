"""Coverage at any Stichtag: derived once, answered by vectorised comparison.

:func:`build` joins the unit table with the expanded accession table once.
For every unit it keeps two membership intervals — one from *documented*
accession rows, one from *inferred* rows — and whether a documented but
undated accession exists. A question "as of day D" is then a handful of numpy
comparisons over 396 rows.

Rules (docs/data.md)
--------------------
- A Gemeinde is *covered* on D when a membership of its own or of its Kreis is
  active on D. Its coverage is *documented* when any documented path covers it
  (its own documented accession, or its Kreis's); otherwise *inferred*.
  Documented wins over inferred, so a view with all evidence never counts
  fewer documented Gemeinden than the view "documented only" — the documented
  part of every figure equals the documented-only figure.
- A Kreis or Regierungsbezirk keeps two things apart: the *body's own*
  accession (Kreisverwaltung, Bezirksregierung) and the *coverage* of its
  Gemeinden (n covered, of which documented).
- A documented accession without a date never counts at a Stichtag, but it is
  never shown as "not a member" either: its unit is ``undated``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import typing
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd

from loaders.accessions import (
    EVIDENCE_CLASSES,
    TERRITORIAL_KINDS,
    kreisfreie_kreis_keys,
    with_all_columns,
    with_validity,
)
from loaders.boundaries import LAND_KEY, LEVELS
from loaders.errors import InputError
from loaders.viewstate import EVIDENCE_FILTERS

# Which evidence classes (:data:`loaders.accessions.EVIDENCE_CLASSES`) each filter admits.
ADMITTED = {"all": EVIDENCE_CLASSES, "documented": ("documented",)}
# Status of a Gemeinde: covered by its own accession, through its Kreis, documented
# without a date, or not (yet).
GEMEINDE_STATUSES = ("member", "via_kreis", "undated", "not_yet")
# Status of a Kreis or Regierungsbezirk, from the coverage of its Gemeinden.
AGGREGATE_STATUSES = ("full", "partial", "undated", "not_yet")
STATUSES = {
    "gemeinde": GEMEINDE_STATUSES,
    "kreis": AGGREGATE_STATUSES,
    "regierungsbezirk": AGGREGATE_STATUSES,
    "land": AGGREGATE_STATUSES,
}
NEVER = np.datetime64("NaT", "D")
FOREVER = np.datetime64("9999-12-31", "D")
# None as a 0-d object array, for np.where: the same result as a bare None, which its stubs do not accept.
_NONE = np.array(None, dtype=object)
# Figures that are summed over Gemeinden, each with its documented part.
SUMMED = ("gemeinden", "population", "area_km2")


class Summary(TypedDict):
    """:meth:`Coverage.summary`: the headline figures of a region at a day, each with its documented part."""

    gemeinden_total: int
    gemeinden_covered: int
    gemeinden_covered_documented: int
    population_total: int
    population_covered: int
    population_covered_documented: int
    area_km2_total: float
    area_km2_covered: float
    area_km2_covered_documented: float
    kreise_total: int
    kreise_in: int
    kreise_in_documented: int
    bezirksregierungen_total: int
    bezirksregierungen_in: int
    bezirksregierungen_in_documented: int


@dataclass(frozen=True)
class Membership:
    """One class of membership intervals, by unit (index of ``Coverage.units``)."""

    valid_from: np.ndarray  # datetime64[D], NaT = no such membership (or date unknown)
    valid_until: np.ndarray  # datetime64[D], FOREVER = no exit
    row: np.ndarray  # index into Coverage.accessions, -1 = none

    def active(self, day: np.datetime64, index=slice(None)) -> np.ndarray:
        """Which memberships (of ``index``) are valid on ``day``."""
        return (self.valid_from[index] <= day) & (day < self.valid_until[index])

    def take(self, index) -> Membership:
        """The memberships at ``index``."""
        return Membership(self.valid_from[index], self.valid_until[index], self.row[index])


@dataclass(frozen=True)
class Coverage:
    """The coverage model: units, accessions and per-evidence membership intervals."""

    units: pd.DataFrame  # all levels, no geometry
    accessions: pd.DataFrame  # expanded, with valid_from / valid_until
    gemeinden: pd.DataFrame  # the 396 Gemeinden in a fixed order (column unit_index)
    own: dict  # evidence class -> Membership of each unit
    undated: np.ndarray  # per unit: row of a documented undated accession, -1 = none
    kreis_index: np.ndarray  # per Gemeinde: unit index of its Kreis, -1 for a kreisfreie Stadt
    kreisfrei: frozenset

    # -- lookups -------------------------------------------------------------
    def check_region(self, region: str | None) -> str | None:
        """Normalise a region key (Land, Regierungsbezirk or Kreis) or raise InputError."""
        if region in (None, "", LAND_KEY):
            return None
        keys = set(self.units.loc[self.units["level"].isin(["regierungsbezirk", "kreis"]), "key"])
        if region not in keys:
            raise InputError(
                f"unknown region {region!r}: expected a Regierungsbezirk (e.g. 057) or Kreis key (e.g. 05766)"
            )
        return region

    def name_of(self, key: str) -> str:
        """The name of a unit by its key; NRW for no key."""
        if key in (None, "", LAND_KEY):
            return "Nordrhein-Westfalen"
        return self._names.get(key, key)

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        # The dashboard names every region option on every rerun; a mask over all
        # units per call was ~6% of a rerun's server time under load.
        first = self.units.drop_duplicates("key")
        return dict(zip(first["key"], first["name"].astype(str)))

    @functools.cached_property
    def _unit_index(self) -> pd.Series:
        return pd.Series(self.units.index, index=self.units["level"] + ":" + self.units["key"])

    def unit_indices(self, level: str, keys) -> np.ndarray:
        """The positions of ``keys`` of ``level`` among the model's units."""
        return self._unit_index.loc[level + ":" + pd.Index(keys, dtype=object)].to_numpy(dtype=int)

    def newest_documented_day(self) -> dt.date | None:
        """The latest day on which a documented accession or exit starts to count."""
        acc = self.accessions[self.accessions["evidence"] == "documented"]
        days = pd.concat([acc["valid_from"], acc["valid_until"]]).dropna()
        return days.max().date() if len(days) else None

    # -- as-of questions -----------------------------------------------------
    def paths(self, day: dt.date, index: np.ndarray, evidence: str) -> dict[str, np.ndarray]:
        """Per unit of ``index``: the active row of each admitted evidence class (-1 = none)."""
        check_evidence(evidence)
        d = np.datetime64(day, "D")
        return {c: np.where(self.own[c].active(d, index), self.own[c].row[index], -1) for c in ADMITTED[evidence]}

    def gemeinde_status(self, day: dt.date, evidence: str = "all") -> pd.DataFrame:
        """Per Gemeinde as of ``day``: status, covered flag, evidence and the rows behind them.

        Columns: key, name, kreis_key, rb_key, population, area_km2, status,
        covered, documented (covered by a documented path), evidence
        (documented / inferred / None), via (gemeinde / kreis / None), row
        (the accession row the status rests on), own_row / kreis_row (that
        path's best active row), and own_documented_row, own_inferred_row,
        kreis_documented_row, kreis_inferred_row (-1 where absent), so a
        tooltip can name every path.

        Examples
        --------
        >>> from tests.helpers import accession, tiny_events, tiny_units
        >>> from loaders import accessions
        >>> units = tiny_units()
        >>> rows = pd.DataFrame([accession("Kreis Eins", "kreis", "05001", "2023-06-01", event="rb050")])
        >>> cov = build(units, accessions.expand_events(rows, tiny_events(), units))
        >>> g = cov.gemeinde_status(dt.date(2023, 6, 1))
        >>> print(g[["key", "status", "evidence", "via"]].to_string(index=False))
             key    status   evidence      via
        05001001 via_kreis documented    kreis
        05001002 via_kreis documented    kreis
        05002000    member   inferred gemeinde
        """
        g_index = self.gemeinden["unit_index"].to_numpy()
        own = self.paths(day, g_index, evidence)
        has_kreis = self.kreis_index >= 0
        kreis = {
            c: np.where(has_kreis, rows, -1)
            for c, rows in self.paths(day, np.where(has_kreis, self.kreis_index, 0), evidence).items()
        }
        none = np.full(len(g_index), -1)
        own_doc, kreis_doc = own["documented"], kreis["documented"]
        own_inf, kreis_inf = own.get("inferred", none), kreis.get("inferred", none)
        # The best path first: documented before inferred, own accession before the Kreis's.
        candidates = (
            (own_doc, "member", "documented"),
            (kreis_doc, "via_kreis", "documented"),
            (own_inf, "member", "inferred"),
            (kreis_inf, "via_kreis", "inferred"),
        )
        status = np.full(len(g_index), "not_yet", dtype=object)
        evidence_of = np.full(len(g_index), None, dtype=object)
        row = none.copy()
        decided = np.zeros(len(g_index), dtype=bool)
        for rows, name, evidence_class in candidates:
            take = (rows >= 0) & ~decided
            status[take], evidence_of[take], row[take] = name, evidence_class, rows[take]
            decided |= take
        undated = (self.undated[g_index] >= 0) | (
            has_kreis & (self.undated[np.where(has_kreis, self.kreis_index, 0)] >= 0)
        )
        status[~decided & undated] = "undated"
        out = self.gemeinden[["key", "name", "kreis_key", "rb_key", "population", "area_km2"]].copy()
        out["status"] = status
        out["covered"] = decided
        out["documented"] = (own_doc >= 0) | (kreis_doc >= 0)
        out["evidence"] = evidence_of
        out["via"] = np.where(status == "member", "gemeinde", np.where(status == "via_kreis", "kreis", _NONE))
        out["row"] = row
        out["own_row"] = np.where(own_doc >= 0, own_doc, own_inf)
        out["kreis_row"] = np.where(kreis_doc >= 0, kreis_doc, kreis_inf)
        out["own_documented_row"], out["own_inferred_row"] = own_doc, own_inf
        out["kreis_documented_row"], out["kreis_inferred_row"] = kreis_doc, kreis_inf
        return out

    def as_of(
        self, day: dt.date, level: str = "gemeinde", region: str | None = None, evidence: str = "all"
    ) -> pd.DataFrame:
        """One row per unit of ``level`` (inside ``region``) as of ``day``.

        Columns
        -------
        key, name, level
        status, evidence
            The unit's coverage (:data:`STATUSES` of the level) and its
            evidence (documented / inferred / None when not covered).
        gemeinden_total, gemeinden_covered, gemeinden_covered_documented,
        population_…, area_km2_…
            Totals, covered and the documented part of covered.
        body_member, body_member_since, body_member_precision,
        body_member_evidence, body_member_source, body_member_undated
            The body's *own* accession (Gemeinde, Kreisverwaltung or
            Bezirksregierung; None at Land level): ``body_member`` is True or
            False, or None when only an undated documented accession is known.
        member, member_since, member_precision, member_evidence, member_source
            The same as ``body_member…`` (the names of earlier versions).
        kreis_key, via
            At Gemeinde level only: the Kreis, and how the unit is covered.
        """
        if level not in LEVELS:
            raise InputError(f"unknown level {level!r}: choose one of {', '.join(LEVELS)}")
        region = self.check_region(region)
        if level == "land" and region:
            raise InputError("--region cannot be combined with --level land; use --level regierungsbezirk or kreis")
        g = self.gemeinde_status(day, evidence)
        if region:
            g = g[g["key"].str.startswith(region)]
        group = {
            "land": pd.Series(LAND_KEY, index=g.index),
            "gemeinde": g["key"],
            "kreis": g["kreis_key"],
            "regierungsbezirk": g["rb_key"],
        }[level]
        agg = _aggregate(g, group)
        units = self.units[(self.units["level"] == level) & self.units["key"].isin(agg.index)]
        out = units[["key", "name", "level"]].reset_index().rename(columns={"index": "unit_index"})
        out = out.join(agg, on="key")
        if level == "gemeinde":
            by_key = g.set_index("key")
            for column in ("kreis_key", "status", "evidence", "via"):
                out[column] = out["key"].map(by_key[column])
        else:
            out["status"] = _aggregate_status(
                out, self.undated[out["unit_index"].to_numpy()] >= 0 if level != "land" else np.zeros(len(out), bool)
            )
            covered = out["gemeinden_covered"] > 0
            out["evidence"] = np.where(
                ~covered,
                _NONE,
                np.where(out["gemeinden_covered_documented"] == out["gemeinden_covered"], "documented", "inferred"),
            )
        body = self._body(day, out["unit_index"].to_numpy(), evidence) if level != "land" else _no_body(len(out))
        out = out.join(body)
        for name in ("", "_since", "_precision", "_evidence", "_source"):
            out[f"member{name}"] = out[f"body_member{name}"]
        return out.drop(columns="unit_index").sort_values("key").reset_index(drop=True)

    def _body(self, day: dt.date, index: np.ndarray, evidence: str) -> pd.DataFrame:
        """The body's own accession per unit: the documented row if active, else the inferred one."""
        paths = self.paths(day, index, evidence)
        row = paths["documented"]
        evidence_of = np.where(row >= 0, "documented", _NONE).astype(object)
        if "inferred" in paths:
            use = (row < 0) & (paths["inferred"] >= 0)
            row = np.where(use, paths["inferred"], row)
            evidence_of[use] = "inferred"
        undated = self.undated[index]
        member = np.where(row >= 0, True, np.where(undated >= 0, _NONE, False)).astype(object)
        shown = np.where(row >= 0, row, undated)  # an undated documented row still names its source
        evidence_of[(row < 0) & (undated >= 0)] = "documented"
        described = self.describe_rows(shown)
        return pd.DataFrame(
            {
                "body_member": member,
                "body_member_since": described["since"],
                "body_member_precision": described["precision"],
                "body_member_evidence": evidence_of,
                "body_member_source": described["source"],
                "body_member_undated": undated >= 0,
            }
        )

    def describe_rows(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """since, precision, certain_by, not_before, event, source, quote, read_on, name, note of rows (None for -1)."""
        acc = self.accessions
        safe = np.where(rows >= 0, rows, 0)
        columns = {
            "since": "joined_on",
            "precision": "date_precision",
            "certain_by": "certain_by",
            "not_before": "not_before",
            "event": "event",
            "source": "source",
            "quote": "quote",
            "read_on": "read_on",
            "name": "name",
            "note": "note",
            "row_evidence": "evidence",
        }
        out: dict[str, np.ndarray] = {}
        for name, column in columns.items():
            values = acc[column].to_numpy(dtype=object)[safe]
            out[name] = np.where(rows >= 0, values, _NONE)
        # Empty text (an unknown date, no event, no certain_by, no quote) is None here.
        for name in ("since", "certain_by", "not_before", "event", "quote", "read_on", "note"):
            out[name] = np.array([None if v == "" else v for v in out[name]], dtype=object)
        return out

    def members_as_of(self, day: dt.date, evidence: str = "all", region: str | None = None) -> pd.DataFrame:
        """Accession rows active on ``day`` (organisations only; people are counts)."""
        check_evidence(evidence)
        region = self.check_region(region)
        acc = self.accessions
        d = np.datetime64(day, "D")
        active = (acc["valid_from"].to_numpy() <= d) & (d < acc["valid_until"].fillna(FOREVER).to_numpy())
        if evidence == "documented":
            active &= (acc["evidence"] == "documented").to_numpy()
        out = acc[active]
        if region:
            out = out[out["key"].str.startswith(region)]
        return out.drop(columns=["valid_from", "valid_until"]).reset_index(drop=True)

    def summary(self, day: dt.date, region: str | None = None, evidence: str = "all") -> Summary:
        """Headline figures for a region (None = NRW) as of ``day``, each with its documented part.

        Keys: ``gemeinden_total``, ``gemeinden_covered``,
        ``gemeinden_covered_documented`` and likewise for ``population`` and
        ``area_km2``; ``kreise_total``, ``kreise_in``, ``kreise_in_documented``;
        ``bezirksregierungen_total``, ``bezirksregierungen_in``,
        ``bezirksregierungen_in_documented`` (the bodies' own memberships).
        """
        region = self.check_region(region)
        g = self.gemeinde_status(day, evidence)
        if region:
            g = g[g["key"].str.startswith(region)]
        covered, documented = g["covered"].to_numpy(), g["documented"].to_numpy()
        out: dict[str, int | float] = {}
        for name, column in (("gemeinden", None), ("population", "population"), ("area_km2", "area_km2")):
            values = np.ones(len(g), dtype=int) if column is None else g[column].to_numpy()
            cast = float if name == "area_km2" else int
            out[f"{name}_total"] = cast(values.sum())
            out[f"{name}_covered"] = cast(values[covered].sum())
            out[f"{name}_covered_documented"] = cast(values[documented].sum())
        for level, name in (("kreis", "kreise"), ("regierungsbezirk", "bezirksregierungen")):
            keys = g["kreis_key" if level == "kreis" else "rb_key"].unique()
            paths = self.paths(day, self.unit_indices(level, keys), evidence)
            member = np.zeros(len(keys), dtype=bool)
            for rows in paths.values():
                member |= rows >= 0
            out[f"{name}_total"] = len(keys)
            out[f"{name}_in"] = int(member.sum())
            out[f"{name}_in_documented"] = int((paths["documented"] >= 0).sum())
        return typing.cast(Summary, out)  # the keys of Summary, built by the loops above

    def change_dates(self, evidence: str = "all") -> list[dt.date]:
        """Every day on which some membership starts or ends, sorted."""
        return list(self._change_dates(check_evidence(evidence)))

    def _change_dates(self, evidence: str) -> tuple[dt.date, ...]:
        # Kept in the instance's __dict__ (the model is frozen and unhashable): every
        # rerun asks for the coverage period of its Stichtag.
        memo = self.__dict__.setdefault("_change_dates_memo", {})
        if evidence not in memo:
            memo[evidence] = self._find_change_dates(evidence)
        return memo[evidence]

    def _find_change_dates(self, evidence: str) -> tuple[dt.date, ...]:
        days: set[np.datetime64] = set()
        for evidence_class in ADMITTED[evidence]:
            membership = self.own[evidence_class]
            for array in (membership.valid_from, membership.valid_until):
                days.update(a for a in array[~np.isnat(array)] if a != FOREVER)
        return tuple(sorted(d.astype(dt.date) for d in days))

    def last_change(self, day: dt.date, evidence: str = "all") -> dt.date | None:
        """The last change date on or before ``day``: every day from it to the next change looks the same."""
        days = self._change_dates(check_evidence(evidence))
        at = bisect.bisect_right(days, day)
        return days[at - 1] if at else None

    def timeline(
        self, evidence: str = "all", region: str | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> pd.DataFrame:
        """Covered Gemeinden and population at every change date (a step function)."""
        region = self.check_region(region)
        days = self.change_dates(evidence)
        if start:
            days = [start] + [d for d in days if d > start]
        if end:
            days = [d for d in days if d < end] + [end]
        fields = (
            "gemeinden_covered",
            "gemeinden_covered_documented",
            "gemeinden_total",
            "population_covered",
            "population_covered_documented",
            "population_total",
        )
        rows = []
        for day in days:
            s = dict(self.summary(day, region, evidence))
            rows.append({"day": day, **{k: s[k] for k in fields}})
        frame = pd.DataFrame(rows)
        if len(frame):
            frame["gemeinden_share"] = frame["gemeinden_covered"] / frame["gemeinden_total"]
            frame["population_share"] = frame["population_covered"] / frame["population_total"]
        return frame


def _aggregate(g: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """Totals, covered and documented-covered Gemeinden, population and area per group."""
    frame = pd.DataFrame(
        {
            "gemeinden_total": 1,
            "gemeinden_covered": g["covered"].astype(int),
            "gemeinden_covered_documented": g["documented"].astype(int),
            "population_total": g["population"],
            "population_covered": np.where(g["covered"], g["population"], 0),
            "population_covered_documented": np.where(g["documented"], g["population"], 0),
            "area_km2_total": g["area_km2"],
            "area_km2_covered": np.where(g["covered"], g["area_km2"], 0.0),
            "area_km2_covered_documented": np.where(g["documented"], g["area_km2"], 0.0),
            "gemeinden_undated": (g["status"] == "undated").astype(int),
        },
        index=g.index,
    )
    return frame.groupby(group.to_numpy(), sort=False).sum()


def _aggregate_status(units: pd.DataFrame, body_undated: np.ndarray) -> np.ndarray:
    """The status of a unit (full, partial, undated, not_yet) from the coverage of its Gemeinden."""
    covered, total = units["gemeinden_covered"].to_numpy(), units["gemeinden_total"].to_numpy()
    undated = body_undated | (units["gemeinden_undated"].to_numpy() > 0)
    return np.where(covered == total, "full", np.where(covered > 0, "partial", np.where(undated, "undated", "not_yet")))


def _no_body(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "body_member": [None] * n,
            "body_member_since": [None] * n,
            "body_member_precision": [None] * n,
            "body_member_evidence": [None] * n,
            "body_member_source": [None] * n,
            "body_member_undated": [False] * n,
        }
    )


def check_evidence(evidence: str) -> str:
    """``evidence`` if it is one of :data:`EVIDENCE_FILTERS`, else an :class:`InputError`."""
    if evidence not in EVIDENCE_FILTERS:
        raise InputError(f"unknown evidence filter {evidence!r}: choose all or documented")
    return evidence


def _territorial_rows(accessions: pd.DataFrame, kreisfrei: set[str]) -> pd.DataFrame:
    """(level, key, row) of every territorial accession; a kreisfreie Stadt also as its Kreis."""
    acc = accessions[accessions["kind"].isin(TERRITORIAL_KINDS)]
    frame = pd.DataFrame(
        {
            "level": acc["kind"].map(TERRITORIAL_KINDS).to_numpy(),
            "key": acc["key"].to_numpy(),
            "row": acc.index.to_numpy(),
        }
    )
    city = frame[(frame["level"] == "gemeinde") & frame["key"].str[:5].isin(kreisfrei)]
    frame = pd.concat([frame, city.assign(level="kreis", key=city["key"].str[:5])], ignore_index=True)
    frame["valid_from"] = accessions.loc[frame["row"], "valid_from"].to_numpy()
    frame["valid_until"] = accessions.loc[frame["row"], "valid_until"].to_numpy()
    frame["evidence"] = accessions.loc[frame["row"], "evidence"].to_numpy()
    return frame


def _memberships(
    units: pd.DataFrame, accessions: pd.DataFrame, kreisfrei: set[str]
) -> tuple[dict[str, Membership], np.ndarray]:
    """Per unit and evidence class: the earliest dated row; and the documented undated rows."""
    frame = _territorial_rows(accessions, kreisfrei)
    index = pd.MultiIndex.from_arrays([units["level"], units["key"]])
    # An exit ends a body's membership whatever row records it.
    until = frame.groupby(["level", "key"])["valid_until"].min().reindex(index).to_numpy(dtype="datetime64[D]")
    until = np.where(np.isnat(until), FOREVER, until)
    own = {}
    for evidence_class in EVIDENCE_CLASSES:
        dated = frame[(frame["evidence"] == evidence_class) & frame["valid_from"].notna()]
        best = dated.sort_values(["valid_from", "row"]).drop_duplicates(["level", "key"]).set_index(["level", "key"])
        own[evidence_class] = Membership(
            best["valid_from"].reindex(index).to_numpy(dtype="datetime64[D]"),
            until,
            best["row"].reindex(index).fillna(-1).to_numpy(dtype=int),
        )
    undated = frame[(frame["evidence"] == "documented") & frame["valid_from"].isna()]
    undated = undated.drop_duplicates(["level", "key"]).set_index(["level", "key"])["row"]
    return own, undated.reindex(index).fillna(-1).to_numpy(dtype=int)


def build(units: pd.DataFrame, accessions: pd.DataFrame) -> Coverage:
    """Derive the coverage model once from the unit table and the expanded accessions."""
    units = pd.DataFrame(units.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    accessions = with_validity(with_all_columns(accessions)).reset_index(drop=True)
    kreisfrei = kreisfreie_kreis_keys(units)
    own, undated = _memberships(units, accessions, kreisfrei)
    gemeinden = units[units["level"] == "gemeinde"].reset_index().rename(columns={"index": "unit_index"})
    lookup = pd.Series(units.index, index=units["level"] + ":" + units["key"])
    kreis_index = lookup.loc["kreis:" + gemeinden["kreis_key"]].to_numpy()
    # A kreisfreie Stadt's Kreis unit *is* the city: no separate "via Kreis" coverage.
    kreis_index = np.where(gemeinden["kreis_key"].isin(kreisfrei).to_numpy(), -1, kreis_index)
    cov = Coverage(
        units=units,
        accessions=accessions,
        gemeinden=gemeinden,
        own=own,
        undated=undated,
        kreis_index=kreis_index,
        kreisfrei=frozenset(kreisfrei),
    )
    for evidence in EVIDENCE_FILTERS:
        # When each Gemeinde is first covered, and how (timeline, animation frames).
        first = np.full(len(gemeinden), NEVER)
        via = np.full(len(gemeinden), None, dtype=object)
        for evidence_class in ADMITTED[evidence]:
            own_from = own[evidence_class].valid_from[gemeinden["unit_index"].to_numpy()]
            kreis_from = np.where(kreis_index >= 0, own[evidence_class].valid_from[np.maximum(kreis_index, 0)], NEVER)
            for since, how in ((own_from, "gemeinde"), (kreis_from, "kreis")):
                earlier = ~np.isnat(since) & (np.isnat(first) | (since < first))
                first, via = np.where(earlier, since, first), np.where(earlier, how, via)
        gemeinden[f"covered_since_{evidence}"] = first
        gemeinden[f"via_{evidence}"] = via
    return cov
