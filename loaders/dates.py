"""Partial dates: an accession known to the day, the month, the year, or not at all.

A date of month precision ("September 2023") is stored as ``2023-09``. For the
question "was this body a member on day D?" the project counts such a date from
the *last* day of its period: only then is membership certain, and the atlas
must never present an inference as a fact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

PRECISIONS = ("day", "month", "year", "unknown")

_PATTERNS = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
}

GERMAN_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def parse_iso_day(text: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` date given by a user; raise ValueError naming it.

    Examples
    --------
    >>> parse_iso_day("2024-02-01")
    datetime.date(2024, 2, 1)
    >>> parse_iso_day("2024-13-01")
    Traceback (most recent call last):
    ...
    ValueError: invalid date '2024-13-01': expected a real day as YYYY-MM-DD
    """
    try:
        if not _PATTERNS["day"].match(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"invalid date {text!r}: expected a real day as YYYY-MM-DD") from None


def precision_of(text: str) -> str:
    """Precision of a partial ISO date; raise ValueError for anything else.

    Examples
    --------
    >>> [precision_of(t) for t in ("2023-09-08", "2023-09", "2023", "")]
    ['day', 'month', 'year', 'unknown']
    """
    text = (text or "").strip()
    if not text:
        return "unknown"
    for precision, pattern in _PATTERNS.items():
        if pattern.match(text):
            period_bounds(text, precision)  # validates month and day ranges
            return precision
    raise ValueError(f"invalid date {text!r}: expected YYYY-MM-DD, YYYY-MM or YYYY")


