"""Who joined #sicherimDienst when: the shipped accession data and its expansion.

Three small tables live in ``loaders/shipped/``:

``accessions.csv``
    One row per documented accession of a body (name as published, kind, key,
    date at its precision, evidence, event, source with its exact ``quote``
    and the date it was ``read_on``, optional exit).
``events.csv``
    The five regional accession events. An event stands for "the
    Bezirksregierung and the kommunale Familie of that region"; its
    ``wording`` is the source's exact quote.
``network_sizes.csv``
    The network's published size (people, organisations): a time series of
    dated figures, and figures a source gives without a date (precision
    ``unknown``: listed, never placed on a day).
``confirmations.csv``
    Dated sources that say something about members without being an
    accession (a network meeting hosted by a member): they date the data
    (:mod:`loaders.provenance`), they never make anyone a member.

:func:`expand_events` turns each event into *inferred* rows for the
Bezirksregierung, the Kreise and the Gemeinden of its region — in code, never by
hand — except for a body whose documented row says otherwise: a documented row
that names the event (it is that event's documented part) or ``separate`` (the
source says it joined on its own) supersedes the inferred row. A documented row
without an event — dated ("Stadt Stolberg, September 2023") or not ("Kreis
Kleve, date unknown") — does not contradict the event, so the inferred row stays
beside it: the source proves membership from its own date, the event's wording
suggests it earlier.

``certain_by`` is the day by which a source proves a membership whose date is
only known to the month or year (the day of the news item that reports it). A
partial date counts from the earlier of its period's last day and that day.
``not_before`` is the earliest day an accession can have happened where the
sources bound an unknown or partial date ("17 March" of a year after February
2024); it is a fact about the date, never a day the accession counts from.

Provenance per row: ``quote`` holds the source's exact words where the
research notes give them (empty otherwise: nothing is paraphrased into it),
``read_on`` the date the source was read, at its precision (``2026-11``).

Only organisations are listed; people appear as counts in ``network_sizes``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.dates import PRECISIONS, parse_iso_day, period_bounds, precision_of
from loaders.errors import DataError, preview
from loaders.folding import fold
from loaders.paths import SHIPPED_DIR
from loaders.viewstate import VIEW_LEVELS

ACCESSIONS_CSV = SHIPPED_DIR / "accessions.csv"
EVENTS_CSV = SHIPPED_DIR / "events.csv"
NETWORK_SIZES_CSV = SHIPPED_DIR / "network_sizes.csv"
CONFIRMATIONS_CSV = SHIPPED_DIR / "confirmations.csv"
# Every table of the shipped membership data, in the order the data version hashes them.
DATA_FILES = (ACCESSIONS_CSV, EVENTS_CSV, NETWORK_SIZES_CSV, CONFIRMATIONS_CSV)

TERRITORIAL_KINDS = {"gemeinde": "gemeinde", "kreis": "kreis", "bezirksregierung": "regierungsbezirk"}
KINDS = (
    "gemeinde",
    "kreis",
    "bezirksregierung",
    "landesbehoerde",
    "parlament",
    "gericht",
    "verband",
    "gewerkschaft",
    "sozialversicherung",
    "sonstige",
)
# How an accession is known: documented one by one, or inferred (from a regional event).
EVIDENCE_CLASSES = ("documented", "inferred")
SEPARATE = "separate"
COLUMNS = [
    "name",
    "kind",
    "key",
    "joined_on",
    "date_precision",
    "not_before",
    "certain_by",
    "evidence",
    "event",
    "source",
    "quote",
    "read_on",
    "left_on",
    "note",
]
# Columns a table in the shipped schema may leave out (empty when missing): a register
# export or an own table written before a column existed still reads.
OPTIONAL_COLUMNS = ("not_before", "certain_by", "quote", "read_on", "left_on", "note")
# Columns added in data version 2026.12.2 (register schema 3): provenance per row.
PROVENANCE_COLUMNS = ("not_before", "quote", "read_on")
# A quote is a passage, not a document.
QUOTE_LIMIT = 1000
KEY_LENGTH = {"gemeinde": 8, "kreis": 5, "bezirksregierung": 3}


def read_csv_table(path: Path | str, required: list[str]) -> pd.DataFrame:
    """Read a small UTF-8 CSV as text columns, checking the header."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(f"cannot read {path}: {error}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    frame = pd.DataFrame(rows, columns=header, dtype=object).fillna("")
    return frame.apply(lambda col: col.str.strip()) if len(frame) else frame


