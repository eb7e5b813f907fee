"""The credits the geodata licences require: one text for the screen, every picture and every export.

Built from ``loaders/shipped/sources.toml``: each source's required statements, each
followed by the licence it stands under, the mandatory BKG credit first (DVG2's
licence, dl-de/zero-2-0, requires none; its suggested credit follows as a
courtesy). dl-de/by-2-0 asks for a reference to the licence text, so its
statements name the licence with its address. Dates in credits are as sure as
their provenance: "(2025)" is BKG's required notice for the copy, "(2022)" the
DVG2 vintage; the population's Stand is not in the credit (the source names
none: :func:`loaders.sources.gebietsstand` says "vermutlich").

Examples
--------
>>> credit_pieces()[0]
'© GeoBasis-DE / BKG (2025), Daten verändert, dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0)'
>>> credit_pieces()[1:]
['Einwohnerzahlen: Statistische Ämter des Bundes und der Länder, dl-de/by-2-0', 'Verwaltungsgrenzen: Land NRW / Geobasis NRW (2022), dl-de/zero-2-0']
"""

from __future__ import annotations

import functools
import re

# The mandatory credit first.
ORDER = ("vg250_ew_nrw", "dvg2")


@functools.cache
def credit_pieces() -> list[str]:
    """Every statement the credits make, each naming its licence (the first of a licence with its address)."""
    from loaders.sources import manifest

    specs = manifest()
    pieces = []
    for key in ORDER:
        spec = specs[key]
        for i, statement in enumerate(part.strip() for part in spec.attribution.split(";")):
            address = spec.licence_url.removeprefix("https://") if spec.licence.startswith("dl-de/by") else ""
            pieces.append(f"{statement}, {spec.licence}" + (f" ({address})" if address and i == 0 else ""))
    return pieces


def credit_line(separator: str = " · ") -> str:
    """The credits in one line (the screen's caption, the map's corner, a GeoJSON's ``attribution``).

    Examples
    --------
    >>> credit_line().count(" · "), "dl-de/zero-2-0" in credit_line()
    (2, True)
    """
    return separator.join(credit_pieces())


def credit_markdown(separator: str = " · ", lang: str = "de") -> str:
    """The credits for a Markdown caption: the same text, the licence's address a link to its text.

    Written out, Markdown would make a link of the address anyway (an ``http://`` one); here it
    is the licence text's own ``https://`` address, and the page styles it (``.st-key-credits``).
    The statements are the licences' required wording, in German; on a page in another ``lang``
    they are marked as German (WCAG 3.1.2), which needs the caption's HTML allowed.

    Examples
    --------
    >>> print(credit_markdown().split(" · ")[0])
    © GeoBasis\\-DE / BKG \\(2025\\), Daten verändert, dl\\-de/by\\-2\\-0 ([www.govdata.de/dl-de/by-2-0](https://www.govdata.de/dl-de/by-2-0))
    >>> credit_markdown(lang="en").startswith('<span lang="de">©') and credit_markdown(lang="en").endswith("</span>")
    True
    """
    from loaders.sources import manifest

    links = {spec.licence_url.removeprefix("https://"): spec.licence_url for spec in manifest().values()}
    out = []
    for piece in credit_pieces():
        address = next((a for a in links if piece.endswith(f"({a})")), None)
        text = piece.removesuffix(f" ({address})") if address else piece
        out.append(_escaped(text) + (f" ([{address}]({links[address]}))" if address else ""))
    joined = separator.join(out)
    return joined if lang == "de" else f'<span lang="de">{joined}</span>'  # escaped text: no markup of its own


def _escaped(text: str) -> str:
    """Markdown's punctuation shown literally (the statements are text, not markup)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)
