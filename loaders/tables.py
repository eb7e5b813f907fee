"""Tables as files: the one place where a frame becomes CSV for a person to open.

Both the dashboard's download and ``sid-atlas coverage --format csv`` go
through :func:`csv_safe`, so a spreadsheet never runs a cell as a formula.
"""

from __future__ import annotations

import pandas as pd

# Characters with which a spreadsheet starts a formula (or a DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Quote text a spreadsheet would run as a formula with a leading apostrophe.

    Only text is touched: a negative *number* stays a number.

    Examples
    --------
    >>> [csv_safe(v) for v in ("=1+1", "@SUM(A1)", "Kreis Kleve", -3)]
    ["'=1+1", "'@SUM(A1)", 'Kreis Kleve', -3]
    """
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


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
    safe = frame.rename(columns=lambda c: csv_safe(str(c)))
    safe = safe.apply(lambda column: column.map(csv_safe) if not pd.api.types.is_numeric_dtype(column)
                      else column)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
