"""What the map shows per unit: status, evidence flag and tooltip (contract of ``mapview``).

Pure: reads the coverage model, returns ``features`` and ``legend`` for
:func:`dashboard.mapview.render_map`. Every name and source that reaches the
tooltip HTML passes through ``html.escape`` here.

Status per level
----------------
Gemeinde
    ``member`` (own membership), ``via_kreis`` (its Kreis is a member),
    ``not_yet``; ``new`` when covered at the Stichtag but not at the compare date.
Kreis and Regierungsbezirk
    ``member`` when the body itself (the Kreis or kreisfreie Stadt, the
    Bezirksregierung) is a member. "Covered via its Kreis" has no meaning one
    level up, so the same light class ``via_kreis`` is used — with its own
    legend label — for *partial* coverage: the body is not a member, but at
    least one of its Gemeinden is covered (Kreis Mettmann: all its Gemeinden
    through the Düsseldorf accession, the Kreis itself undated). ``new`` when
    the status rose (not yet → partial → member) since the compare date.

A feature is ``inferred`` when its status rests on an inferred row: the own
or Kreis row at Gemeinde level, the body's row for a member, and — for
partial coverage — any covered Gemeinde whose coverage is inferred.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np
import pandas as pd

from dashboard.i18n import evidence_label, format_date, format_int, format_partial, t
from loaders.accessions import TERRITORIAL_KINDS
from loaders.coverage import Coverage

RANK = {"not_yet": 0, "via_kreis": 1, "member": 2}
STATUS_ORDER = ("member", "via_kreis", "new", "not_yet")


# The accession row behind a status: our name -> column of ``accessions`` / of ``Coverage.as_of``.
ROW_FIELDS = {"since": ("joined_on", "member_since"), "precision": ("date_precision", "member_precision"),
              "row_evidence": ("evidence", "member_evidence"), "source": ("source", "member_source")}


def unit_states(cov: Coverage, day: dt.date, level: str, region: str | None = None,
                evidence: str = "all") -> pd.DataFrame:
    """One row per unit of ``level`` in ``region``: status, inferred flag and the row behind it.

    Columns: key, name, status, inferred, gemeinden_covered, gemeinden_total,
    kreis_key, and since, precision, row_evidence, source of the accession
    row the status rests on (missing for partial coverage and ``not_yet``).
    """
    g = cov.gemeinde_status(day, evidence)
    if region:
        g = g[g["key"].str.startswith(region)]
    acc = cov.accessions
    rows = np.where(g["status"] == "member", g["own_row"], g["kreis_row"])
    safe = np.maximum(rows, 0)
    described = {name: np.where(rows >= 0, acc[column].to_numpy()[safe], None)
                 for name, (column, _) in ROW_FIELDS.items()}
    g = g.assign(inferred=described["row_evidence"] == "inferred")
    if level == "gemeinde":
        return pd.DataFrame({"key": g["key"], "name": g["name"], "status": g["status"],
                             "inferred": g["inferred"], "gemeinden_covered": g["covered"].astype(int),
                             "gemeinden_total": 1, "kreis_key": g["kreis_key"], **described}
                            ).reset_index(drop=True)
    units = cov.as_of(day, level, region, evidence)
    partial_inferred = (g["covered"] & g["inferred"]).groupby(g["kreis_key" if level == "kreis" else "rb_key"]).any()
    member = units["member"].astype(bool).to_numpy()
    status = np.where(member, "member", np.where(units["gemeinden_covered"] > 0, "via_kreis", "not_yet"))
    inferred = np.where(member, (units["member_evidence"] == "inferred").to_numpy(),
                        (status == "via_kreis") & units["key"].map(partial_inferred).fillna(False).to_numpy())
    return pd.DataFrame({"key": units["key"], "name": units["name"], "status": status,
                         "inferred": inferred.astype(bool),
                         "gemeinden_covered": units["gemeinden_covered"].astype(int),
                         "gemeinden_total": units["gemeinden_total"].astype(int), "kreis_key": None,
                         **{name: units[column] for name, (_, column) in ROW_FIELDS.items()}})


def undated_keys(cov: Coverage) -> set[tuple[str, str]]:
    """(level, key) of territorial bodies documented as members without a date.

    They count at no Stichtag; the tooltip says so, so they do not vanish.
    """
    acc = cov.accessions
    undated = acc[(acc["evidence"] == "documented") & (acc["date_precision"] == "unknown")
                  & acc["kind"].isin(list(TERRITORIAL_KINDS))]
    out = {(TERRITORIAL_KINDS[kind], key) for kind, key in zip(undated["kind"], undated["key"])}
    # A kreisfreie Stadt is keyed as its Gemeinde; on the Kreis level it is its Kreis.
    out |= {("kreis", key[:5]) for level, key in list(out) if level == "gemeinde" and key[:5] in cov.kreisfrei}
    return out


def status_label(status: str, level: str, compare: dt.date | None, lang: str = "de") -> str:
    """The legend and tooltip words for a status at a level."""
    if status == "new":
        return t("status_new", lang, date=format_date(compare, lang) if compare else "–")
    if level != "gemeinde" and status in ("member", "via_kreis"):
        return t(f"status_{'member' if status == 'member' else 'partial'}_{level}", lang)
    return t(f"status_{status}", lang)


def build(cov: Coverage, day: dt.date, level: str = "gemeinde", region: str | None = None,
          evidence: str = "all", compare: dt.date | None = None,
          lang: str = "de") -> tuple[dict[str, dict], list[dict]]:
    """The map's ``features`` and ``legend`` for one view.

    Parameters
    ----------
    cov : Coverage
        The coverage model.
    day, compare : datetime.date
        Stichtag and optional compare date (``new`` marks what rose since then).
    level, region, evidence : str
        As in :class:`loaders.viewstate.ViewState`; only units inside ``region``
        are returned.
    lang : str
        Language of the tooltips and legend.

    Returns
    -------
    features : dict
        unit key -> {"status", "inferred", "tooltip"} (tooltip already escaped).
    legend : list of dict
        [{"status", "label", "inferred"}], every class that can occur in this view.
    """
    now = unit_states(cov, day, level, region, evidence)
    status = now["status"].to_numpy()
    if compare is not None:
        then = unit_states(cov, compare, level, region, evidence)
        if level == "gemeinde":
            rose = (status != "not_yet") & (then["status"].to_numpy() == "not_yet")
        else:
            rank = np.vectorize(RANK.get)
            rose = rank(status) > rank(then["status"].to_numpy())
        shown = np.where(rose, "new", status)
    else:
        shown = status
    tooltips = _tooltips(cov, now, shown, level, compare, lang)
    features = {key: {"status": str(s), "inferred": bool(i), "tooltip": tip}
                for key, s, i, tip in zip(now["key"], shown, now["inferred"], tooltips)}
    return features, legend(level, evidence, compare, lang)


def legend(level: str, evidence: str = "all", compare: dt.date | None = None, lang: str = "de") -> list[dict]:
    """Legend entries: each status, and its inferred variant when inferred rows are shown.

    Examples
    --------
    >>> [(e["status"], e["inferred"]) for e in legend("gemeinde", "documented")]
    [('member', False), ('via_kreis', False), ('not_yet', False)]
    >>> legend("kreis", "all")[1]["label"]
    'Kreis bzw. kreisfreie Stadt Mitglied – abgeleitet'
    """
    out = []
    for status in STATUS_ORDER:
        if status == "new" and compare is None:
            continue
        label = status_label(status, level, compare, lang)
        out.append({"status": status, "label": label, "inferred": False})
        if evidence == "all" and status != "not_yet":
            out.append({"status": status, "label": t("inferred_suffix", lang, label=label), "inferred": True})
    return out


def _tooltips(cov: Coverage, units: pd.DataFrame, shown: np.ndarray, level: str,
              compare: dt.date | None, lang: str) -> list[str]:
    esc = html.escape
    kreise = cov.units[cov.units["level"] == "kreis"]
    kreis_names = dict(zip(kreise["key"], kreise["name"]))
    undated = undated_keys(cov)
    # Fixed words are looked up and escaped once per call, not once per unit.
    word = {key: esc(t(key, lang)) for key in ("tip_kreis", "tip_kreisfrei", "tip_status", "tip_gemeinden",
                                                "tip_since", "tip_since_kreis", "tip_evidence", "tip_source",
                                                "tip_undated")}
    status_words = {(status, new): esc(status_label(status, level, compare, lang)
                                       + (f" – {status_label('new', level, compare, lang)}" if new else ""))
                    for status in RANK for new in (False, True)}
    evidence_words = {evidence: esc(evidence_label(evidence, lang)) for evidence in ("documented", "inferred")}
    out = []
    for unit, shown_status in zip(units.itertuples(index=False), shown):
        lines = [f"<b>{esc(str(unit.name))}</b> ({esc(unit.key)})"]
        if level == "gemeinde":
            kreis = (word["tip_kreisfrei"] if unit.kreis_key in cov.kreisfrei
                     else esc(str(kreis_names.get(unit.kreis_key, unit.kreis_key))))
            lines.append(f"{word['tip_kreis']}: {kreis}")
        lines.append(f"{word['tip_status']}: {status_words[unit.status, shown_status == 'new']}")
        if level != "gemeinde":
            count = t("of", lang, n=format_int(unit.gemeinden_covered, lang),
                      total=format_int(unit.gemeinden_total, lang))
            lines.append(f"{word['tip_gemeinden']}: {esc(count)}")
        if pd.notna(unit.row_evidence):
            since = esc(format_partial(unit.since, unit.precision, lang))
            lines.append(f"{word['tip_since_kreis' if unit.status == 'via_kreis' else 'tip_since']}: {since}")
            lines.append(f"{word['tip_evidence']}: {evidence_words[unit.row_evidence]}")
            lines.append(f"{word['tip_source']}: {esc(str(unit.source))}")
        elif unit.inferred:
            lines.append(f"{word['tip_evidence']}: {evidence_words['inferred']}")
        if (level, unit.key) in undated and unit.status != "member":
            lines.append(f"<i>{word['tip_undated']}</i>")
        out.append("<br>".join(lines))
    return out
