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
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
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
    first, _ = period_bounds(text, precision)
    if precision == "day":
        return format_german(first)
    if precision == "month":
        return f"{GERMAN_MONTHS[first.month - 1]} {first.year}"
    return str(first.year)
