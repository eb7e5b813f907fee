"""Coverage at any Stichtag: derived once, answered by vectorised comparison.

:func:`build` joins the unit table with the expanded accession table once.
For every Gemeinde it keeps, per evidence filter ("all" or "documented"),
the interval of its own membership and of its Kreis's membership. A question
"as of day D" is then a handful of numpy comparisons over 396 rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.accessions import TERRITORIAL_KINDS, kreisfreie_kreis_keys, with_validity
from loaders.boundaries import LAND_KEY, LEVELS
from loaders.errors import InputError

EVIDENCE_FILTERS = ("all", "documented")
STATUSES = ("member", "via_kreis", "not_yet")
NEVER = np.datetime64("NaT", "D")
FOREVER = np.datetime64("9999-12-31", "D")


@dataclass(frozen=True)
class Membership:
    """One body's membership interval under one evidence filter, by unit key."""

    valid_from: np.ndarray   # datetime64[D], NaT = not a member (or date unknown)
    valid_until: np.ndarray  # datetime64[D], FOREVER = no exit
    row: np.ndarray          # index into Coverage.accessions, -1 = none


@dataclass(frozen=True)
class Coverage:
    """The coverage model: units, accessions and per-filter membership intervals."""

    units: pd.DataFrame        # all levels, no geometry
    accessions: pd.DataFrame   # expanded, with valid_from / valid_until
    gemeinden: pd.DataFrame    # the 396 Gemeinden in a fixed order
    own: dict                  # filter -> Membership of each unit (index of ``units``)
    kreis_of_gemeinde: dict    # filter -> Membership of each Gemeinde's Kreis
    kreisfrei: frozenset

    # -- lookups -------------------------------------------------------------
    def check_region(self, region: str | None) -> str | None:
        """Normalise a region key (Land, Regierungsbezirk or Kreis) or raise InputError."""
        if region in (None, "", LAND_KEY):
            return None
        keys = set(self.units.loc[self.units["level"].isin(["regierungsbezirk", "kreis"]), "key"])
        if region not in keys:
            raise InputError(f"unknown region {region!r}: expected a Regierungsbezirk (e.g. 057) "
                             f"or Kreis key (e.g. 05766)")
        return region

    def name_of(self, key: str) -> str:
        if key in (None, "", LAND_KEY):
            return "Nordrhein-Westfalen"
        return self._names.get(key, key)

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        # The dashboard names every region option on every rerun; a mask over all
        # units per call was ~6% of a rerun's server time under load.
        first = self.units.drop_duplicates("key")
        return dict(zip(first["key"], first["name"].astype(str)))

    # -- as-of questions -----------------------------------------------------
    def gemeinde_status(self, day: dt.date, evidence: str = "all") -> pd.DataFrame:
        """Per Gemeinde as of ``day``: status, covered flag and the dates behind it."""
        check_evidence(evidence)
        d = np.datetime64(day, "D")
        own = self.own[evidence]
        g_index = self.gemeinden["unit_index"].to_numpy()
        own_from, own_until = own.valid_from[g_index], own.valid_until[g_index]
        kreis = self.kreis_of_gemeinde[evidence]
        own_active = (own_from <= d) & (d < own_until)
        kreis_active = (kreis.valid_from <= d) & (d < kreis.valid_until)
        status = np.where(own_active, "member", np.where(kreis_active, "via_kreis", "not_yet"))
        out = self.gemeinden[["key", "name", "kreis_key", "rb_key", "population", "area_km2"]].copy()
        out["status"] = status
        out["covered"] = own_active | kreis_active
        out["own_row"] = np.where(own_active, own.row[g_index], -1)
        out["kreis_row"] = np.where(kreis_active, kreis.row, -1)
        return out

    def as_of(self, day: dt.date, level: str = "gemeinde", region: str | None = None,
              evidence: str = "all") -> pd.DataFrame:
        """One row per unit of ``level`` (inside ``region``) as of ``day``.

        Columns: key, name, level, member (own membership active), member_since
        (own accession date at its precision, or None), member_precision,
        member_evidence, member_source, gemeinden_total, gemeinden_covered,
        population_total, population_covered, area_km2_total, area_km2_covered;
        at Gemeinde level also kreis_key, status and via.
        """
        if level not in LEVELS:
            raise InputError(f"unknown level {level!r}: choose one of {', '.join(LEVELS)}")
        region = self.check_region(region)
        g = self.gemeinde_status(day, evidence)
        if region:
            g = g[g["key"].str.startswith(region)]
        g = g.assign(pop_cov=np.where(g["covered"], g["population"], 0),
                     area_cov=np.where(g["covered"], g["area_km2"], 0.0))
        if level == "land":
            if region:
                raise InputError("--region cannot be combined with --level land; "
                                 "use --level regierungsbezirk or kreis")
            group = pd.Series(LAND_KEY, index=g.index)
        elif level == "gemeinde":
            group = g["key"]
        else:
            group = g["kreis_key"] if level == "kreis" else g["rb_key"]
        agg = g.groupby(group, sort=False).agg(
            gemeinden_total=("key", "size"), gemeinden_covered=("covered", "sum"),
            population_total=("population", "sum"), population_covered=("pop_cov", "sum"),
            area_km2_total=("area_km2", "sum"), area_km2_covered=("area_cov", "sum"))
        units = self.units[self.units["level"] == level]
        units = units[units["key"].isin(agg.index)]
        out = units[["key", "name", "level"]].reset_index().rename(columns={"index": "unit_index"})
        out = out.join(agg, on="key")
        own = self.own[evidence]
        d = np.datetime64(day, "D")
        idx = out["unit_index"].to_numpy()
        active = (own.valid_from[idx] <= d) & (d < own.valid_until[idx])
        rows = np.where(active, own.row[idx], -1)
        out["member"] = active if level != "land" else None
        out = out.join(self._describe_rows(rows, "member"))
        if level == "gemeinde":
            g_by_key = g.set_index("key")
            out["kreis_key"] = out["key"].map(g_by_key["kreis_key"])
            out["status"] = out["key"].map(g_by_key["status"])
            out["via"] = out["status"].map({"member": "gemeinde", "via_kreis": "kreis"})
        return out.drop(columns="unit_index").sort_values("key").reset_index(drop=True)

    def _describe_rows(self, rows: np.ndarray, prefix: str) -> pd.DataFrame:
        acc = self.accessions
        safe = np.where(rows >= 0, rows, 0)
        take = lambda column: np.where(rows >= 0, acc[column].to_numpy()[safe], None)  # noqa: E731
        return pd.DataFrame({
            f"{prefix}_since": take("joined_on"),
            f"{prefix}_precision": take("date_precision"),
            f"{prefix}_evidence": take("evidence"),
            f"{prefix}_source": take("source"),
        })

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

    def summary(self, day: dt.date, region: str | None = None, evidence: str = "all") -> dict:
        """Headline figures for a region (None = NRW) as of ``day``."""
        region = self.check_region(region)
        g = self.gemeinde_status(day, evidence)
        if region:
            g = g[g["key"].str.startswith(region)]
        # Counted straight from the membership arrays: the dashboard asks on every Stichtag change,
        # and two as_of() tables cost ten times as much for the same two numbers.
        kreise = self._members_among("kreis", g["kreis_key"].unique(), day, evidence)
        rbs = self._members_among("regierungsbezirk", g["rb_key"].unique(), day, evidence)
        covered = g["covered"].to_numpy()
        return {
            "gemeinden_total": int(len(g)),
            "gemeinden_covered": int(covered.sum()),
            "population_total": int(g["population"].sum()),
            "population_covered": int(g["population"].to_numpy()[covered].sum()),
            "area_km2_total": float(g["area_km2"].sum()),
            "area_km2_covered": float(g["area_km2"].to_numpy()[covered].sum()),
            "kreise_total": kreise[0],
            "kreise_in": kreise[1],
            "bezirksregierungen_total": rbs[0],
            "bezirksregierungen_in": rbs[1],
        }

    def _members_among(self, level: str, keys, day: dt.date, evidence: str) -> tuple[int, int]:
        """How many of these units of ``level`` there are, and how many are members on ``day``."""
        idx = self._unit_index.reindex(level + ":" + pd.Index(keys, dtype=object)).dropna().to_numpy(dtype=int)
        own = self.own[evidence]
        d = np.datetime64(day, "D")
        return len(idx), int(((own.valid_from[idx] <= d) & (d < own.valid_until[idx])).sum())

    @functools.cached_property
    def _unit_index(self) -> pd.Series:
        return pd.Series(self.units.index, index=self.units["level"] + ":" + self.units["key"])

    def change_dates(self, evidence: str = "all") -> list[dt.date]:
        """Every day on which some membership starts or ends, sorted."""
        check_evidence(evidence)
        days = set()
        for membership in (self.own[evidence], self.kreis_of_gemeinde[evidence]):
            for array in (membership.valid_from, membership.valid_until):
                days.update(a for a in array[~np.isnat(array)] if a != FOREVER)
        return sorted(d.astype(dt.date) for d in days)

    def timeline(self, evidence: str = "all", region: str | None = None,
                 start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
        """Covered Gemeinden and population at every change date (a step function)."""
        region = self.check_region(region)
        days = self.change_dates(evidence)
        if start:
            days = [start] + [d for d in days if d > start]
        if end:
            days = [d for d in days if d < end] + [end]
        rows = []
        for day in days:
            s = self.summary(day, region, evidence)
            rows.append({"day": day, **{k: s[k] for k in ("gemeinden_covered", "gemeinden_total",
                                                          "population_covered", "population_total")}})
        frame = pd.DataFrame(rows)
        if len(frame):
            frame["gemeinden_share"] = frame["gemeinden_covered"] / frame["gemeinden_total"]
            frame["population_share"] = frame["population_covered"] / frame["population_total"]
        return frame


def check_evidence(evidence: str) -> str:
    if evidence not in EVIDENCE_FILTERS:
        raise InputError(f"unknown evidence filter {evidence!r}: choose all or documented")
    return evidence


def _membership(units: pd.DataFrame, accessions: pd.DataFrame, evidence: str,
                kreisfrei: set[str]) -> Membership:
    """Per unit: the accession row that gives its membership under ``evidence``."""
    acc = accessions[accessions["kind"].isin(TERRITORIAL_KINDS)]
    if evidence == "documented":
        acc = acc[acc["evidence"] == "documented"]
    frame = pd.DataFrame({"level": acc["kind"].map(TERRITORIAL_KINDS).to_numpy(),
                          "key": acc["key"].to_numpy(), "row": acc.index.to_numpy()})
    # A kreisfreie Stadt is one body: its Gemeinde row also makes its Kreis unit a member.
    city = frame[(frame["level"] == "gemeinde") & frame["key"].str[:5].isin(kreisfrei)]
    frame = pd.concat([frame, city.assign(level="kreis", key=city["key"].str[:5])], ignore_index=True)
    frame["valid_from"] = accessions.loc[frame["row"], "valid_from"].to_numpy()
    frame["valid_until"] = accessions.loc[frame["row"], "valid_until"].to_numpy()
    # Exits apply whatever the row; the start comes from the best-evidenced dated row.
    until = frame.groupby(["level", "key"])["valid_until"].min()
    dated = frame[frame["valid_from"].notna()].copy()
    dated["rank"] = (accessions.loc[dated["row"], "evidence"] != "documented").to_numpy()
    best = dated.sort_values(["rank", "valid_from"]).drop_duplicates(["level", "key"]).set_index(["level", "key"])
    index = pd.MultiIndex.from_arrays([units["level"], units["key"]])
    valid_from = best["valid_from"].reindex(index).to_numpy(dtype="datetime64[D]")
    valid_until = until.reindex(index).to_numpy(dtype="datetime64[D]")
    valid_until = np.where(np.isnat(valid_until), FOREVER, valid_until)
    row = best["row"].reindex(index).fillna(-1).to_numpy(dtype=int)
    return Membership(valid_from, valid_until, row)


def build(units: pd.DataFrame, accessions: pd.DataFrame) -> Coverage:
    """Derive the coverage model once from the unit table and the expanded accessions."""
    units = pd.DataFrame(units.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    accessions = with_validity(accessions).reset_index(drop=True)
    kreisfrei = kreisfreie_kreis_keys(units)
    own = {f: _membership(units, accessions, f, kreisfrei) for f in EVIDENCE_FILTERS}
    gemeinden = units[units["level"] == "gemeinde"].reset_index().rename(columns={"index": "unit_index"})
    kreis_index = pd.Series(units.index, index=units["level"] + ":" + units["key"])
    k_idx = kreis_index.loc["kreis:" + gemeinden["kreis_key"]].to_numpy()
    is_kreisfrei = gemeinden["kreis_key"].isin(kreisfrei).to_numpy()
    kreis_of_gemeinde = {}
    for f in EVIDENCE_FILTERS:
        m = own[f]
        # A kreisfreie Stadt's Kreis unit *is* the city: no separate "via Kreis" coverage.
        kreis_of_gemeinde[f] = Membership(
            np.where(is_kreisfrei, NEVER, m.valid_from[k_idx]),
            np.where(is_kreisfrei, FOREVER, m.valid_until[k_idx]),
            np.where(is_kreisfrei, -1, m.row[k_idx]))
    covered_since = {}
    for f in EVIDENCE_FILTERS:
        own_from = own[f].valid_from[gemeinden["unit_index"].to_numpy()]
        kreis_from = kreis_of_gemeinde[f].valid_from
        earliest = np.fmin(own_from, kreis_from)
        covered_since[f] = earliest
        gemeinden[f"covered_since_{f}"] = earliest
        gemeinden[f"via_{f}"] = np.where(np.isnat(earliest), None,
                                         np.where(own_from == earliest, "gemeinde", "kreis"))
    return Coverage(units=units, accessions=accessions, gemeinden=gemeinden, own=own,
                    kreis_of_gemeinde=kreis_of_gemeinde, kreisfrei=frozenset(kreisfrei))
