"""Text folded for comparison: how a typed name or header is matched to an official one."""

from __future__ import annotations

import re

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})
_SEPARATORS = re.compile(r"[\s_\-–—]+")


def fold(text: str) -> str:
    """Case-, umlaut-, hyphen- and whitespace-insensitive form of ``text``.

    Umlauts become their two-letter spellings, so "Mönchengladbach" and
    "Moenchengladbach" fold alike; hyphens and underscores count as spaces.

    Examples
    --------
    >>> fold("  Schloß Holte-Stukenbrock ")
    'schloss holte stukenbrock'
    >>> fold("MOENCHENGLADBACH") == fold("Mönchengladbach")
    True
    >>> fold("joined_on")
    'joined on'
    """
    return _SEPARATORS.sub(" ", str(text).casefold().translate(_UMLAUTS)).strip()
