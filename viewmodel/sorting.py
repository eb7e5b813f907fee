"""How a table's column sorts: as numbers, as dates, as codes or as words — read from the words it shows.

The tables on screen (:mod:`dashboard.datatable`) show what people read:
"1. Februar 2024", "18,19 Mio.", "396 von 396, davon 23 belegt", "05711000".
Sorted as text, "2,09 Mio." would come after "18,19 Mio." and "Oktober 2023"
after "1. Februar 2024". :func:`column_keys` reads a column in the formats of
:mod:`viewmodel.i18n` (the only formats the tables use) back into keys that
sort right; ``tests/unit/test_datatable.py`` holds it to those formatters.
A column is of one kind throughout, else it sorts as words.

Pure: no Streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from loaders.dates import ENGLISH_MONTHS, GERMAN_MONTHS

KINDS = ("number", "date", "code", "text")
_MONTHS = {lang: "|".join(months) for lang, months in (("de", GERMAN_MONTHS), ("en", ENGLISH_MONTHS))}
_MONTH_NUMBER = {name: i + 1 for months in (GERMAN_MONTHS, ENGLISH_MONTHS) for i, name in enumerate(months)}
_UNKNOWN = {"de": "Datum unbekannt", "en": "date unknown"}
_DATES = {
    lang: [
        re.compile(rf"^(?P<day>\d{{1,2}})\.? (?P<month>{months}) (?P<year>\d{{4}})\b"),
        re.compile(rf"^(?P<month>{months}) (?P<year>\d{{4}})\b"),
        re.compile(r"^(?P<day>\d{2})\.(?P<mon>\d{2})\.(?P<year>\d{4})(?: (?P<time>\d{2}:\d{2}))?\b"),
        re.compile(r"^(?P<year>\d{4})(?:-(?P<mon>\d{2})(?:-(?P<day>\d{2}))?)?(?: (?P<time>\d{2}:\d{2}))?$"),
    ]
    for lang, months in _MONTHS.items()
}
# A number as the tables write it, at the start of a cell: grouped thousands, a decimal part, a unit.
_NUMBERS = {
    "de": re.compile(
        r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?(?P<unit> Mio\.| ?%)?(?=$|[ ,;)])"
    ),
    "en": re.compile(
        r"^(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?P<unit> m| ?%)?(?=$|[ ,;)])"
    ),
}
_CODE = re.compile(r"^0\d+$")


def date_key(text: str, lang: str = "de") -> str | None:
    """A date as the tables write it, as an ISO key (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, a time after it).

    Examples
    --------
    >>> date_key("1. Februar 2024"), date_key("Oktober 2023, belegt spätestens am 21. Oktober 2023")
    ('2024-02-01', '2023-10')
    >>> date_key("08.12.2026 00:11"), date_key("2023"), date_key("1 February 2024", "en")
    ('2026-12-08 00:11', '2023', '2024-02-01')
    >>> date_key("Stadt Köln"), date_key("2024-02-01 13:05", "en")
    (None, '2024-02-01 13:05')
    """
    for pattern in _DATES["en" if lang == "en" else "de"]:
        found = pattern.match(text)
        if not found:
            continue
        parts = found.groupdict()
        month = parts.get("mon") or (str(_MONTH_NUMBER[parts["month"]]) if parts.get("month") else None)
        key = parts["year"]
        if month:
            key += f"-{int(month):02d}"
            if parts.get("day"):
                key += f"-{int(parts['day']):02d}"
        return key + (f" {parts['time']}" if parts.get("time") else "")
    return None


def number_key(text: str, lang: str = "de") -> float | None:
    """A number as the tables write it, at the start of a cell, as a number (millions and per cent read).

    Examples
    --------
    >>> number_key("18,19 Mio."), number_key("345.678"), number_key("82,3 %"), number_key("396 von 396, davon 23")
    (18190000.0, 345678.0, 82.3, 396.0)
    >>> number_key("2.09 m", "en"), number_key("1,700", "en"), number_key("82.1%", "en")
    (2090000.0, 1700.0, 82.1)
    >>> number_key("05711000"), number_key("08.12.2026"), number_key("Kreis Lippe")
    (None, None, None)
    """
    found = _NUMBERS["en" if lang == "en" else "de"].match(text)
    if not found or _CODE.match(found.group("int")):
        return None
    whole = re.sub(r"\D", "", found.group("int"))
    value = float(f"{whole}.{found.group('frac') or 0}")
    if (found.group("unit") or "").strip() in ("Mio.", "m"):
        value = float(round(value * 1_000_000))
    return -value if found.group("sign") == "-" else value


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def column_keys(values: Iterable, lang: str = "de") -> tuple[str, list]:
    """A column's kind (:data:`KINDS`) and each cell's sort key (None: empty or unknown, sorted last).

    Examples
    --------
    >>> column_keys(["1. Februar 2024", "Oktober 2023", "Datum unbekannt"])
    ('date', ['2024-02-01', '2023-10', None])
    >>> column_keys(["2,09 Mio.", "345.678", ""])
    ('number', [2090000.0, 345678.0, None])
    >>> column_keys([3, 12, None])
    ('number', [3.0, 12.0, None])
    >>> column_keys(["05", "05711000", "057"])
    ('code', ['05', '05711000', '057'])
    >>> column_keys(["Stadt Köln", "2,09 Mio."])
    ('text', ['Stadt Köln', '2,09 Mio.'])
    """
    cells = list(values)
    texts = ["" if _blank(value) else str(value).strip() for value in cells]
    present = [text for text in texts if text]
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in cells if not _blank(v)):
        return "number", [None if not text else float(value) for value, text in zip(cells, texts)]
    unknown = _UNKNOWN["en" if lang == "en" else "de"]
    if present and all(_CODE.match(text) for text in present):
        return "code", [text or None for text in texts]
    numbers = [number_key(text, lang) if text else None for text in texts]
    if present and all(n is not None for n, text in zip(numbers, texts) if text):
        return "number", numbers
    dates = [date_key(text, lang) if text and text != unknown else None for text in texts]
    dated = all(d is not None or text in ("", unknown) for d, text in zip(dates, texts))
    if present and dated and any(d is not None for d in dates):
        return "date", dates
    return "text", [text or None for text in texts]
