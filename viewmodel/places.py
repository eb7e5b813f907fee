"""The place search: which units of a view a typed name finds (pure; the atlas page draws the field).

A search field and its hits, not a list of all 396 names: the list went to
every browser with every page (9 KB) and was rebuilt on every Stichtag change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # describe, which the model reads, reads this module: the type only, no import at run time
    from viewmodel.model import ViewModel

#: Hits shown to choose from; a longer list asks for a more exact name.
MAX_HITS = 8


def entries(model: ViewModel) -> dict[str, str]:
    """The view's units as search entries "Name (key)", mapped to their keys, in name order.

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> from loaders.viewstate import ViewState
    >>> from viewmodel.model import build
    >>> found = entries(build(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), level="kreis", region="057")))
    >>> list(found)[:2]
    ['Bielefeld (05711)', 'Gütersloh (05754)']
    """
    pairs = zip(model.units["name"].astype(str), model.units["key"])
    return {f"{name} ({key})": key for name, key in sorted(pairs, key=lambda pair: pair[0].casefold())}


def matches(query: str, found: dict[str, str]) -> list[str]:
    """The entries a query finds: a name (or key) containing it; exact names first, then names starting with it.

    Examples
    --------
    >>> found = {"Hamm (05915000)": "05915000", "Hamminkeln (05170020)": "05170020", "Unna (05978036)": "05978036"}
    >>> matches("hamm", found)
    ['Hamm (05915000)', 'Hamminkeln (05170020)']
    >>> matches(" 05978 ", found), matches("", found), matches("Köln", found)
    (['Unna (05978036)'], [], [])
    """
    wanted = query.strip().casefold()
    if not wanted:
        return []
    hits = [entry for entry in found if wanted in entry.casefold()]
    return sorted(
        hits,
        key=lambda entry: (not entry.casefold().startswith(wanted + " ("), not entry.casefold().startswith(wanted)),
    )


def chosen(query: str, found: dict[str, str]) -> str | None:
    """The key a query alone decides: its only hit, or the one entry named exactly so; else None.

    Examples
    --------
    >>> found = {"Hamm (05915000)": "05915000", "Hamminkeln (05170020)": "05170020"}
    >>> chosen("Hamm", found), chosen("hammink", found), chosen("ha", found)
    ('05915000', '05170020', None)
    """
    hits = matches(query, found)
    exact = [entry for entry in hits if entry.casefold().startswith(query.strip().casefold() + " (")]
    if len(hits) == 1 or len(exact) == 1:
        return found[(exact or hits)[0]]
    return None


@dataclass(frozen=True)
class Search:
    """What a place search found: its query, every entry it matches, and the unit it settles on (or None)."""

    query: str
    hits: tuple[str, ...]
    key: str | None = None
    #: Several hits and no name alone decides: they are offered to choose from (the choice, if any, is ``key``).
    offered: bool = False

    @property
    def shown(self) -> tuple[str, ...]:
        """The hits offered to choose from (at most :data:`MAX_HITS`)."""
        return self.hits[:MAX_HITS]


def search(query: str, found: dict[str, str], pick: str | None = None) -> Search | None:
    """The result of typing ``query`` (and choosing ``pick`` among its hits); None for an empty query.

    Examples
    --------
    >>> found = {"Hamm (05915000)": "05915000", "Hamminkeln (05170020)": "05170020", "Unna (05978036)": "05978036"}
    >>> search("Hamm", found).key, search("ham", found).key, search("ham", found, "Hamminkeln (05170020)").key
    ('05915000', None, '05170020')
    >>> search("  ", found) is None, search("Köln", found).hits
    (True, ())
    """
    if not query or not query.strip():
        return None
    hits = tuple(matches(query, found))
    key = chosen(query, found)
    if key is not None or not hits:
        return Search(query.strip(), hits, key)
    return Search(query.strip(), hits, found[pick] if pick in hits[:MAX_HITS] else None, offered=True)


def entry_name(entry: str) -> str:
    """The name of a search entry "Name (key)".

    Examples
    --------
    >>> entry_name("Hamm (05915000)"), entry_name("Mülheim an der Ruhr (05117000)")
    ('Hamm', 'Mülheim an der Ruhr')
    """
    return entry.rsplit(" (", 1)[0]
