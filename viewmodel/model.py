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
from it, so they cannot disagree. Its words come from one vocabulary,
:mod:`viewmodel.text`.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from loaders import accessions, provenance
from loaders.boundaries import LAND_KEY
from loaders.coverage import Coverage, Summary
from loaders.viewstate import ViewState
from viewmodel import text
from viewmodel.i18n import t

# The columns of ViewModel.units, in order (the data exports write them as they are).
UNIT_COLUMNS = [
    "key",
    "name",
    "level",
    "status",
    "status_text",
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
    "gemeinden_documented_one_by_one",
    "gemeinden_documented_via_kreis",
    "population_total",
    "population_covered",
    "population_covered_documented",
    "area_km2_total",
    "area_km2_covered",
    "area_km2_covered_documented",
    "body_member",
    "body_member_since",
    "body_member_precision",
    "body_member_evidence",
    "body_member_source",
    "body_member_undated",
]
# Helper columns of ViewModel.units the words need (not exported): the other paths of a Gemeinde's
# coverage, its Kreis's undated membership, the inference beside documented coverage (its event and
# day; for a Kreis or Bezirk how many Gemeinden rest on inference alone), the body's event, its
# inferred membership under "documented only", and the source of a documented undated membership.
HELPER_COLUMNS = [
    "kreis_key",
    "also",
    "kreis_undated",
    "inferred_event",
    "inferred_since",
    "inferred_rest",
    "body_event",
    "body_inferred_since",
    "body_inferred_event",
    "body_undated_source",
]
T = TypeVar("T")
# How far a Kreis or Regierungsbezirk has come; "new" means this rose since the compare date.
_RANK = {"full": 2, "partial": 1}


@dataclass(frozen=True)
class ViewModel:
    """What one view shows; see the module docstring."""

    state: ViewState
    units: pd.DataFrame  # UNIT_COLUMNS + HELPER_COLUMNS (+ "tooltip", "tip_state" when built with tooltips)
    now: text.Figures  # Coverage.summary at the Stichtag, region and evidence of the view, with the split
    then: Summary | None  # Coverage.summary at the compare date
    legend: list[text.LegendEntry]  # in display order (plain text)
    figures_line: str
    subtitle: str
    currency: str  # the Datenstand, and that the figures are the Datenstand's when the Stichtag is later
    region_name: str
    statewide: pd.DataFrame  # members without territory: name, kind, since, precision, evidence, source
    words: text.Words  # the vocabulary's context: level, evidence filter, language, compare date, events
    beyond_data_as_of: bool = False  # the Stichtag lies after the Datenstand
    data_version: str = ""  # "Datenversion … (Prüfsumme …)"

    @functools.cached_property
    def description(self) -> str:
        """The view in words (:func:`viewmodel.describe.describe`), written once: the map and the page both show it."""
        from viewmodel.describe import describe  # describe reads this module's ViewModel

        return describe(self)

    def features(self) -> dict[str, list]:
        """The map's per-unit payload: key -> [status drawn, hatched, tooltip, new since the compare date]."""
        tips = self.units["tooltip"] if "tooltip" in self.units else [""] * len(self.units)
        return {
            key: [shown, bool(hatched), tip, bool(new)]
            for key, shown, hatched, tip, new in zip(
                self.units["key"], self.units["shown"], self.units["hatched"], tips, self.units["new"]
            )
        }


def events(cov: Coverage) -> dict[str, text.Event]:
    """The regional events by id (:class:`viewmodel.text.Event`), read once per coverage model."""
    return remember(cov, ("events",), lambda: text.events_from(accessions.read_events()))


def words_of(cov: Coverage, state: ViewState, level: str | None = None) -> text.Words:
    """The vocabulary's context of a view (:class:`viewmodel.text.Words`)."""
    return text.Words(
        level=level or state.level, evidence=state.evidence, lang=state.lang, compare=state.compare, events=events(cov)
    )


def data_version(cov: Coverage) -> provenance.DataVersion:
    """The data version of ``cov`` (:func:`loaders.provenance.data_version`), computed once per model."""
    return remember(cov, ("data_version",), lambda: provenance.data_version(cov))


