"""The view model: everything a picture of one view needs, computed in one pure function.

:func:`build` takes the coverage model and a :class:`~loaders.viewstate.ViewState`
and returns a :class:`ViewModel`: one row per unit of the view's level inside
its region — status, the evidence *of its coverage*, how it is covered, since
when and at which precision, the date a source proves it by, event and
sources, the counts and their documented part, the body's own accession —
plus the view's figures (with their documented part and the compare date's),
the legend, the words (figures line, subtitle, currency notice, tooltips) and
the members without territory. The screen, the standalone HTML, the static
maps and animations, CSV/XLSX/GeoJSON and ``sid-atlas coverage`` all draw
from it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders import accessions
from loaders.coverage import Coverage
from loaders.viewstate import ViewState
from viewmodel import text
from viewmodel.i18n import t

# The columns of ViewModel.units, in order (the data exports write them as they are).
UNIT_COLUMNS = [
    "key",
    "name",
    "level",
    "status",
    "evidence",
    "new",
    "shown",
    "hatched",
    "via",
    "since",
    "precision",
    "certain_by",
    "event",
    "source",
    "gemeinden_total",
    "gemeinden_covered",
    "gemeinden_covered_documented",
    "population_total",
    "population_covered",
    "population_covered_documented",
    "body_member",
    "body_member_since",
    "body_member_precision",
    "body_member_evidence",
    "body_member_source",
    "body_member_undated",
]
# How far a Kreis or Regierungsbezirk has come; "new" means this rose since the compare date.
_RANK = {"full": 2, "partial": 1}


@dataclass(frozen=True)
class ViewModel:
    """What one view shows; see the module docstring."""

    state: ViewState
    units: pd.DataFrame  # UNIT_COLUMNS (+ "tooltip", "tip_state" when built with tooltips)
    now: dict  # Coverage.summary at the Stichtag, region and evidence of the view
    then: dict | None  # the same at the compare date
    legend: list[dict]  # {"status", "label", "inferred"} in display order (plain text)
    figures_line: str
    subtitle: str
    currency: str | None  # "no documented accession after …" when the Stichtag is later
    region_name: str
    statewide: pd.DataFrame  # members without territory: name, kind, since, precision, evidence, source

    @functools.cached_property
    def description(self) -> str:
        """The view in words (:func:`viewmodel.describe.describe`), written once: the map and the page both show it."""
        from viewmodel.describe import describe  # describe reads this module's ViewModel

        return describe(self)

    def features(self) -> dict[str, list]:
        """The map's per-unit payload: key -> [shown status, hatched, tooltip]."""
        tips = self.units["tooltip"] if "tooltip" in self.units else [""] * len(self.units)
        return {
            key: [shown, bool(hatched), tip]
            for key, shown, hatched, tip in zip(self.units["key"], self.units["shown"], self.units["hatched"], tips)
        }


@functools.cache
def _newest_published_size() -> dt.date | None:
    sizes = accessions.dated_sizes(accessions.read_network_sizes())  # an undated figure has no day
    return max(sizes["day"]) if len(sizes) else None


def newest_documented(cov: Coverage) -> dt.date | None:
    """The newest day the sources say anything about: a documented accession or a published size."""
    # Once per coverage model: every view asks (its currency notice), and it reads the whole table.
    return remember(
        cov,
        ("newest_documented",),
        lambda: max(
            (d for d in (cov.newest_documented_day(), _newest_published_size()) if d is not None), default=None
        ),
    )


def build(cov: Coverage, state: ViewState, *, tooltips: bool = True) -> ViewModel:
    """The view model of ``state``.

    What depends on coverage (units, statuses, tooltips, figures, legend) is
    computed once per *coverage state* — :func:`coverage_key`: the last change
    date on or before the Stichtag, not the calendar day — and kept on the
    coverage model, so moving the Stichtag within one coverage period costs a
    dictionary look-up; only the words that name the day itself (subtitle,
    currency notice) and the members without territory (they change on their
    own dates) are made per call. The cached unit table is shared between the
    models of one coverage state: treat it as read-only.

    Parameters
    ----------
    cov : Coverage
        The coverage model.
    state : ViewState
        Stichtag, compare date, level, region, evidence filter and language.
    tooltips : bool
        Also write the tooltip HTML per unit (the maps need it; tables do not).

    Examples
    --------
    >>> from loaders import store
    >>> model = build(store.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> model.figures_line
    'Abgedeckt: 70 von 70 Gemeinden · davon 1 einzeln belegt · 2,09 Mio. Einwohner'
    >>> model.units.set_index("key").loc["05766040", ["status", "evidence"]].tolist()
    ['member', 'documented']
    """
    lang = state.lang
    core = remember(cov, ("core", coverage_key(cov, state), tooltips), lambda: _coverage_part(cov, state, tooltips))
    return ViewModel(
        state=state,
        **core,
        subtitle=text.subtitle(state.date, state.compare, core["region_name"], state.evidence, lang),
        currency=text.currency(state.date, newest_documented(cov), lang),
        statewide=remember(
            cov,
            ("statewide", member_period(cov, state.date), state.evidence),
            lambda: statewide_members(cov, state.date, state.evidence),
        ),
    )