def _dated_row_problems(i: int, row) -> list[str]:
    """Problems of a row with ``date``, ``date_precision``, ``source`` and optional ``read_on`` columns."""
    problems = []
    date = None
    try:
        if precision_of(row["date"]) != row["date_precision"]:
            problems.append(f"row {i + 1}: date {row['date']!r} is not of precision {row['date_precision']!r}")
        else:
            date = partial_period(row["date"])
    except ValueError as error:
        problems.append(f"row {i + 1}: {error}")
    if not row["source"]:
        problems.append(f"row {i + 1}: no source")
    try:
        read_on = partial_period(_cell(row, "read_on"))
    except ValueError as error:
        problems.append(f"row {i + 1}: read_on: {error}")
    else:
        if read_on and date and read_on[1] < date[0]:
            problems.append(f"row {i + 1}: read_on {row['read_on']} lies before date {row['date']}")
    if len(_cell(row, "quote")) > QUOTE_LIMIT:
        problems.append(f"row {i + 1}: quote longer than {QUOTE_LIMIT} characters")
    return problems


def _with_optional(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for column in columns:
        if column not in frame:
            frame[column] = ""
    return frame


def read_events(path: Path | str = EVENTS_CSV) -> pd.DataFrame:
    """The regional events, validated (one per Regierungsbezirk, a dated day).

    ``wording`` is the source's exact quote the event's inference rests on;
    ``read_on`` (optional) the date the source was read.
    """
    events = read_csv_table(path, ["event", "rb_key", "region", "date", "date_precision", "wording", "source"])
    events = _with_optional(events, ("read_on",))
    problems = [p for i, row in events.iterrows() for p in _dated_row_problems(i, row)]
    problems += [
        f"row {i + 1}: an event needs a day, not precision {precision!r}"
        for i, precision in enumerate(events["date_precision"])
        if precision != "day"
    ]
    if events["rb_key"].duplicated().any() or events["event"].duplicated().any():
        problems.append("an event or Regierungsbezirk appears twice")
    if problems:
        raise DataError(f"{path}: " + "; ".join(problems))
    return events


def read_accessions(
    path: Path | str = ACCESSIONS_CSV, units: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read and validate an accession table in the shipped schema.

    Every problem is collected and reported at once with its data row number
    (1-based, header not counted); nothing is dropped silently.
    """
    frame = read_csv_table(path, [c for c in COLUMNS if c not in OPTIONAL_COLUMNS])
    for optional in OPTIONAL_COLUMNS:
        if optional not in frame:
            frame[optional] = ""
    frame = frame[COLUMNS].copy()
    problems = validate_accessions(frame, units, events)
    if problems:
        raise DataError(f"{path}: {len(problems)} problem(s): " + "; ".join(problems))
    return canonical_keys(frame, units)


def validate_accessions(frame: pd.DataFrame, units: pd.DataFrame | None, events: pd.DataFrame | None) -> list[str]:
    """All problems of an accession table, as messages naming their row."""
    problems = []
    keys_by_level = (
        {level: set(units.loc[units["level"] == level, "key"]) for level in VIEW_LEVELS} if units is not None else None
    )
    event_dates = dict(zip(events["event"], events["date"])) if events is not None else {}
    event_regions = dict(zip(events["event"], events["rb_key"])) if events is not None else {}
    for i, row in frame.iterrows():
        where = f"row {i + 1} ({row['name'] or 'no name'})"
        if not row["name"]:
            problems.append(f"{where}: no name")
        if row["kind"] not in KINDS:
            problems.append(f"{where}: unknown kind {row['kind']!r} (one of {', '.join(KINDS)})")
        if row["evidence"] not in EVIDENCE_CLASSES:
            problems.append(f"{where}: evidence must be documented or inferred, not {row['evidence']!r}")
        if not row["source"]:
            problems.append(f"{where}: no source")
        if row["date_precision"] not in PRECISIONS:
            problems.append(f"{where}: unknown date precision {row['date_precision']!r}")
        else:
            try:
                if precision_of(row["joined_on"]) != row["date_precision"]:
                    problems.append(
                        f"{where}: joined_on {row['joined_on']!r} is not of precision {row['date_precision']!r}"
                    )
                elif row["left_on"]:
                    left = period_bounds(row["left_on"], precision_of(row["left_on"]))
                    # left_on is stripped and not empty: precision_of gave a real precision or raised
                    assert left is not None
                    joined = period_bounds(row["joined_on"], row["date_precision"])
                    if joined and left[1] < joined[0]:
                        problems.append(f"{where}: left_on {row['left_on']} is before joined_on {row['joined_on']}")
            except ValueError as error:
                problems.append(f"{where}: {error}")
        problems += _certain_by_problems(where, row)
        problems += _provenance_problems(where, row)
        key, kind = row["key"], row["kind"]
        if kind in KEY_LENGTH:
            if len(key) != KEY_LENGTH[kind] or not key.isdigit():
                problems.append(f"{where}: a {kind} needs a {KEY_LENGTH[kind]}-digit key, not {key!r}")
            elif keys_by_level is not None:
                level = TERRITORIAL_KINDS[kind]
                known = keys_by_level[level] | (keys_by_level["kreis"] if kind == "kreis" else set())
                if key not in known:
                    problems.append(f"{where}: no {level} with key {key}")
        elif key and (len(key) != 8 or not key.isdigit()):
            problems.append(f"{where}: a seat key must be an 8-digit AGS, not {key!r}")
        elif key and keys_by_level is not None and key not in keys_by_level["gemeinde"]:
            problems.append(f"{where}: no Gemeinde with seat key {key}")
        event = row["event"]
        if event and event != SEPARATE:
            if events is not None and event not in event_dates:
                problems.append(f"{where}: unknown event {event!r}")
            elif events is not None:
                if row["joined_on"] != event_dates[event]:
                    problems.append(
                        f"{where}: joined_on {row['joined_on']!r} differs from event {event} ({event_dates[event]})"
                    )
                if key and not key.startswith(event_regions[event]):
                    problems.append(f"{where}: key {key} is outside the region of event {event}")
    bodies = pd.Series(
        [identity(kind, key, name) for kind, key, name in zip(frame["kind"], frame["key"], frame["name"])],
        index=frame.index,
        dtype=object,
    )
    dupes = frame.loc[bodies.duplicated(keep=False) & (frame["evidence"] == "documented"), "name"]
    if len(dupes):
        problems.append(f"the same body is documented twice: {preview(sorted(set(dupes)))}")
    return problems


def _certain_by_problems(where: str, row) -> list[str]:
    """``certain_by`` must be a day inside or after the accession's period, never before it."""
    text = row.get("certain_by", "")
    if not text:
        return []
    try:
        day = parse_iso_day(text)
    except ValueError as error:
        return [f"{where}: certain_by: {error}"]
    if row["date_precision"] not in PRECISIONS:
        return []
    try:
        bounds = period_bounds(row["joined_on"], row["date_precision"])
    except ValueError:
        return []
    if bounds and day < bounds[0]:
        return [f"{where}: certain_by {text} lies before joined_on {row['joined_on']}"]
    return []


def _cell(row, column: str) -> str:
    """A text cell that may be missing (a table from before the column existed): empty then."""
    value = row.get(column, "")
    return value if isinstance(value, str) else ""


def partial_period(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a partial ISO date (day, month or year); None when empty.

    Raises ValueError for anything else.

    Examples
    --------
    >>> partial_period("2026-11")
    (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    >>> partial_period("") is None
    True
    """
    return period_bounds(text, precision_of(text)) if text else None


def _period_end(text: str) -> dt.date | None:
    period = partial_period(text)
    return period[1] if period else None


def _provenance_problems(where: str, row) -> list[str]:
    """``not_before`` and ``read_on`` are partial dates that fit the accession; a quote is a passage.

    ``not_before`` may narrow an accession's date but never lie after it: not
    after the last day of ``joined_on``'s period, after ``certain_by`` (a source
    proves the membership by then) or after the exit. A source is not read
    before the accession it reports began.
    """
    problems = []
    periods = {}
    for column in ("not_before", "read_on"):
        try:
            periods[column] = partial_period(_cell(row, column))
        except ValueError as error:
            problems.append(f"{where}: {column}: {error}")
    try:
        joined = period_bounds(row["joined_on"], row["date_precision"]) if row["date_precision"] in PRECISIONS else None
    except ValueError:
        joined = None  # reported with joined_on
    not_before, read_on = periods.get("not_before"), periods.get("read_on")
    if not_before:
        text = _cell(row, "not_before")
        if joined and not_before[0] > joined[1]:
            problems.append(f"{where}: not_before {text} lies after joined_on {row['joined_on']}")
        certain = _cell(row, "certain_by")
        try:
            proven = parse_iso_day(certain) if certain else None
        except ValueError:
            proven = None  # reported with certain_by
        if proven and not_before[0] > proven:
            problems.append(f"{where}: not_before {text} lies after certain_by {certain}")
        try:
            left = partial_period(_cell(row, "left_on"))
        except ValueError:
            left = None  # reported with left_on
        if left and not_before[0] > left[1]:
            problems.append(f"{where}: not_before {text} lies after left_on {_cell(row, 'left_on')}")
        if read_on and not_before[0] > read_on[1]:
            problems.append(f"{where}: not_before {text} lies after read_on {_cell(row, 'read_on')}")
    if read_on and joined and read_on[1] < joined[0]:
        problems.append(f"{where}: read_on {_cell(row, 'read_on')} lies before joined_on {row['joined_on']}")
    if len(_cell(row, "quote")) > QUOTE_LIMIT:
        problems.append(f"{where}: quote longer than {QUOTE_LIMIT} characters (a passage, not a document)")
    return problems


def identity(kind: str, key: str, name: str) -> str:
    """What makes a body the same body: its key if it has territory, else its kind and folded name.

    The one rule for the shipped table's duplicates, the partner-list check's
    and the register's key. Bodies without territory share seat keys (many
    courts in one city), so their name tells them apart, folded as a typed
    name is (:func:`loaders.folding.fold`): case, umlauts, hyphens and spacing
    do not make another body.

    Examples
    --------
    >>> identity("gemeinde", "05711000", "Stadt Bielefeld"), identity("verband", "05111000", "Städtetag NRW")
    ('unit:05711000', 'body:verband:staedtetag nrw')
    >>> identity("verband", "", "Staedtetag  NRW") == identity("verband", "05111000", "STÄDTETAG NRW")
    True
    >>> identity("kreis", "05154", "Kleve") == identity("gemeinde", "05154036", "Kleve")
    False
    """
    if kind in KEY_LENGTH:
        return f"unit:{key}"
    return f"body:{kind}:{fold(name)}"


def canonical_keys(frame: pd.DataFrame, units: pd.DataFrame | None) -> pd.DataFrame:
    """A kreisfreie Stadt is one body: key it as its Gemeinde (8 digits)."""
    if units is None:
        return frame
    kreisfrei = kreisfreie_kreis_keys(units)
    frame = frame.copy()
    mask = (frame["kind"] == "kreis") & frame["key"].isin(kreisfrei)
    frame.loc[mask, "kind"] = "gemeinde"
    frame.loc[mask, "key"] = frame.loc[mask, "key"] + "000"
    return frame


def with_all_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every column of :data:`COLUMNS`; an optional one missing or blank is empty text."""
    missing = [c for c in OPTIONAL_COLUMNS if c not in frame]
    blank = [c for c in OPTIONAL_COLUMNS if c in frame and frame[c].isna().any()]
    if not missing and not blank:
        return frame
    frame = frame.assign(**{c: "" for c in missing})
    for column in blank:
        frame[column] = frame[column].fillna("")
    return frame


def kreisfreie_kreis_keys(units: pd.DataFrame) -> set[str]:
    """Kreis keys of the 22 kreisfreie Städte (a Kreis with a single Gemeinde ``xxxxx000``)."""
    gemeinden = units[units["level"] == "gemeinde"]
    sizes = gemeinden.groupby("kreis_key").size()
    return {k for k in sizes[sizes == 1].index if f"{k}000" in set(gemeinden["key"])}


def expand_events(accessions: pd.DataFrame, events: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Add one inferred row per body of each event's region, unless superseded.

    Examples
    --------
    A documented row for Gemeinde ``05000001`` that says it joined on its own
    (``separate``) supersedes the event; the other Gemeinde, the Kreis and the
    Bezirksregierung are inferred:

    >>> units = pd.DataFrame({"level": ["regierungsbezirk", "kreis", "gemeinde", "gemeinde"],
    ...     "key": ["050", "05000", "05000001", "05000002"], "name": ["RB", "K", "A", "B"],
    ...     "kreis_key": [None, "05000", "05000", "05000"], "rb_key": ["050"] * 4})
    >>> events = pd.DataFrame({"event": ["rb050"], "rb_key": ["050"], "region": ["RB"],
    ...     "date": ["2023-01-02"], "date_precision": ["day"], "wording": ["…"], "source": ["s"]})
    >>> acc = pd.DataFrame([{"name": "Stadt A", "kind": "gemeinde", "key": "05000001",
    ...     "joined_on": "2022-05", "date_precision": "month", "evidence": "documented",
    ...     "event": "separate", "source": "x"}])
    >>> out = expand_events(acc, events, units)
    >>> print(out[["key", "joined_on", "evidence"]].to_string(index=False))
         key  joined_on   evidence
    05000001    2022-05 documented
         050 2023-01-02   inferred
       05000 2023-01-02   inferred
    05000002 2023-01-02   inferred
    """
    accessions = with_all_columns(accessions)
    documented = accessions[accessions["evidence"] == "documented"]
    # Only a row that places the body in an event or outside of it contradicts the inference.
    supersedes = documented[documented["event"] != ""]
    superseded = set(zip(supersedes["kind"], supersedes["key"]))
    kreisfrei = kreisfreie_kreis_keys(units)
    rows = []
    for _, event in events.iterrows():
        region = units[units["rb_key"] == event["rb_key"]]
        rb_name = units.loc[(units["level"] == "regierungsbezirk") & (units["key"] == event["rb_key"]), "name"]
        bodies = [("bezirksregierung", event["rb_key"], f"Bezirksregierung {rb_name.iloc[0]}")]
        bodies += [
            ("kreis", r.key, r.name) for r in region[region["level"] == "kreis"].itertuples() if r.key not in kreisfrei
        ]
        bodies += [("gemeinde", r.key, r.name) for r in region[region["level"] == "gemeinde"].itertuples()]
        source = (
            f"abgeleitet aus dem Beitritt des Regierungsbezirks {event['region']} "
            f"am {event['date']} ({event['source']})"
        )
        for kind, key, name in bodies:
            if (kind, key) in superseded:
                continue
            rows.append(
                {
                    "name": name,
                    "kind": kind,
                    "key": key,
                    "joined_on": event["date"],
                    "date_precision": event["date_precision"],
                    "not_before": "",
                    "certain_by": "",
                    "evidence": "inferred",
                    "event": event["event"],
                    "source": source,
                    # The words the inference rests on, as the event's source gives them.
                    "quote": event["wording"],
                    "read_on": event.get("read_on", ""),
                    "left_on": "",
                    "note": "",
                }
            )
    inferred = pd.DataFrame(rows, columns=COLUMNS)
    return pd.concat([accessions[COLUMNS], inferred], ignore_index=True)


def with_validity(accessions: pd.DataFrame) -> pd.DataFrame:
    """Add ``valid_from`` / ``valid_until`` (datetime64[D]) for as-of questions.

    A partial accession date counts from the *last* day of its period (only
    then is membership certain) — or from ``certain_by``, the day a source
    already proves it, when that is earlier; an exit counts from the *first*
    day of its period. Unknown dates give NaT: such a body is never counted at
    a Stichtag.

    Examples
    --------
    >>> rows = pd.DataFrame({"joined_on": ["2023-09", "2023-10"], "date_precision": ["month", "month"],
    ...                      "certain_by": ["2023-09-13", ""], "left_on": ["", ""]})
    >>> [str(d.date()) for d in with_validity(rows)["valid_from"]]
    ['2023-09-13', '2023-10-31']
    """

    def bound(text: str, precision: str | None, last: bool):
        if not text:
            return np.datetime64("NaT", "D")
        precision = precision or precision_of(text)
        bounds = period_bounds(text, precision)
        return np.datetime64(bounds[1 if last else 0], "D") if bounds else np.datetime64("NaT", "D")

    out = accessions.copy()
    certain = out["certain_by"] if "certain_by" in out else pd.Series("", index=out.index)
    period_end = np.array(
        [bound(t, p, True) for t, p in zip(out["joined_on"], out["date_precision"])], dtype="datetime64[D]"
    )
    proven = np.array([bound(t, "day", False) for t in certain.fillna("")], dtype="datetime64[D]")
    # fmin ignores NaT: a missing certain_by leaves the period's end, and an undated
    # accession that a source proves by some day counts from that day.
    out["valid_from"] = np.fmin(period_end, proven)
    out["valid_until"] = np.array([bound(t, None, False) for t in out["left_on"]], dtype="datetime64[D]")
    return out


def read_network_sizes(path: Path | str = NETWORK_SIZES_CSV) -> pd.DataFrame:
    """Published network sizes; every figure is a lower bound as published.

    A figure whose source gives no date has precision ``unknown`` and an
    empty date: its ``day`` is None and ``dated`` False. It is listed as
    undated, never plotted (:func:`dated_sizes`). ``quote`` holds the source's
    exact words where the research notes give them, ``read_on`` the date the
    source was read.
    """
    sizes = read_csv_table(path, ["date", "date_precision", "people", "organisations", "published", "source"])
    sizes = _with_optional(sizes, ("quote", "read_on"))
    problems = []
    for i, row in sizes.iterrows():
        problems += _dated_row_problems(i, row)
        if row["date_precision"] not in PRECISIONS:
            problems.append(f"row {i + 1}: unknown date precision {row['date_precision']!r}")
        problems += [
            f"row {i + 1}: {column} must be a whole number, not {row[column]!r}"
            for column in ("people", "organisations")
            if row[column] and not row[column].isdigit()
        ]
        if not row["people"] and not row["organisations"]:
            problems.append(f"row {i + 1}: no figure (people or organisations)")
    if problems:
        raise DataError(f"{path}: " + "; ".join(problems))
    for column in ("people", "organisations"):
        sizes[column] = pd.to_numeric(sizes[column].replace("", None)).astype("Int64")
    days: list[dt.date | None] = []
    for text, precision in zip(sizes["date"], sizes["date_precision"]):
        bounds = period_bounds(text, precision)
        days.append(bounds[1] if bounds else None)  # undated: no day, not a made-up one
    sizes["day"] = pd.Series(days, index=sizes.index, dtype=object)
    sizes["dated"] = sizes["day"].notna()
    # Dated figures by day, then the undated ones in file order: how every list shows them.
    order = sorted(range(len(sizes)), key=lambda i: (days[i] is None, days[i] or dt.date.min))
    return sizes.iloc[order].reset_index(drop=True)


def dated_sizes(sizes: pd.DataFrame) -> pd.DataFrame:
    """The published sizes that have a date (the ones a chart may place on its time axis), by day."""
    return sizes[sizes["dated"]].sort_values("day", kind="stable")


def undated_sizes(sizes: pd.DataFrame) -> pd.DataFrame:
    """The published sizes whose source gives no date: listed as undated, never plotted."""
    return sizes[~sizes["dated"]]


CONFIRMATION_COLUMNS = ["date", "date_precision", "body_kind", "body_key", "body_name", "what", "source"]


def read_confirmations(path: Path | str = CONFIRMATIONS_CSV) -> pd.DataFrame:
    """Dated sources that report on members without recording an accession.

    Columns: ``date`` (the day the source was published) at ``date_precision``
    (day or month: an undated report dates nothing), the body it concerns
    (``body_kind``, ``body_key``, ``body_name``; optional), ``what`` it says
    (German, in our words), ``quote`` (its exact words where known), ``source``
    and ``read_on``. Such a row never makes a body a member: it is no
    accession, and no coverage is derived from it.
    """
    table = read_csv_table(path, CONFIRMATION_COLUMNS)
    table = _with_optional(table, ("quote", "read_on"))
    problems = []
    for i, row in table.iterrows():
        problems += _dated_row_problems(i, row)
        if row["date_precision"] not in ("day", "month"):
            problems.append(f"row {i + 1}: a confirmation needs a date (day or month), not {row['date_precision']!r}")
        if not row["what"]:
            problems.append(f"row {i + 1}: no text saying what the source reports")
        kind, key = row["body_kind"], row["body_key"]
        if kind and kind not in KINDS:
            problems.append(f"row {i + 1}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if kind in KEY_LENGTH and (len(key) != KEY_LENGTH[kind] or not key.isdigit()):
            problems.append(f"row {i + 1}: a {kind} needs a {KEY_LENGTH[kind]}-digit key, not {key!r}")
    if problems:
        raise DataError(f"{path}: " + "; ".join(problems))
    # The last day of the date's period (validated above: every row has one).
    table["day"] = [_period_end(d) for d in table["date"]]
    return table


def today() -> dt.date:
    """Today's date."""
    return dt.date.today()