def period_bounds(text: str, precision: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of the period a partial date stands for.

    Examples
    --------
    >>> period_bounds("2023-10", "month")
    (datetime.date(2023, 10, 1), datetime.date(2023, 10, 31))
    >>> period_bounds("", "unknown") is None
    True
    """
    if precision == "unknown":
        return None
    try:
        if precision == "day":
            day = dt.date.fromisoformat(text)
            return day, day
        if precision == "month":
            year, month = (int(p) for p in text.split("-"))
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        if precision == "year":
            year = int(text)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        pass
    raise ValueError(f"invalid date {text!r} for precision {precision!r}")


def format_german(day: dt.date) -> str:
    """A day as German users write it.

    Examples
    --------
    >>> format_german(dt.date(2024, 2, 1))
    '1. Februar 2024'
    """
    return f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}"


def format_partial_german(text: str, precision: str) -> str:
    """A partial date at its precision, in German.

    Examples
    --------
    >>> format_partial_german("2023-09", "month")
    'September 2023'
    >>> format_partial_german("", "unknown")
    'Datum unbekannt'
    """
    if precision == "unknown" or not text:
        return "Datum unbekannt"
    bounds = period_bounds(text, precision)
    assert bounds is not None  # None only for precision "unknown", returned above
    first, _ = bounds
    if precision == "day":
        return format_german(first)
    if precision == "month":
        return f"{GERMAN_MONTHS[first.month - 1]} {first.year}"
    return str(first.year)


# --- Dates as people type them into partner lists -------------------------------------

# Excel counts days from 1899-12-30 (the offset absorbs its phantom 29 Feb 1900).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# A bare whole number in this range is a year; any other is an Excel serial day.
_YEAR_RANGE = range(1900, 2101)
_UNKNOWN_WORDS = {"-", "–", "—", "?", "k.a.", "k. a.", "n/a", "n.a.", "unbekannt", "unknown", "offen"}
# English names spelled out: calendar.month_name would follow the process locale.
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _month_names() -> dict[str, int]:
    names = {"maerz": 3, "mrz": 3, "sept": 9}
    for months in (ENGLISH_MONTHS, GERMAN_MONTHS):
        for number, name in enumerate(months, 1):
            names[name.casefold()] = names[name[:3].casefold()] = number
    return names


_MONTH_NAMES = _month_names()
_TYPED = {
    "day": re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$"),
    "iso_day": re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"),
    "named_day": re.compile(r"^(\d{1,2})\.\s*([^\W\d_]+)\.?\s+(\d{4})$"),
    "named_month": re.compile(r"^([^\W\d_]+)\.?\s+(\d{4})$"),
    "numeric_month": re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{4})$"),
    "iso_month": re.compile(r"^(\d{4})-(\d{1,2})$"),
    "year": re.compile(r"^(\d{4})$"),
    "serial": re.compile(r"^(\d{5})(?:\.0+)?$"),
}


def parse_typed_date(value) -> tuple[str, str]:
    """A date as found in a partner list, as partial ISO text and its precision.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, int, float or None
        A spreadsheet cell: typed text, a date cell, an Excel serial day
        number, a bare year, or nothing.

    Returns
    -------
    tuple of str
        ``(text, precision)`` in the shipped accession schema, e.g.
        ``("2024-02", "month")``; ``("", "unknown")`` for an empty cell.

    Raises
    ------
    ValueError
        For anything that is not one of these forms or not a real day, naming
        the value.

    Examples
    --------
    >>> [parse_typed_date(v) for v in ("1.2.2024", "01.02.2024", "2024-02-01", "1. Februar 2024")]
    [('2024-02-01', 'day'), ('2024-02-01', 'day'), ('2024-02-01', 'day'), ('2024-02-01', 'day')]
    >>> [parse_typed_date(v) for v in ("Februar 2024", "Feb. 2024", "02/2024", "2/2024", "2024-02")]
    [('2024-02', 'month'), ('2024-02', 'month'), ('2024-02', 'month'), ('2024-02', 'month'), ('2024-02', 'month')]
    >>> [parse_typed_date(v) for v in ("2024", 2024, 45323, "45323", dt.datetime(2024, 2, 1), None, "", "k.A.")]
    [('2024', 'year'), ('2024', 'year'), ('2024-02-01', 'day'), ('2024-02-01', 'day'), ('2024-02-01', 'day'), ('', 'unknown'), ('', 'unknown'), ('', 'unknown')]
    >>> parse_typed_date("31.02.2024")
    Traceback (most recent call last):
    ...
    ValueError: invalid date '31.02.2024': no such day
    """
    if value is None or (isinstance(value, float) and value != value):  # NaN: an empty cell
        return "", "unknown"
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), "day"
    if isinstance(value, dt.date):
        return value.isoformat(), "day"
    if isinstance(value, bool):
        raise ValueError(f"invalid date {value!r}: a yes/no cell is not a date")
    if isinstance(value, (int, float)):
        if value == int(value) and int(value) in _YEAR_RANGE:
            return str(int(value)), "year"
        return _from_serial(value), "day"
    text = " ".join(str(value).split())
    if text.casefold() in _UNKNOWN_WORDS or not text:
        return "", "unknown"
    for form, pattern in _TYPED.items():
        match = pattern.match(text)
        if match:
            return _from_match(form, match.groups(), text)
    raise ValueError(f"invalid date {text!r}: expected e.g. 01.02.2024, 2024-02-01, Februar 2024, 02/2024 or 2024")


def _from_match(form: str, groups: tuple[str, ...], text: str) -> tuple[str, str]:
    if form == "serial":
        return _from_serial(int(groups[0])), "day"
    if form == "year":
        return groups[0], "year"
    if form in ("named_month", "named_day"):
        number = _MONTH_NAMES.get(groups[-2].casefold())
        if number is None:
            raise ValueError(f"invalid date {text!r}: unknown month {groups[-2]!r}")
        groups = (groups[0], str(number), groups[2]) if form == "named_day" else (str(number), groups[1])
    if form in ("named_month", "numeric_month", "iso_month"):
        month, year = (groups[1], groups[0]) if form == "iso_month" else groups
        if not 1 <= int(month) <= 12:
            raise ValueError(f"invalid date {text!r}: no month {int(month)}")
        return f"{int(year):04d}-{int(month):02d}", "month"
    year, month, day = groups if form == "iso_day" else reversed(groups)
    try:
        return dt.date(int(year), int(month), int(day)).isoformat(), "day"
    except ValueError:
        raise ValueError(f"invalid date {text!r}: no such day") from None


def _from_serial(serial: float) -> str:
    """An Excel serial day number (time of day dropped) as an ISO day."""
    if serial < 1:
        raise ValueError(f"invalid date {serial!r}: not an Excel day number")
    try:
        return (_EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()
    except OverflowError:
        raise ValueError(f"invalid date {serial!r}: not an Excel day number") from None