def build(cov: Coverage, state: ViewState, *, tooltips: bool = True) -> ViewModel:
    """The view model of ``state``.

    What depends on coverage (units, statuses, tooltips, figures, legend) is
    computed once per *coverage state* — :func:`coverage_key`: the last change
    date on or before the Stichtag, not the calendar day — and kept on the
    coverage model, so moving the Stichtag within one coverage period costs a
    dictionary look-up; only the words that name the day itself (subtitle,
    currency notice) and the members without territory (they change on their
    own dates) are made per call. The cached unit table is shared between the
    models of one coverage state: treat it as read-only. The Datenstand and the
    data version are :mod:`loaders.provenance`'s.

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
    >>> from register import atlasdata
    >>> model = build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> model.figures_line
    'Abgedeckt: 70 von 70 Gemeinden · davon 1 einzeln belegt · 2,09 Mio. Einwohner'
    >>> model.units.set_index("key").loc["05766040", ["status", "evidence", "status_text"]].tolist()
    ['member', 'documented', 'Mitglied – einzeln belegt']
    """
    lang = state.lang
    core = remember(cov, ("core", coverage_key(cov, state), tooltips), lambda: _coverage_part(cov, state, tooltips))
    as_of = provenance.data_as_of(cov)
    return ViewModel(
        state=state,
        **core,
        subtitle=text.subtitle(state.date, state.compare, core["region_name"], state.evidence, lang),
        currency=text.currency(state.date, as_of, lang),
        beyond_data_as_of=text.beyond(state.date, as_of),
        data_version=text.version_text(data_version(cov), lang),
        statewide=remember(
            cov,
            ("statewide", member_period(cov, state.date), state.evidence),
            lambda: statewide_members(cov, state.date, state.evidence),
        ),
    )


