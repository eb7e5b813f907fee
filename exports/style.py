"""How an export is laid out: page presets and the credits the data licences require.

Colours, legend and words come from the view model (:mod:`viewmodel.palette`,
:mod:`viewmodel.text`), the same as on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.formats import PRESET_SIZES
from viewmodel.i18n import t


def default_title(lang: str = "de", region_name: str | None = None) -> str:
    """The title when none is given: NRW's, or the Regierungsbezirk's (its bare name, e.g. "Detmold").

    Examples
    --------
    >>> default_title("de", "Detmold")
    '#sicherimDienst – Beitritte im Regierungsbezirk Detmold'
    >>> default_title("en")
    '#sicherimDienst – accessions in NRW'
    """
    if region_name:
        return t("default_title_region", lang, name=region_name)
    return t("default_title", lang)


def title_for(cov, view, title: str | None) -> str:
    """``title`` as a picture shows it (:func:`exports.textfit.shown`), or the default for the view's region and language."""
    from exports.textfit import shown

    title = shown(title or "")
    return title or default_title(view.lang, cov.name_of(view.region) if view.region else None)


@dataclass(frozen=True)
class Preset:
    """An output size: exact pixels for PNG, the same physical size for SVG and PDF."""

    width_px: int
    height_px: int
    dpi: int

    @property
    def size_inches(self) -> tuple[float, float]:
        """Width and height in inches at the preset's resolution."""
        return self.width_px / self.dpi, self.height_px / self.dpi

    @property
    def landscape(self) -> bool:
        """Whether the page is clearly wider than high."""
        return self.width_px > 1.2 * self.height_px

    @property
    def scale(self) -> float:
        """Type size factor: 1.0 for a 7.2-inch short side (the screen presets)."""
        return min(self.size_inches) / 7.2


PRESETS = {name: Preset(*size) for name, size in PRESET_SIZES.items()}


def attribution_pieces() -> list[str]:
    """The credits the data licences require, one piece per statement, each with its licence.

    The one text of :mod:`viewmodel.credits` (screen, pictures and exports share it).

    Examples
    --------
    >>> attribution_pieces()[0]
    '© GeoBasis-DE / BKG (2025), Daten verändert, dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0)'
    """
    from viewmodel.credits import credit_pieces

    return list(credit_pieces())
