"""Text that fits: measured line breaking for titles, subtitles and credits of every press picture.

Widths are measured with the glyph metrics of the export font (DejaVu Sans,
shipped with matplotlib), not estimated from character counts, so a headline
breaks where it really reaches the margin and never runs off the page.
"""

from __future__ import annotations

import functools

from loaders.errors import InputError

FONT = "DejaVu Sans"
MAX_TITLE_LINES = 3
# A title longer than this is not a headline; refused before any measuring.
MAX_TITLE_CHARS = 300


class TitleTooLong(InputError):
    """The title needs more than :data:`MAX_TITLE_LINES` lines on the chosen page."""


# Characters no picture shows: C0/C1 controls (XML cannot hold most of them, a tagged PDF refuses
# them) and the bidirectional overrides and isolates (they reorder what follows: spoofing).
_UNSHOWN = {*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_UNSHOWN_TABLE = dict.fromkeys(_UNSHOWN, " ")


def shown(text: str) -> str:
    r"""``text`` as a picture can show it: controls and direction overrides become blanks, blanks collapsed.

    Examples
    --------
    >>> shown("Detmold\x00 ist\u202e dabei\n")
    'Detmold ist dabei'
    """
    return " ".join(text.translate(_UNSHOWN_TABLE).split())


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points at ``size`` points.

    Examples
    --------
    >>> round(text_width("Detmold", 10), 1) > round(text_width("Lage", 10), 1)
    True
    """
    from matplotlib.ft2font import LoadFlags

    # What matplotlib.textpath.TextToPath measures (the font at 100 pt, unhinted, scaled), without
    # importing textpath: it loads dviread and fontTools at the start of every export process.
    font = _font(bold)
    font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
    return font.get_width_height()[0] / 64 * size / _MEASURE_PT


_MEASURE_PT = 100.0


def _font(bold: bool):
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=FONT, weight="bold" if bold else "normal")))
    font.set_size(_MEASURE_PT, 72)
    return font


def wrap(text: str, width_pt: float, size: float, bold: bool = False, separator: str = " ") -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt``, between words (or ``separator`` parts).

    A part wider than the line is broken between its words, and a single word
    wider than the line between characters, so no input runs off the page.

    Examples
    --------
    >>> wrap("Beitritte im Regierungsbezirk Detmold", 120, 10)
    ['Beitritte im', 'Regierungsbezirk', 'Detmold']
    >>> wrap("a · b · c", 1000, 10, separator=" · ")
    ['a · b · c']
    >>> wrap("Datenstand: 14. November 2025 (Quelle)", 120, 10, separator=" · ")
    ['Datenstand: 14.', 'November 2025', '(Quelle)']
    """
    lines: list[str] = []
    for word in (w for w in text.split(separator) if w.strip()):
        candidate = f"{lines[-1]}{separator}{word}" if lines else word
        if lines and text_width(candidate, size, bold) <= width_pt:
            lines[-1] = candidate
            continue
        if separator != " " and " " in word.strip() and text_width(word, size, bold) > width_pt:
            lines += wrap(word, width_pt, size, bold)  # a sentence breaks between its words
            continue
        while text_width(word, size, bold) > width_pt and len(word) > 1:
            cut = 1
            while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width_pt:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines


def title_lines(title: str, width_pt: float, size: float) -> list[str]:
    """The title's lines on a page ``width_pt`` wide; :class:`TitleTooLong` beyond three.

    Examples
    --------
    >>> title_lines("#sicherimDienst", 400, 20)
    ['#sicherimDienst']
    >>> title_lines("Sehr lange Überschrift " * 10, 200, 20)
    Traceback (most recent call last):
    ...
    exports.textfit.TitleTooLong: the title needs 15 lines on this page; at most 3 fit: shorten it (229 characters) or choose a wider page size
    """
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_CHARS:
        raise TitleTooLong(f"the title has {len(title)} characters; at most {MAX_TITLE_CHARS}")
    lines = wrap(title, width_pt, size, bold=True)
    if len(lines) > MAX_TITLE_LINES:
        raise TitleTooLong(
            f"the title needs {len(lines)} lines on this page; at most {MAX_TITLE_LINES} fit: "
            f"shorten it ({len(title)} characters) or choose a wider page size"
        )
    return lines
