"""Reading a file for the register: a partner list, or a register export in the shipped schema.

A partner list goes through the partner-list check (:func:`register.check.check_file`);
a table whose header is the shipped accession schema (a register export) is
read as it stands, row by row, within the same caps (:data:`register.sheets.LIMITS`).
The file comes as its name and its bytes: nothing here opens a path but :func:`read_file`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders import accessions
from loaders.dates import period_bounds, precision_of
from loaders.errors import InputError
from loaders.tables import csv_restore
from register.check import RowReport, check_file
from register.resolve import name_problem
from register.sheets import csv_rows, decode_text, read_bounded

# Columns of an accession table that tell a register export from a partner list.
ACCESSION_HEADER = {c for c in accessions.COLUMNS if c not in accessions.OPTIONAL_COLUMNS}


@dataclass
class Loaded:
    """A file read and checked, before it meets the register."""

    file: str
    sha256: str
    reports: list[RowReport]
    summary: dict
    records: dict[int, dict]  # row → record in the shipped schema
    complete: bool  # a register export: rows replace; a partner list: blanks keep
    today: dt.date
    # Where a partner-list row came from when the list gives no source of its own.
    default_source: str = ""


def read_file(path: Path | str) -> bytes:
    """The bytes of a file on disk, within the partner-list caps (before anything is parsed)."""
    return read_bounded(Path(path))


def load(name: str, data: bytes, units: pd.DataFrame, today: dt.date) -> Loaded:
    """A file's content read and checked: a register export as it stands, else a partner list.

    ``name`` is how the file is called in messages and in the history (for an
    upload, the name the browser sent); no file of that name is opened.
    """
    path = Path(name)
    digest = hashlib.sha256(data).hexdigest()
    if is_accession_table(data):
        reports, summary, records = read_accession_table(path, data, units, today)
        return Loaded(str(path), digest, reports, summary, records, complete=True, today=today)
    reports, summary = check_file(path, units, today, data)
    records = {r.row: record_of(r) for r in reports if r.status == "ok"}
    return Loaded(
        str(path),
        digest,
        reports,
        summary,
        records,
        complete=False,
        today=today,
        default_source=f"Partnerliste {path.name}",
    )


def is_accession_table(data: bytes) -> bool:
    """Whether a file is an accession table in the shipped schema (e.g. a register export)."""
    try:
        # Only the first line is decoded: the file is not split into lines just to look at its header.
        first = data.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return False
    header = next(csv.reader([first]), [])
    return {cell.strip() for cell in header} >= ACCESSION_HEADER


def accession_frame(path: Path, data: bytes) -> pd.DataFrame:
    """An accession table (e.g. a register dump) as text columns, read within the partner-list caps.

    Cells are stripped and restored from their formula neutralisation
    (:func:`loaders.tables.csv_restore`), the inverse of what :meth:`Register.export` writes.
    """
    text, _ = decode_text(path, data)
    records = [cells for _, cells in csv_rows(path, text, ",")]
    header = [cell.strip() for cell in records[0]] if records else []
    missing = sorted(ACCESSION_HEADER - set(header))
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    width = len(header)
    body = [
        [csv_restore(cell.strip()) for cell in cells[:width]] + [""] * (width - len(cells)) for cells in records[1:]
    ]
    return pd.DataFrame(body, columns=header, dtype=object)


def read_accession_table(path: Path, data: bytes, units: pd.DataFrame, today: dt.date):
    """Report rows, summary and records of an accession table, checked row by row."""
    frame = accession_frame(path, data)
    extra = [c for c in frame.columns if c not in accessions.COLUMNS]
    for optional in accessions.OPTIONAL_COLUMNS:
        if optional not in frame:
            frame[optional] = ""
    frame = accessions.canonical_keys(frame[accessions.COLUMNS], units)
    if frame.empty:
        raise InputError(f"{path}: no data rows below the header (row 1)")
    names = dict(zip(units["key"], units["name"]))
    reports: list[RowReport] = []
    records: dict[int, dict] = {}
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.to_dict("records"), 1):
        level = accessions.TERRITORIAL_KINDS.get(record["kind"])
        report = RowReport(
            row=number,
            name=record["name"] or None,
            status="ok",
            level=level,
            key=record["key"] or None,
            kind=record["kind"],
            official_name=names.get(record["key"]) if level else None,
            joined_on=record["joined_on"],
            date_precision=record["date_precision"],
            left_on=record["left_on"],
            source=record["source"] or None,
            note=record["note"] or None,
            quote=record["quote"] or None,
            read_on=record["read_on"],
            not_before=record["not_before"],
        )
        with contextlib.suppress(ValueError):  # reported by _record_problems
            report.left_precision = precision_of(record["left_on"])
        problems = _row_problems(report)
        if problems:
            report.status = "invalid"
            report.messages += problems
        elif record["evidence"] != "documented":
            report.status = "invalid"
            report.messages.append(
                f"evidence {record['evidence']!r}: only documented rows are imported "
                "(inferred rows are derived from the events)"
            )
        else:
            ident = accessions.identity(record["kind"], record["key"], record["name"])
            if ident in seen:
                report.status = "duplicate"
                report.messages.append(f"dieselbe Körperschaft wie Zeile {seen[ident]}")
            else:
                seen[ident] = number
                records[number] = record
        reports.append(report)
    summary = {
        "file": str(path),
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "header_row": 1,
        "columns": {c: c for c in accessions.COLUMNS},
        "ignored_columns": extra,
        "personal_columns_ignored": [],
    }
    recount(summary, reports)
    return reports, summary, records


def _row_problems(report: RowReport) -> list[str]:
    """What makes a row of an accession table unreadable: a hidden character in its name, a date in other digits.

    A date that is not the schema's ISO form at its precision is left out of the
    report (it could not be shown), so the row is reported, never a traceback.
    """
    problems = []
    problem = name_problem(report.name or "")
    if problem:
        problems.append(problem)
    for column, precision_field, label in (
        ("joined_on", "date_precision", "joined_on"),
        ("left_on", "left_precision", "left_on"),
    ):
        text, precision = getattr(report, column), getattr(report, precision_field)
        if not text:
            continue
        try:
            if not text.isascii():
                raise ValueError(text)
            period_bounds(text, precision)
        except ValueError:
            problems.append(f"{label} {text!r}: kein Datum der Form JJJJ-MM-TT, JJJJ-MM oder JJJJ (Ziffern 0–9)")
            setattr(report, column, "")
            setattr(report, precision_field, "unknown")
    return problems


def record_of(report: RowReport) -> dict:
    """A usable partner-list row as a record of the shipped schema."""
    return {
        "name": report.name or "",
        "kind": report.kind or "",
        "key": report.key or "",
        "joined_on": report.joined_on,
        "date_precision": report.date_precision,
        "not_before": report.not_before,
        "certain_by": "",
        "evidence": "documented",
        "event": "",
        "source": report.source or "",
        "quote": report.quote or "",
        "read_on": report.read_on,
        "left_on": report.left_on,
        "note": report.note or "",
    }


def recount(summary: dict, reports: list[RowReport]) -> None:
    """Counts in the summary after the register turned rows invalid."""
    statuses = ("ok", "ambiguous", "unknown", "invalid", "duplicate")
    summary["by_status"] = {status: sum(r.status == status for r in reports) for status in statuses}
    summary["rows"] = len(reports)
    summary["usable"] = summary["by_status"]["ok"]
    summary["needs_attention"] = len(reports) - summary["usable"]
