"""Tooltips in two parts: a fixed table sent once with the geometry, and a few numbers per state.

A tooltip is a list of escaped HTML lines (:func:`viewmodel.text.tooltip_lines`).
Most of them — name, key, Kreis, and the date and source of each accession
that can ever cover a unit — do not depend on the Stichtag; only *which* of
them a view shows does. So the map receives:

- once per level, region and language, with its geometry: a :class:`TipTable`
  (the unit keys in view order, every such line once, and per unit its
  *pool* of line numbers, the first ``head`` of them always shown), written
  as a content-hashed file the browser caches (``dashboard.mapview``);
- per Stichtag change: per unit its status, hatching and "new" mark as one
  code and the positions of its lines in its pool, plus the few lines no pool
  holds (status words, counts) once each (:func:`state_payload`).

So a Stichtag change sends a few bytes per unit instead of its tooltip HTML,
while the words still come from :mod:`viewmodel.text` alone: the fixed table is
made by the same function, from every accession row that can cover a unit.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from loaders.accessions import EVIDENCE_CLASSES
from loaders.coverage import Coverage
from loaders.viewstate import ViewState
from viewmodel import text
from viewmodel.model import ViewModel, _missing, build, kreis_names, other_path, remember, words_of

_LOCK = threading.Lock()  # sessions run in threads
# The paths that can cover a Gemeinde, as ``_other_paths`` in viewmodel.model names them.
_CANDIDATES = (("gemeinde", "documented"), ("kreis", "documented"), ("gemeinde", "inferred"), ("kreis", "inferred"))


@dataclass(frozen=True)
class TipTable:
    """The fixed part of a view's tooltips: see the module docstring."""

    keys: tuple[str, ...]
    lines: tuple[str, ...]
    pool: tuple[tuple[int, ...], ...]  # per unit: numbers of the lines it can show
    head: tuple[int, ...]  # per unit: how many of its pool are always shown (name, Kreis)
    index: dict = field(compare=False, repr=False)  # line -> number

    def payload(self) -> dict:
        """What the browser fetches (JSON)."""
        return {
            "keys": list(self.keys),
            "lines": list(self.lines),
            "pool": [list(p) for p in self.pool],
            "head": list(self.head),
        }


def fixed_table(cov: Coverage, level: str, region: str | None, lang: str) -> TipTable:
    """Every fixed tooltip line of the units of ``level`` in ``region``, in ``lang`` (made once per model).

    Examples
    --------
    >>> from register import atlasdata
    >>> table = fixed_table(atlasdata.load_coverage(), "gemeinde", "057", "de")
    >>> len(table.keys), table.lines[table.pool[0][0]]
    (70, '<b>Bielefeld</b> (05711000)')
    """
    return remember(cov, ("tips", level, region, lang), lambda: _fixed_table(cov, level, region, lang))


def _fixed_table(cov: Coverage, level: str, region: str | None, lang: str) -> TipTable:
    # Any day gives the units and their fixed facts.
    state = ViewState(dt.date(2024, 2, 1), level=level, region=region, lang=lang)
    base = build(cov, state).units
    words = words_of(cov, state)
    heads = [head for head, _ in text.tooltip_lines(base, words, kreis_names(cov), cov.kreisfrei)]
    candidates: list[list[str]] = [[] for _ in range(len(base))]
    for frame in _candidate_frames(cov, base, level, words):
        for i, (_, rest) in enumerate(text.tooltip_lines(frame, words, kreis_names(cov), cov.kreisfrei)):
            candidates[i].extend(rest)
    # The same day under "documented only": its words (what is not documented, and the inference beside it).
    for i, rest in enumerate(build(cov, state.with_(evidence="documented")).units["tip_state"]):
        candidates[i].extend(rest)
    index: dict[str, int] = {}
    pool = []
    for head, more in zip(heads, candidates):
        ids = [index.setdefault(line, len(index)) for line in head]
        for line in dict.fromkeys(more):  # keeps order, drops repeats
            number = index.setdefault(line, len(index))
            if number not in ids:
                ids.append(number)
        pool.append(tuple(ids))
    return TipTable(
        keys=tuple(base["key"]), lines=tuple(index), pool=tuple(pool), head=tuple(len(h) for h in heads), index=index
    )


