"""Tables as files: the one place where a table becomes CSV or XLSX for a person to open.

Every CSV the project writes — the dashboard's download, ``sid-atlas coverage
--format csv``, the press exports and the register's dump and download — goes
through :func:`csv_safe`, and every XLSX sheet through :func:`fill_sheet`, so a
spreadsheet never runs a cell as a formula.

Neutralising is reversible: :func:`csv_restore` undoes exactly what
:func:`csv_safe` did, so a register dump re-imports to the identical register
even when a note starts with ``=`` (or with an apostrophe).
"""

from __future__ import annotations

import pandas as pd

# Characters with which a spreadsheet starts a formula (or a DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _quoted(text: str) -> bool:
    """Whether ``text`` gets an apostrophe: it starts a formula, perhaps behind apostrophes already.

    Text that already starts with apostrophes before a formula character
    (``'=x``) gets one more, so that :func:`csv_restore` can tell it from a
    neutralised ``=x``.
    """
    return text.lstrip("'")[:1] in FORMULA_PREFIXES


def csv_safe(value):
    """Quote text a spreadsheet would run as a formula with a leading apostrophe.

    Only text is touched: a negative *number* stays a number.

    Examples
    --------
    >>> [csv_safe(v) for v in ("=1+1", "@SUM(A1)", "Kreis Kleve", -3, "'=x", "'Ort'")]
    ["'=1+1", "'@SUM(A1)", 'Kreis Kleve', -3, "''=x", "'Ort'"]
    """
    if isinstance(value, str) and _quoted(value):
        return "'" + value
    return value


def csv_restore(text: str) -> str:
    """The text :func:`csv_safe` was given, from what it wrote (for reading our own files back).

    Examples
    --------
    >>> [csv_restore(csv_safe(v)) for v in ("=1+1", "''=x", "'Ort'", "Köln", "'-")]
    ['=1+1', "''=x", "'Ort'", 'Köln', "'-"]
    """
    if text[:1] == "'" and _quoted(text[1:]):
        return text[1:]
    return text


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV (with BOM, so spreadsheet programs read umlauts right).

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; its text cells and column names are neutralised with
        :func:`csv_safe`, numbers are written as they are.

    Returns
    -------
    bytes
        Comma-separated, ``\\n`` line ends, header row first, no index.

    Examples
    --------
    >>> to_csv_bytes(pd.DataFrame({"Name": ["=HYPERLINK()", "Köln"], "n": [1, -2]}))
    b"\\xef\\xbb\\xbfName,n\\n'=HYPERLINK(),1\\nK\\xc3\\xb6ln,-2\\n"
    """
    return to_csv_text(frame).encode("utf-8-sig")


def to_csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV text, neutralised as :func:`to_csv_bytes` does, without a BOM.

    Examples
    --------
    >>> print(to_csv_text(pd.DataFrame({"name": ["Köln"], "note": ["@SUM(A1)"]})), end="")
    name,note
    Köln,'@SUM(A1)
    """
    safe = frame.rename(columns=lambda c: csv_safe(str(c)))
    safe = safe.apply(lambda column: column.map(csv_safe) if not pd.api.types.is_numeric_dtype(column) else column)
    return safe.to_csv(index=False, lineterminator="\n")


def fill_sheet(sheet, rows: list[list]) -> None:
    """Write rows into an openpyxl worksheet from A1 on; text is always stored as text.

    openpyxl stores a string starting with ``=`` as a formula; here every
    string cell is a text cell, so a name like ``=HYPERLINK(…)`` is shown,
    never run. numpy scalars become Python numbers.
    """
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if hasattr(value, "item"):
                value = value.item()
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
