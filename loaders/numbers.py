"""Numbers as German (or English) readers write them — shared by the dashboard and the exports."""

from __future__ import annotations


def format_int(value: float, lang: str = "de") -> str:
    """A whole number with thousands separators.

    Examples
    --------
    >>> format_int(18190422), format_int(18190422, "en")
    ('18.190.422', '18,190,422')
    """
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang != "en" else text


def format_decimal(value: float, digits: int = 1, lang: str = "de") -> str:
    """A decimal number with grouping, German comma by default.

    Examples
    --------
    >>> format_decimal(34096.51, 0), format_decimal(-2.25, 1)
    ('34.097', '-2,2')
    """
    text = f"{value:,.{digits}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
