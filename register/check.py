"""The per-row report on a partner list: what would be imported, and what needs attention.

Every data row appears in the report with one status:

``ok``
    Usable as it stands.
``ambiguous``
    The name fits several bodies equally (Stadt and Kreis Kleve); candidates listed.
``unknown``
    No official name fits; similar names are suggested, never taken.
``invalid``
    A date is impossible or in the future, the exit precedes the accession,
    or key, kind and name contradict each other.
``duplicate``
    The same body as an earlier row.

Messages are German (the users' language); field names are English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from loaders.accessions import identity
from loaders.dates import format_partial_german, parse_typed_date, period_bounds
from loaders.errors import InputError
from register.partnerlist import PartnerList, read_partner_list
from register.resolve import Resolver

STATUSES = ("ok", "ambiguous", "unknown", "invalid", "duplicate")


@dataclass
class RowReport:
    """One data row of the report (``row`` is 1-based below the header)."""

    row: int
    name: str | None
    status: str
    level: str | None = None
    key: str | None = None
    kind: str | None = None
    official_name: str | None = None
    joined_on: str = ""
    date_precision: str = "unknown"
    left_on: str = ""
    left_precision: str = "unknown"
    source: str | None = None
    note: str | None = None
    # Provenance (partial ISO dates, like joined_on): the source's exact words, when it was read,
    # the earliest day the accession can have happened.
    quote: str | None = None
    read_on: str = ""
    not_before: str = ""
    messages: list[str] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)


def check_rows(partners: PartnerList, resolver: Resolver, today: dt.date) -> list[RowReport]:
    """Resolve, date-check and de-duplicate every row of a partner list.

    Parameters
    ----------
    partners : PartnerList
        As read by :func:`register.partnerlist.read_partner_list`.
    resolver : Resolver
        Built on the official unit table.
    today : datetime.date
        Dates whose period starts after this day are invalid.

    Returns
    -------
    list of RowReport
        One per data row, in file order.
    """
    reports: list[RowReport] = []
    seen: dict[str, int] = {}  # identity -> the row that first named it
    for item in partners.rows:
        values = item.values
        resolution = resolver.resolve(values.get("name"), values.get("kind"), values.get("key"))
        unit = resolution.unit
        report = RowReport(
            row=item.row,
            name=_text(values.get("name")),
            status=resolution.status,
            level=unit.level if unit else None,
            key=resolution.key,
            kind=resolution.kind,
            official_name=unit.name if unit else None,
            source=_text(values.get("source")),
            note=_text(values.get("note")),
            quote=_text(values.get("quote")),
            messages=list(resolution.messages),
            candidates=[candidate.as_dict() for candidate in resolution.candidates],
        )
        problems = _date_problems(report, values, today)
        if problems:
            report.messages += problems
            report.status = "invalid"
        if report.status == "ok":
            # An ok row has a territorial kind exactly when it resolved to a unit.
            body = identity(report.kind or "", report.key or "", report.name or "")
            if body in seen:
                report.status = "duplicate"
                report.messages.append(f"dieselbe Körperschaft wie Zeile {seen[body]}")
            else:
                seen[body] = report.row
        reports.append(report)
    return reports


def _text(value) -> str | None:
    return None if value is None else str(value)


DATE_FIELDS = (
    ("joined_on", "Beitritt"),
    ("left_on", "Austritt"),
    ("not_before", "Frühestens"),
    ("read_on", "Gelesen am"),
)
PRECISION_FIELD = {"joined_on": "date_precision", "left_on": "left_precision"}


def _date_problems(report: RowReport, values: dict, today: dt.date) -> list[str]:
    """Parse the dates into the report; return what is wrong with them."""
    problems: list[str] = []
    bounds: dict[str, tuple[dt.date, dt.date] | None] = {}
    for column, label in DATE_FIELDS:
        try:
            text, precision = parse_typed_date(values.get(column))
        except ValueError as error:
            problems.append(f"{label}: {error}")
            continue
        setattr(report, column, text)
        if column in PRECISION_FIELD:
            setattr(report, PRECISION_FIELD[column], precision)
        period = bounds[column] = period_bounds(text, precision)
        if period and period[0] > today:
            problems.append(f"{label} {format_partial_german(text, precision)} liegt in der Zukunft")
    joined, left = bounds.get("joined_on"), bounds.get("left_on")
    not_before, read_on = bounds.get("not_before"), bounds.get("read_on")
    if joined and left and left[1] < joined[0]:
        problems.append(f"Austritt {report.left_on} liegt vor dem Beitritt {report.joined_on}")
    if not_before and joined and not_before[0] > joined[1]:
        problems.append(f"Frühestens {report.not_before} liegt nach dem Beitritt {report.joined_on}")
    if read_on and joined and read_on[1] < joined[0]:
        problems.append(f"Gelesen am {report.read_on} liegt vor dem Beitritt {report.joined_on}")
    return problems


def summarise(partners: PartnerList, reports: list[RowReport], path: str) -> dict:
    """Counts per status, and how the file was read (for the user to verify)."""
    counts = {status: sum(r.status == status for r in reports) for status in STATUSES}
    return {
        "file": path,
        "format": partners.file_format,
        "encoding": partners.encoding,
        "delimiter": partners.delimiter,
        "header_row": partners.header_row,
        "columns": partners.columns,
        "ignored_columns": partners.ignored_columns,
        "personal_columns_ignored": partners.personal_columns,
        "rows": len(reports),
        "usable": counts["ok"],
        "needs_attention": len(reports) - counts["ok"],
        "by_status": counts,
    }


def as_json_document(reports: list[RowReport], summary: dict) -> dict:
    """The check's JSON document: one report per row and the summary."""
    return {"rows": [asdict(report) for report in reports], "summary": summary}