def coverage_key(cov: Coverage, state: ViewState) -> tuple:
    """What the coverage part of a view depends on: the same key, the same units, figures and tooltips.

    The Stichtag enters as its coverage period (:meth:`Coverage.last_change`)
    with all evidence, also under "documented only", whose words name the
    inference beside documented coverage; the compare date as itself, because
    the words name it ("neu seit …").

    Examples
    --------
    >>> from register import atlasdata
    >>> cov = atlasdata.load_coverage()
    >>> a, b = ViewState(dt.date(2024, 2, 1)), ViewState(dt.date(2024, 3, 15))
    >>> coverage_key(cov, a) == coverage_key(cov, b)   # no change date lies between them
    True
    """
    return (
        cov.last_change(state.date, "all"),
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


def remember(cov: Coverage, key: tuple, make: Callable[[], T]) -> T:
    """``make()`` once per ``key`` and coverage model (least recently used dropped beyond MEMO_SIZE).

    Examples
    --------
    >>> from register import atlasdata
    >>> cov = atlasdata.load_coverage()
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
    words = words_of(cov, state)
    units = unit_table(cov, state)
    now: text.Figures = {**cov.summary(state.date, state.region, state.evidence), **documented_split(units)}
    then = cov.summary(state.compare, state.region, state.evidence) if state.compare else None
    region_name = t("region_nrw", lang) if state.region is None else cov.name_of(state.region)
    if state.region is not None:
        region_name = f"Regierungsbezirk {region_name}" if lang == "de" else f"Administrative region {region_name}"
    if tooltips:
        parts = text.tooltip_lines(units, words, kreis_names(cov), cov.kreisfrei)
        units["tooltip"] = ["<br>".join(head + rest) for head, rest in parts]
        # The per-state lines alone: the map gets the fixed ones with its geometry (viewmodel.tips).
        units["tip_state"] = [rest for _, rest in parts]
    return dict(
        units=units,
        now=now,
        then=then,
        legend=text.legend(
            set(zip(units["shown"], units["hatched"].astype(bool))),
            new=bool(units["new"].any()),
            region=state.region,
            w=words,
        ),
        figures_line=text.figures_line(now, then, lang, state.evidence),
        region_name=region_name,
        words=words,
    )


def documented_split(units: pd.DataFrame) -> text.DocumentedSplit:
    """How the view's documented Gemeinden are documented, and how many rest on inference alone.

    The units of a view partition its region, so their sums are the region's.
    """
    return {
        "gemeinden_documented_one_by_one": int(units["gemeinden_documented_one_by_one"].sum()),
        "gemeinden_documented_via_kreis": int(units["gemeinden_documented_via_kreis"].sum()),
        "gemeinden_inferred_only": int(units["inferred_rest"].sum()),
    }


def kreis_names(cov: Coverage) -> dict[str, str]:
    """Kreis key -> name (the tooltips name a Gemeinde's Kreis)."""
    names = cov.__dict__.get("_kreis_names")
    if names is None:
        kreise = cov.units[cov.units["level"] == "kreis"]
        names = cov.__dict__["_kreis_names"] = dict(zip(kreise["key"], kreise["name"].astype(str)))
    return names


def unit_table(cov: Coverage, state: ViewState) -> pd.DataFrame:
    """The units of the view (level, region) as of its Stichtag, in :data:`UNIT_COLUMNS` + :data:`HELPER_COLUMNS`."""
    return unit_rows(
        cov, state.date, state.level, state.region, state.evidence, words_of(cov, state), compare=state.compare
    )


def unit_rows(
    cov: Coverage,
    day: dt.date,
    level: str,
    region: str | None,
    evidence: str,
    words: text.Words,
    compare: dt.date | None = None,
) -> pd.DataFrame:
    """The unit table of any level (the Land too) and region (a Kreis too): what ``sid-atlas coverage`` asks.

    Per unit: its status and the evidence of its coverage, its words
    (``status_text``), the date, event and source its coverage rests on
    (Gemeinden), its Gemeinden covered with the documented part split into one
    by one and through the Kreis, and the body's own membership; plus the
    helper columns the words need (:data:`HELPER_COLUMNS`).
    """
    table = cov.as_of(day, level, region, evidence)
    everything = cov.gemeinde_status(day, "all")
    filtered = everything if evidence == "all" else cov.gemeinde_status(day, evidence)
    if region:
        everything = everything[everything["key"].str.startswith(region)]
        filtered = filtered[filtered["key"].str.startswith(region)]
    g = _gemeinde_parts(cov, everything, filtered)
    if level == "gemeinde":
        by_key = g.set_index("key").loc[table["key"]]
        rows = by_key["row"].to_numpy()
        described = cov.describe_rows(rows)
        for column in ("since", "precision", "certain_by", "event", "source"):
            table[column] = described[column]
        for column in ("gemeinden_documented_one_by_one", "gemeinden_documented_via_kreis", "inferred_rest"):
            table[column] = by_key[column].to_numpy()
        for column in ("inferred_event", "inferred_since"):
            table[column] = by_key[column].to_numpy()
        table["also"] = _other_paths(cov, by_key, rows)
        kreis_units = cov.kreis_index[cov.gemeinden.set_index("key").index.get_indexer(table["key"])]
        table["kreis_undated"] = (kreis_units >= 0) & (cov.undated[np.maximum(kreis_units, 0)] >= 0)
    else:
        for column in ("since", "precision", "certain_by", "event", "source"):
            table[column] = None
        table["via"] = np.where(table["gemeinden_covered"] > 0, "gemeinden", None)  # type: ignore[call-overload]  # numpy's stubs leave out None (an object array)
        table["kreis_key"] = None
        group = {"land": pd.Series(LAND_KEY, index=g.index), "kreis": g["kreis_key"], "regierungsbezirk": g["rb_key"]}[
            level
        ]
        parts = g.groupby(group.to_numpy(), sort=False)
        for column in ("gemeinden_documented_one_by_one", "gemeinden_documented_via_kreis", "inferred_rest"):
            table[column] = table["key"].map(parts[column].sum()).fillna(0).astype(int).to_numpy()
        # One event behind a unit's inferred coverage is named; several are "regional accessions".
        single = parts["inferred_event"].agg(lambda values: _one(values.dropna()))
        table["inferred_event"] = table["key"].map(single).to_numpy()
        table["inferred_since"] = None
    table["also"] = table["also"] if "also" in table else [[] for _ in range(len(table))]
    if "kreis_undated" not in table:
        table["kreis_undated"] = False
    _body_helpers(cov, table, day, level, evidence)
    for column in ("area_km2_total", "area_km2_covered", "area_km2_covered_documented"):
        table[column] = table[column].astype(float).round(2)
    table["new"] = _new(cov, day, level, region, evidence, compare, table)
    table["shown"] = table["status"]  # what is new keeps its status's fill; the map adds its outline
    table["hatched"] = (table["evidence"] == "inferred").to_numpy()
    table["status_text"] = None
    table = table[UNIT_COLUMNS + HELPER_COLUMNS].reset_index(drop=True)
    # pandas turns None into NaN in some columns; the view model says None for "nothing".
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = pd.Series([None if _missing(v) else v for v in table[column]], dtype=object)
    table["status_text"] = [text.status_text(unit, words) for unit in table.itertuples(index=False)]
    # The source a row is shown with: an inferred row's citation is its regional event's source.
    for column, evidence_column, event_column in (
        ("source", "evidence", "event"),
        ("body_member_source", "body_member_evidence", "body_event"),
    ):
        shown = [
            text.shown_source(evidence_class, event, source, words)
            for evidence_class, event, source in zip(table[evidence_column], table[event_column], table[column])
        ]
        table[column] = pd.Series(shown, index=table.index, dtype=object)
    return table


def _one(values: pd.Series) -> Any:
    unique = pd.unique(values)
    return unique[0] if len(unique) == 1 else None


def _gemeinde_parts(cov: Coverage, everything: pd.DataFrame, filtered: pd.DataFrame) -> pd.DataFrame:
    """Per Gemeinde of the view: ``filtered`` (its filter's status) with the split and the inference beside it.

    ``gemeinden_documented_one_by_one`` — documented by its own accession;
    ``gemeinden_documented_via_kreis`` — documented through its Kreis only;
    ``inferred_rest`` — covered by inference alone (with all evidence), and
    that inference's ``inferred_event`` and ``inferred_since``.
    """
    g = filtered.copy()
    documented = g["documented"].to_numpy()
    own = (g["own_documented_row"] >= 0).to_numpy()
    g["gemeinden_documented_one_by_one"] = (documented & own).astype(int)
    g["gemeinden_documented_via_kreis"] = (documented & ~own).astype(int)
    alone = (everything["covered"] & ~everything["documented"]).to_numpy()
    inferred = np.where(
        everything["own_inferred_row"] >= 0, everything["own_inferred_row"], everything["kreis_inferred_row"]
    )
    inferred = np.where(alone, inferred, -1)
    described = cov.describe_rows(inferred)
    g["inferred_rest"] = alone.astype(int)
    g["inferred_event"] = described["event"]
    g["inferred_since"] = described["since"]
    return g


def _body_helpers(cov: Coverage, table: pd.DataFrame, day: dt.date, level: str, evidence: str) -> None:
    """The event of the body's own membership, its inferred membership beside "documented only", its undated source."""
    if level == "land":
        for column in ("body_event", "body_inferred_since", "body_inferred_event", "body_undated_source"):
            table[column] = None
        return
    index = cov.unit_indices(level, table["key"])
    paths = cov.paths(day, index, "all")
    documented = cov.paths(day, index, evidence)["documented"]
    row = np.where(documented >= 0, documented, paths["inferred"] if evidence == "all" else -1)
    table["body_event"] = cov.describe_rows(row)["event"]
    beside = np.where((documented < 0) & (evidence == "documented"), paths["inferred"], -1)
    described = cov.describe_rows(beside)
    table["body_inferred_since"] = described["since"]
    table["body_inferred_event"] = described["event"]
    table["body_undated_source"] = cov.describe_rows(cov.undated[index])["source"]


def _missing(value: object) -> bool:
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
    """One further path of a Gemeinde's coverage: ``(path, its accession's words)``.

    From row ``i`` of :meth:`Coverage.describe_rows` (the tooltips' "also" lines).
    """
    return (
        path,
        {
            "since": described["since"][i],
            "precision": described["precision"][i],
            "certain_by": described["certain_by"][i],
            "evidence": described["row_evidence"][i],
            "event": described["event"][i],
            "source": described["source"][i],
        },
    )


def _new(
    cov: Coverage,
    day: dt.date,
    level: str,
    region: str | None,
    evidence: str,
    compare: dt.date | None,
    table: pd.DataFrame,
) -> np.ndarray:
    """Per unit: whether its coverage rose since the compare date."""
    if compare is None:
        return np.zeros(len(table), dtype=bool)
    before = cov.as_of(compare, level, region, evidence).set_index("key")
    if level == "gemeinde":
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
    out = rows[
        ["name", "kind", "key", "joined_on", "date_precision", "certain_by", "evidence", "event", "source", "note"]
    ]
    return out.sort_values(["name"]).reset_index(drop=True)


def organisations(cov: Coverage, day: dt.date, evidence: str, region: str | None = None) -> pd.DataFrame:
    """The member organisations as of ``day``, each body once (:func:`loaders.accessions.identity`).

    A body with a documented and an inferred row (Erkrath, Stolberg: their own
    release beside their region's event) is one organisation; the row kept is
    the documented one, so the list says each row's own evidence.

    Examples
    --------
    >>> from register import atlasdata
    >>> rows = organisations(atlasdata.load_coverage(), dt.date(2024, 2, 1), "all")
    >>> erkrath = rows[rows["key"] == "05158004"]
    >>> len(erkrath), erkrath["evidence"].tolist()
    (1, ['documented'])
    """
    rows = cov.members_as_of(day, evidence, region)
    identity = [
        accessions.identity(kind, key, name) for kind, key, name in zip(rows["kind"], rows["key"], rows["name"])
    ]
    documented_first = (rows["evidence"] != "documented").astype(int).to_numpy()
    order = np.lexsort((np.arange(len(rows)), documented_first))
    keep = ~pd.Series(identity).iloc[order].duplicated().to_numpy()
    return rows.iloc[np.sort(order[keep])].reset_index(drop=True)


def organisation_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many organisations, and how many of them documented one by one or inferred."""
    documented = int((rows["evidence"] == "documented").sum())
    return {"total": len(rows), "documented": documented, "inferred": len(rows) - documented}