def coverage_key(cov: Coverage, state: ViewState) -> tuple:
    """What the coverage part of a view depends on: the same key, the same units, figures and tooltips.

    The Stichtag enters as its coverage period (:meth:`Coverage.last_change`);
    the compare date as itself, because the words name it ("neu seit …").

    Examples
    --------
    >>> from loaders import store
    >>> cov = store.load_coverage()
    >>> a, b = ViewState(dt.date(2024, 2, 1)), ViewState(dt.date(2024, 3, 15))
    >>> coverage_key(cov, a) == coverage_key(cov, b)   # no change date lies between them
    True
    """
    return (
        cov.last_change(state.date, state.evidence),
        state.compare,
        state.level,
        state.region,
        state.evidence,
        state.lang,
    )


# Entries kept per coverage model (a coverage state's model is 0.1–0.5 MB; a session
# visits a few dozen); a new model (after a register import) starts with an empty memo.
MEMO_SIZE = 128
_MEMO_LOCK = threading.Lock()  # sessions run in threads; building happens outside the lock


def remember(cov: Coverage, key: tuple, make):
    """``make()`` once per ``key`` and coverage model (least recently used dropped beyond MEMO_SIZE).

    Examples
    --------
    >>> from loaders import store
    >>> cov = store.load_coverage()
    >>> remember(cov, ("example",), lambda: [1]) is remember(cov, ("example",), lambda: [2])
    True
    """
    # The memo lives in the frozen model's __dict__ (as cached_property does), so
    # it goes when the model goes; a race between sessions only builds twice.
    with _MEMO_LOCK:
        memo = cov.__dict__.setdefault("_viewmodel_memo", OrderedDict())
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    value = make()
    with _MEMO_LOCK:
        memo[key] = value
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return value


def member_period(cov: Coverage, day: dt.date) -> int:
    """The number of accession validity dates on or before ``day``: equal for days with the same members.

    The members (with or without territory) change on more days than the
    coverage does (:meth:`Coverage.change_dates` counts only territorial
    memberships), so their tables are keyed by this instead.
    """
    days = cov.__dict__.get("_member_days")
    if days is None:
        acc = cov.accessions
        stamps = pd.concat([acc["valid_from"], acc["valid_until"]]).dropna().unique()
        days = cov.__dict__["_member_days"] = np.sort(np.asarray(stamps, dtype="datetime64[D]"))
    return int(np.searchsorted(days, np.datetime64(day, "D"), side="right"))


def _coverage_part(cov: Coverage, state: ViewState, tooltips: bool) -> dict:
    """Everything of a view model that depends on the coverage state only (see :func:`coverage_key`)."""
    lang = state.lang
    units = unit_table(cov, state)
    now = cov.summary(state.date, state.region, state.evidence)
    then = cov.summary(state.compare, state.region, state.evidence) if state.compare else None
    region_name = t("region_nrw", lang) if state.region is None else cov.name_of(state.region)
    if state.region is not None:
        region_name = f"Regierungsbezirk {region_name}" if lang == "de" else f"Administrative region {region_name}"
    if tooltips:
        parts = text.tooltip_lines(units, state.level, state.compare, lang, kreis_names(cov), cov.kreisfrei)
        units["tooltip"] = ["<br>".join(head + rest) for head, rest in parts]
        # The per-state lines alone: the map gets the fixed ones with its geometry (viewmodel.tips).
        units["tip_state"] = [rest for _, rest in parts]
    return dict(
        units=units,
        now=now,
        then=then,
        legend=text.legend(
            state.level,
            set(units["shown"]),
            compare=state.compare,
            hatched=bool(units["hatched"].any()),
            region=state.region,
            lang=lang,
        ),
        figures_line=text.figures_line(now, then, lang),
        region_name=region_name,
    )


def kreis_names(cov: Coverage) -> dict[str, str]:
    """Kreis key -> name (the tooltips name a Gemeinde's Kreis)."""
    names = cov.__dict__.get("_kreis_names")
    if names is None:
        kreise = cov.units[cov.units["level"] == "kreis"]
        names = cov.__dict__["_kreis_names"] = dict(zip(kreise["key"], kreise["name"].astype(str)))
    return names