STATUS_LABELS = {
    "ok": "ok",
    "ambiguous": "mehrdeutig",
    "unknown": "unbekannt",
    "invalid": "ungültig",
    "duplicate": "doppelt",
}


def render_text(reports: list[RowReport], summary: dict) -> str:
    """A plain report for the terminal, one line per row plus its messages."""
    lines = [
        f"{summary['file']}: {summary['format'].upper()}, Kopfzeile in Zeile {summary['header_row']}, "
        f"Spalten: {', '.join(f'{k}={v!r}' for k, v in summary['columns'].items())}"
    ]
    if summary["personal_columns_ignored"]:
        lines.append("Personenbezogene Spalten nicht gelesen: " + ", ".join(summary["personal_columns_ignored"]))
    if summary["ignored_columns"]:
        lines.append("Unbekannte Spalten ignoriert: " + ", ".join(summary["ignored_columns"]))
    for r in reports:
        target = f"{r.key or '–':<8} {r.official_name or r.kind or ''}"
        date = format_partial_german(r.joined_on, r.date_precision)
        lines.append(f"{r.row:>4}  {STATUS_LABELS[r.status]:<10} {r.name or '(kein Name)'} → {target}; {date}")
        lines += [f"        {message}" for message in r.messages]
    lines.append(
        f"{summary['rows']} Zeilen: {summary['usable']} verwendbar, "
        f"{summary['needs_attention']} brauchen Aufmerksamkeit"
    )
    return "\n".join(lines) + "\n"


def check_file(path, units, today: dt.date, data: bytes | None = None) -> tuple[list[RowReport], dict]:
    """Read, resolve and check a partner list file; the report rows and summary.

    ``data`` is the file's content when the caller has read it already (see
    :func:`register.partnerlist.read_partner_list`); the caps of
    :data:`register.sheets.LIMITS` apply either way.

    Raises
    ------
    InputError
        The file is unreadable (see :func:`register.partnerlist.read_partner_list`)
        or has no data rows.
    """
    partners = read_partner_list(path, data)
    if not partners.rows:
        raise InputError(f"{path}: no data rows below the header (row {partners.header_row})")
    reports = check_rows(partners, Resolver(units), today)
    return reports, summarise(partners, reports, str(path))
