"""How an export looks and reads: presets, palette, German labels and number formats.

The palette is colour-blind safe (blue / vermillion / grey, no red–green
contrast) and every category has its own lightness step, so the map still
reads when printed in grey scale. Inferred coverage keeps its category's
colour but is hatched: the picture never shows an inference as a fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loaders.dates import format_german
from loaders.numbers import format_decimal, format_int

DEFAULT_TITLE = "#sicherimDienst – Beitritte in NRW"


@dataclass(frozen=True)
class Preset:
    """An output size: exact pixels for PNG, the same physical size for SVG and PDF."""

    width_px: int
    height_px: int
    dpi: int

    @property
    def size_inches(self) -> tuple[float, float]:
        return self.width_px / self.dpi, self.height_px / self.dpi

    @property
    def landscape(self) -> bool:
        return self.width_px > 1.2 * self.height_px

    @property
    def scale(self) -> float:
        """Type size factor: 1.0 for a 7.2-inch short side (the screen presets)."""
        return min(self.size_inches) / 7.2


PRESETS = {
    "16x9": Preset(1920, 1080, 150),
    "square": Preset(1080, 1080, 150),
    # A4 at 300 dpi: 210 × 297 mm.
    "a4": Preset(2480, 3508, 300),
    "a4-landscape": Preset(3508, 2480, 300),
}

# CIELAB lightness in brackets; neighbours differ by at least 15.
COLOURS = {
    "member": "#1f4e89",     # dark blue (L 33)
    "new": "#d55e00",        # vermillion, Okabe–Ito (L 54)
    "via_kreis": "#74add1",  # light blue (L 68)
    "partial": "#74add1",    # the middle step at Kreis and Regierungsbezirk level
    "not_yet": "#d4d4d4",    # grey (L 85)
    "muted": "#f3f3f3",      # outside the chosen region (L 96)
}
HATCH = "////"
HATCH_COLOUR = "#ffffff"
OUTLINE = "#303030"
TEXT = "#1a1a1a"
SUBTLE_TEXT = "#555555"

STATUS_LABELS = {
    "gemeinde": {"member": "Mitglied", "via_kreis": "über den Kreis abgedeckt",
                 "not_yet": "noch nicht abgedeckt"},
    "kreis": {"member": "Kreis bzw. kreisfreie Stadt Mitglied",
              "partial": "nur einzelne Gemeinden abgedeckt", "not_yet": "noch nicht abgedeckt"},
    "regierungsbezirk": {"member": "Bezirksregierung Mitglied",
                         "partial": "nur Kreise bzw. Gemeinden abgedeckt",
                         "not_yet": "noch nicht abgedeckt"},
}
LEVEL_NAMES = {"gemeinde": "Gemeinden", "kreis": "Kreise und kreisfreie Städte",
               "regierungsbezirk": "Regierungsbezirke"}
INFERRED_LABEL = "schraffiert: abgeleitet (aus einem regionalen Beitritt geschlossen, nicht einzeln belegt)"
MUTED_LABEL = "außerhalb der Auswahl"


def new_label(compare: dt.date) -> str:
    """Legend text for units covered on the Stichtag but not on the compare date.

    Examples
    --------
    >>> new_label(dt.date(2024, 1, 31))
    'neu seit 31. Januar 2024'
    """
    return f"neu seit {format_german(compare)}"


def german_people(value: int) -> str:
    """A population as a newsroom writes it: millions with two decimals, else in full.

    Examples
    --------
    >>> german_people(2087744), german_people(18190422), german_people(345678)
    ('2,09 Mio.', '18,19 Mio.', '345.678')
    """
    if value >= 1_000_000:
        return format_decimal(value / 1_000_000, 2) + " Mio."
    return format_int(value)


def figures_line(summary: dict) -> str:
    """The headline figures of a view from :meth:`loaders.coverage.Coverage.summary`.

    Examples
    --------
    >>> figures_line({"gemeinden_covered": 70, "gemeinden_total": 70, "population_covered": 2087744})
    'Abgedeckt: 70 von 70 Gemeinden · 2,09 Mio. Einwohner'
    """
    return (f"Abgedeckt: {summary['gemeinden_covered']} von {summary['gemeinden_total']} Gemeinden"
            f" · {german_people(summary['population_covered'])} Einwohner")


def attribution_pieces() -> list[str]:
    """The credits the data licences require, one piece per statement, from ``geodata/sources.toml``.

    Examples
    --------
    >>> attribution_pieces()[0]
    '© GeoBasis-DE / BKG (2025), Daten verändert'
    """
    from loaders.sources import manifest

    specs = manifest()
    # BKG's credit is mandatory (dl-de/by-2-0), so it comes first; DVG2's is a courtesy.
    texts = [specs["vg250_ew_nrw"].attribution, specs["dvg2"].attribution]
    return [piece.strip() for text in texts for piece in text.split(";")]