def unit_table(cov: Coverage, state: ViewState) -> pd.DataFrame:
    """The units of the view (level, region) as of its Stichtag, in :data:`UNIT_COLUMNS` plus helpers."""
    table = cov.as_of(state.date, state.level, state.region, state.evidence)
    if state.level == "gemeinde":
        g = cov.gemeinde_status(state.date, state.evidence).set_index("key").loc[table["key"]]
        rows = g["row"].to_numpy()
        described = cov.describe_rows(rows)
        for column in ("since", "precision", "certain_by", "event", "source"):
            table[column] = described[column]
        table["also"] = _other_paths(cov, g, rows)
        kreis_units = cov.kreis_index[cov.gemeinden.set_index("key").index.get_indexer(table["key"])]
        table["kreis_undated"] = (kreis_units >= 0) & (cov.undated[np.maximum(kreis_units, 0)] >= 0)
    else:
        for column in ("since", "precision", "certain_by", "event", "source"):
            table[column] = None
        table["via"] = np.where(table["gemeinden_covered"] > 0, "gemeinden", None)
        table["kreis_key"] = None
    table["new"] = _new(cov, state, table)
    table["shown"] = np.where(table["new"], "new", table["status"])
    table["hatched"] = (table["evidence"] == "inferred").to_numpy()
    extra = [c for c in ("kreis_key", "also", "kreis_undated") if c in table]
    table = table[UNIT_COLUMNS + extra].reset_index(drop=True)
    # pandas turns None into NaN in some columns; the view model says None for "nothing".
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = pd.Series([None if _missing(v) else v for v in table[column]], dtype=object)
    return table


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _other_paths(cov: Coverage, g: pd.DataFrame, shown_rows: np.ndarray) -> list[list]:
    """Per Gemeinde: the active paths besides the one its status rests on, as (path, row) pairs."""
    columns = (
        ("gemeinde", "own_documented_row"),
        ("kreis", "kreis_documented_row"),
        ("gemeinde", "own_inferred_row"),
        ("kreis", "kreis_inferred_row"),
    )
    out: list[list] = [[] for _ in range(len(g))]
    for path, column in columns:
        rows = g[column].to_numpy()
        # Only the few Gemeinden with a second path need words; the rest stay empty.
        where = np.nonzero((rows >= 0) & (rows != shown_rows))[0]
        if not len(where):
            continue
        d = cov.describe_rows(rows[where])
        for j, i in enumerate(where):
            out[i].append(other_path(path, d, j))
    return out


def other_path(path: str, described: dict, i: int) -> tuple[str, dict]:
    """One further path of a Gemeinde's coverage: ``(path, its accession's words)``, from row ``i`` of
    :meth:`Coverage.describe_rows` (the tooltips' "also" lines)."""
    return (
        path,
        {
            "since": described["since"][i],
            "precision": described["precision"][i],
            "certain_by": described["certain_by"][i],
            "evidence": described["row_evidence"][i],
            "source": described["source"][i],
        },
    )


def _new(cov: Coverage, state: ViewState, table: pd.DataFrame) -> np.ndarray:
    """Per unit: has its coverage risen since the compare date?"""
    if state.compare is None:
        return np.zeros(len(table), dtype=bool)
    before = cov.as_of(state.compare, state.level, state.region, state.evidence).set_index("key")
    if state.level == "gemeinde":
        was = before["status"].isin(["member", "via_kreis"]).reindex(table["key"]).to_numpy()
        return table["status"].isin(["member", "via_kreis"]).to_numpy() & ~was
    rank_then = before["status"].map(_RANK).fillna(0).reindex(table["key"]).to_numpy()
    return table["status"].map(_RANK).fillna(0).to_numpy() > rank_then


def statewide_members(cov: Coverage, day: dt.date, evidence: str) -> pd.DataFrame:
    """Members without territory active on ``day``, and the documented ones whose date is unknown."""
    acc = cov.accessions
    territorial = acc["kind"].isin(list(accessions.TERRITORIAL_KINDS))
    active = cov.members_as_of(day, evidence)
    active = active[~active["kind"].isin(list(accessions.TERRITORIAL_KINDS))]
    undated = acc[~territorial & acc["valid_from"].isna() & (acc["evidence"] == "documented")]
    rows = pd.concat([active, undated.drop(columns=["valid_from", "valid_until"])], ignore_index=True)
    out = rows[["name", "kind", "key", "joined_on", "date_precision", "certain_by", "evidence", "source", "note"]]
    return out.sort_values(["name"]).reset_index(drop=True)