def _candidate_frames(cov: Coverage, base: pd.DataFrame, level: str, words: text.Words) -> list[pd.DataFrame]:
    """Unit tables that hold, between them, every date, source and "also" line a unit can show."""
    frames = []
    if level == "gemeinde":
        where = cov.gemeinden.set_index("key").index.get_indexer(base["key"])
        g_units = cov.gemeinden["unit_index"].to_numpy()[where]
        k_units = cov.kreis_index[where]
        rows = {}
        for path, evidence in _CANDIDATES:
            own = cov.own[evidence].row
            rows[path, evidence] = (
                own[g_units] if path == "gemeinde" else np.where(k_units >= 0, own[np.maximum(k_units, 0)], -1)
            )
        described = {key: _described(cov, r) for key, r in rows.items()}
        also = [
            [other_path(path, d, i) for (path, _), d in described.items() if rows[path, _][i] >= 0]
            for i in range(len(base))
        ]
        for (_path, evidence), d in described.items():
            frame = base.copy()
            for column in ("since", "precision", "certain_by", "event"):
                _put(frame, column, d[column])
            _put(frame, "source", [text.shown_source(evidence, e, x, words) for e, x in zip(d["event"], d["source"])])
            _put(frame, "also", also)
            _put(frame, "evidence", [evidence] * len(frame))
            frames.append(frame)
    elif level != "land":  # a Kreis's or Bezirksregierung's own accession, documented or inferred
        units = cov.unit_indices(level, base["key"])
        for evidence in EVIDENCE_CLASSES:
            rows = cov.own[evidence].row[units]
            d = _described(cov, rows)
            frame = base.copy()
            has = rows >= 0
            _put(frame, "body_member", np.where(has, True, frame["body_member"].to_numpy(dtype=object)))
            sources = [text.shown_source(evidence, e, x, words) for e, x in zip(d["event"], d["source"])]
            for column, values in (
                ("since", d["since"]),
                ("precision", d["precision"]),
                ("evidence", np.full(len(rows), evidence, dtype=object)),
                ("source", np.array(sources, dtype=object)),
            ):
                name = f"body_member_{column}"
                _put(frame, name, np.where(has, values, frame[name].to_numpy(dtype=object)))
            _put(frame, "body_event", np.where(has, d["event"], frame["body_event"].to_numpy(dtype=object)))
            frames.append(frame)
    return frames


def _put(frame: pd.DataFrame, column: str, values: Any) -> None:
    # As objects: pandas would turn None among strings into NaN, which the words do not expect.
    frame[column] = pd.Series(list(values), index=frame.index, dtype=object)


def _described(cov: Coverage, rows: np.ndarray) -> dict[str, np.ndarray]:
    """``Coverage.describe_rows`` with missing values as None, as in the view model's unit table."""
    return {
        name: np.array([None if _missing(v) else v for v in values], dtype=object)
        for name, values in cov.describe_rows(rows).items()
    }


def state_payload(table: TipTable, model: ViewModel) -> dict:
    """The per-state part: per unit (in ``table.keys`` order) a code and its line positions, as few bytes.

    A unit's row is ``code, position, …``: ``code`` is ``4 × (position of the
    shown status in statuses) + 2 × new + hatched``; a line position ``j >= 0`` is
    ``table.lines[pool[j]]`` of the unit's pool, ``j < 0`` is ``lines[-j - 1]``
    of this payload. Positions are local to a unit's pool, so many units share
    a row: the distinct rows are listed once (``rows``, comma-separated) and
    ``units`` gives each unit's row number (one string: Streamlit's JSON adds
    a space after every comma of a list).
    """
    units = model.units
    # Models of one coverage state share their unit table (viewmodel.model.build): encode it once.
    memo = table.__dict__.setdefault("_states", OrderedDict())
    known = memo.get(id(units))
    if known is not None and known[0] is units:
        return known[1]
    payload = _encode(table, units)
    with _LOCK:
        memo[id(units)] = (units, payload)  # holding the table keeps its id from being reused
        while len(memo) > 64:
            memo.popitem(last=False)
    return payload


def _encode(table: TipTable, units: pd.DataFrame) -> dict:
    if tuple(units["key"]) != table.keys:
        raise ValueError("the tooltip table belongs to another view")
    statuses = sorted(set(units["shown"]))
    code = {status: 4 * i for i, status in enumerate(statuses)}
    extra: dict[str, int] = {}
    rows: dict[str, int] = {}
    numbers = []
    for shown, new, hatched, lines, pool in zip(
        units["shown"], units["new"], units["hatched"], units["tip_state"], table.pool
    ):
        where = {number: j for j, number in enumerate(pool)}
        row = [code[shown] + 2 * int(bool(new)) + int(bool(hatched))]
        for line in lines:
            j = where.get(table.index.get(line, -1))
            row.append(j if j is not None else -1 - extra.setdefault(line, len(extra)))
        numbers.append(rows.setdefault(",".join(map(str, row)), len(rows)))
    return {"statuses": statuses, "rows": list(rows), "units": ",".join(map(str, numbers)), "lines": list(extra)}


def decode(table: TipTable, state: dict) -> dict[str, list]:
    """The inverse of :func:`state_payload` (what ``map.js`` does): key -> [shown, hatched, tooltip HTML, new].

    Examples
    --------
    >>> from register import atlasdata
    >>> cov = atlasdata.load_coverage()
    >>> model = build(cov, ViewState(dt.date(2024, 2, 1), region="057"))
    >>> table = fixed_table(cov, "gemeinde", "057", "de")
    >>> decode(table, state_payload(table, model)) == model.features()
    True
    """
    rows = [[int(n) for n in row.split(",")] for row in state["rows"]]
    out = {}
    units = [rows[int(n)] for n in state["units"].split(",")] if state["units"] else []
    for key, pool, head, (code, *positions) in zip(table.keys, table.pool, table.head, units):
        lines = [table.lines[n] for n in pool[:head]]
        lines += [table.lines[pool[j]] if j >= 0 else state["lines"][-j - 1] for j in positions]
        out[key] = [state["statuses"][code // 4], bool(code % 2), "<br>".join(lines), bool(code & 2)]
    return out
