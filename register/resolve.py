"""Typed names of bodies → official keys, only when certain.

A name resolves when, after folding (:func:`loaders.folding.fold`), stripping
the words people put around official names ("Stadt", "Kreis", ", Stadt",
"Landeshauptstadt" …) and reading qualifiers ("(Rhld.)", "/Westf.", "an der
Ruhr") alike, exactly one unit fits it — and its level fits what the name
prefix and the kind column say. Everything else is reported: *ambiguous* with
the units that fit equally (Stadt and Kreis Kleve), *unknown* with fuzzy
suggestions, *invalid* when a key or kind contradicts the name. Fuzzy scores
only ever suggest.

A kreisfreie Stadt is one body, keyed as its Gemeinde (as in
:func:`loaders.accessions.canonical_keys`), whether the list calls it Stadt or
Kreis.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from loaders.accessions import KINDS, TERRITORIAL_KINDS, kreisfreie_kreis_keys
from loaders.folding import fold
from loaders.viewstate import VIEW_LEVELS
from register.text import hidden_characters

KIND_OF_LEVEL = {level: kind for kind, level in TERRITORIAL_KINDS.items()}
LEVEL_LABEL = {"gemeinde": "Gemeinde", "kreis": "Kreis", "regierungsbezirk": "Bezirksregierung"}
# The shipped kinds of bodies without territory (courts, unions, associations …).
NON_TERRITORIAL = tuple(kind for kind in KINDS if kind not in TERRITORIAL_KINDS)

# The words of German administration for the level of a territorial body, folded, dots read as
# spaces: full forms and the abbreviations town halls use. One table serves both the words around
# a name ("Kreis Kleve", "Kleve, Kr.", "Bez.-Reg. Köln") and the kind column ("krfr. Stadt").
# "Kommune" is a Gemeinde or Stadt, never a Kreis ("Kreise und Kommunen des Regierungsbezirks").
LEVEL_WORDS = {
    "gemeinde": (
        "gemeinde",
        "gem",
        "gde",
        "stadt",
        "kommune",
        "stadtgemeinde",
        "ortsgemeinde",
        "kreisfreie stadt",
        "kreisfr stadt",
        "krfr stadt",
        "kfr stadt",
        "krfrst",
        "kfst",
        "kfs",
        "stadtkreis",
        "kreisangehoerige stadt",
        "kreisang stadt",
        "krang stadt",
        "kreisangehoerige gemeinde",
        "kreisang gemeinde",
        "krang gemeinde",
        "kreisangehoerige kommune",
        "grosse kreisangehoerige stadt",
        "grosse kreisang stadt",
        "gr kreisang stadt",
        "gr krang stadt",
        "gkst",
        "gks",
        "gka st",
        "mittlere kreisangehoerige stadt",
        "mittlere kreisang stadt",
        "mittl kreisang stadt",
        "mkst",
        "mks",
        "landeshauptstadt",
        "hansestadt",
        "alte hansestadt",
        "bundesstadt",
        "kreisstadt",
        "stadtverwaltung",
        "gemeindeverwaltung",
    ),
    "kreis": ("kreis", "kr", "landkreis", "lk", "lkr", "ldkr", "staedteregion", "kreisverwaltung"),
    "regierungsbezirk": ("bezirksregierung", "bez reg", "bezreg", "br", "regierungsbezirk", "reg bez", "regbez", "rb"),
}
# Words before an official name, and the level they point to (longest first when matched).
PREFIXES = {word: level for level, words in LEVEL_WORDS.items() for word in words}
# Words after a comma ("Bielefeld, Stadt"); the same vocabulary.
SUFFIXES = PREFIXES
_PREFIX_ORDER = sorted(PREFIXES, key=len, reverse=True)


def _kind_key(text: str) -> str:
    """A kind cell compared without case, dots, hyphens and spaces: "Bez.-Reg." is "bezreg"."""
    return fold(str(text).replace(".", " ")).replace(" ", "")


# Values of the kind column → shipped kind (None: a territorial kind left to the name).
KIND_VALUES = {
    **{_kind_key(kind): kind for kind in NON_TERRITORIAL},
    **{_kind_key(word): KIND_OF_LEVEL[level] for level, words in LEVEL_WORDS.items() for word in words},
    # Only in the kind column: before a name, "St." is Sankt (St. Augustin).
    **{word: "gemeinde" for word in ("st", "municipality", "city", "town")},
    **{word: "kreis" for word in ("district", "county")},
    "gebietskoerperschaft": None,
    "landesbehorde": "landesbehoerde",
    "behoerde": "landesbehoerde",
    "ministerium": "landesbehoerde",
    "polizei": "landesbehoerde",
    "landtag": "parlament",
    "verein": "verband",
    "union": "gewerkschaft",
    "sonstiges": "sonstige",
    "andere": "sonstige",
    "other": "sonstige",
}
# What a territorial kind value allows; None ("Gebietskörperschaft") allows Gemeinde or Kreis.
KIND_LEVELS = {
    "gemeinde": {"gemeinde"},
    "kreis": {"kreis"},
    "bezirksregierung": {"regierungsbezirk"},
    None: {"gemeinde", "kreis"},
}

# Name words that mark a body without territory, when no kind is given and no unit fits.
# Whole words for acronyms (so "gew" does not match "Gewerbe"), parts of words otherwise.
KEYWORD_KINDS = (
    ("parlament", ("landtag", "bundestag", "parlament"), ()),
    ("gericht", ("gericht",), ()),
    ("sozialversicherung", ("unfallkasse", "rentenversicherung", "krankenkasse", "berufsgenossenschaft"), ("aok",)),
    (
        "gewerkschaft",
        ("gewerkschaft", "beamtenbund"),
        ("dgb", "dbb", "verdi", "gew", "gdp", "komba", "dpolg", "bdk", "vbe"),
    ),
    (
        "landesbehoerde",
        (
            "ministerium",
            "landesamt",
            "landesbetrieb",
            "polizei",
            "staatskanzlei",
            "landesregierung",
            "landesanstalt",
            "landeszentrale",
            "justizvollzug",
        ),
        ("lka",),
    ),
    ("verband", ("verband", "verein", "staedtetag", "landkreistag", "gemeindebund"), ()),
)
QUALIFIER_WORDS = {
    "rhld": "rheinland",
    "rhl": "rheinland",
    "rheinl": "rheinland",
    "westf": "westfalen",
    "sauerl": "sauerland",
    "ndrh": "niederrhein",
    "nrh": "niederrhein",
}
SUGGESTION_CUTOFF = 80
SUGGESTIONS = 3
# Distinct unknown names per file that get similar names suggested: each costs a fuzzy search over
# every unit; a list of 20,000 invented names would otherwise take tens of seconds.
SUGGESTION_BUDGET = 1000
# The longest official name in NRW has 40 characters, the longest body's name in a partner list
# fits on a letterhead: a longer cell is no name (and every step of matching stays cheap).
MAX_NAME = 300
_AT_WORDS = ("an der", "am")


@dataclass(frozen=True)
class Unit:
    """An official territorial unit as a candidate: level, key and official name."""

    level: str
    key: str
    name: str
    kreisfrei: bool = False

    def fits(self, levels: Set[str]) -> bool:
        """Whether this unit is of one of ``levels``; a kreisfreie Stadt is also a Kreis."""
        return self.level in levels or (self.kreisfrei and "kreis" in levels)

    def label(self) -> str:
        """The unit as a person reads it: level, name and key."""
        return f"{LEVEL_LABEL[self.level]} {self.name} ({self.key})"

    def as_dict(self) -> dict:
        """The unit as JSON-ready fields."""
        return {"level": self.level, "key": self.key, "name": self.name}


@dataclass
class Resolution:
    """The outcome for one row: status, the unit (if certain), the shipped kind, and why."""

    status: str
    unit: Unit | None = None
    kind: str | None = None
    seat_key: str | None = None
    messages: list[str] = field(default_factory=list)
    candidates: list[Unit] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The key of the unit found, or of the seat a body was matched by."""
        return self.unit.key if self.unit else self.seat_key


@dataclass(frozen=True)
class ParsedName:
    """A typed name taken apart: folded base, canonical qualifier, levels its words point to."""

    base: str
    qualifier: str | None
    levels: frozenset[str]
    bare: str


def parse_name(text: str) -> ParsedName:
    """Take a typed or official name apart for matching.

    Examples
    --------
    >>> parse_name("Bielefeld, Stadt")
    ParsedName(base='bielefeld', qualifier=None, levels=frozenset({'gemeinde'}), bare='bielefeld')
    >>> parsed = parse_name("Stadt Leichlingen (Rhld.)")
    >>> parsed.base, parsed.qualifier, parsed.levels
    ('leichlingen', 'rheinland', frozenset({'gemeinde'}))
    >>> parse_name("St. Augustin").base, parse_name("Mülheim a. d. Ruhr").qualifier
    ('sankt augustin', 'ruhr')
    """
    text = re.sub(r"\b(a)\.\s*(d)\.", "an der", str(text), flags=re.IGNORECASE)
    folded = fold(text.replace(".", " "))
    levels = set()
    head, comma, tail = folded.rpartition(",")
    if comma and tail.strip() in SUFFIXES:
        levels.add(SUFFIXES[tail.strip()])
        folded = head.strip()
    bare = " ".join(re.sub(r"[(),/]", " ", folded).split())
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIX_ORDER:
            if folded.startswith(prefix + " "):
                levels.add(PREFIXES[prefix])
                folded, stripped = folded[len(prefix) + 1 :].strip(), True
                break
    folded = re.sub(r"^st\s", "sankt ", folded)
    qualifier = None
    split = split_qualifier(folded)
    if split:
        folded = split[0].strip()
        words = split[1].split()
        qualifier = " ".join(QUALIFIER_WORDS.get(word, word) for word in words) or None
    return ParsedName(" ".join(folded.split()), qualifier, frozenset(levels), bare)


def split_qualifier(text: str) -> tuple[str, str] | None:
    """``(base, qualifier)`` of a name ending in "(…)", "/…" or "an der …"/"am …"; None without one.

    One pass over the text (a regular expression with a lazy base and three
    alternatives took quadratic time: seconds for a name of 32,000 characters).
    It finds what ``^(.+?)\\s*(?:\\(([^)]*)\\)|/(.+)|\\s(?:an der|am)\\s(.+))$`` found: the
    shortest base before any of the three forms (tests/unit/test_resolve.py
    compares the two on random names).

    Examples
    --------
    >>> split_qualifier("leichlingen (rhld)"), split_qualifier("halle/westf")
    (('leichlingen', 'rhld'), ('halle', 'westf'))
    >>> split_qualifier("mulheim an der ruhr"), split_qualifier("hamm") is None
    (('mulheim', 'ruhr'), True)
    """
    size = len(text)
    closing = text.endswith(")")
    inner_close = text.rfind(")", 0, size - 1) if closing else -1
    best: tuple[tuple[int, int, int], str, str] | None = None
    run = 0  # where the whitespace before the current position starts
    for position, char in enumerate(text):
        space = char.isspace()
        found: tuple[int, str] | None = None
        if position >= 1:
            if char == "(" and closing and inner_close < position <= size - 2:
                found = (0, text[position + 1 : size - 1])
            elif char == "/" and position + 1 < size:
                found = (1, text[position + 1 :])
            elif space:
                for word in _AT_WORDS:
                    end = position + 1 + len(word)
                    if text.startswith(word, position + 1) and end + 1 < size and text[end].isspace():
                        found = (2, text[end + 1 :])
                        break
        if found is not None:
            # The regular expression's order: the shortest base, then the form nearest its end, then the form.
            start = max(1, run)
            rank = (start, -position, found[0])
            if best is None or rank < best[0]:
                best = (rank, text[:start], found[1])
        if not space:
            run = position + 1
    return None if best is None else (best[1], best[2])


def name_problem(name: str) -> str | None:
    """Why a body's name cannot be matched, or None: too long, or with invisible control characters.

    Examples
    --------
    >>> name_problem("Stadt Hamm") is None
    True
    >>> name_problem("x" * 301)
    'Name mit 301 Zeichen: ein Name hat höchstens 300 Zeichen'
    >>> name_problem("Hamm\u202e")
    'Name enthält unsichtbare Steuerzeichen (U+202E): bitte ohne sie eingeben'
    """
    if len(name) > MAX_NAME:
        return f"Name mit {len(name)} Zeichen: ein Name hat höchstens {MAX_NAME} Zeichen"
    hidden = hidden_characters(name)
    if hidden:
        return f"Name enthält unsichtbare Steuerzeichen ({', '.join(hidden)}): bitte ohne sie eingeben"
    return None


def normalise_key(raw) -> str | None:
    """An official key as typed or as a spreadsheet number, as 3, 5 or 8 digits.

    Spreadsheets drop the leading zero of NRW keys (``5711000``); a 12-digit
    Regionalschlüssel is reduced to the AGS. Raises ValueError naming the value.

    Examples
    --------
    >>> [normalise_key(k) for k in ("05711000", 5711000, 5154.0, "57", "05 711 000", "057110000000", None)]
    ['05711000', '05711000', '05154', '057', '05711000', '05711000', None]
    >>> normalise_key("DE-5711")
    Traceback (most recent call last):
    ...
    ValueError: invalid key 'DE-5711': expected an official key of 3, 5 or 8 digits
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, float) and raw == int(raw):
        raw = int(raw)
    text = "".join(str(raw).split())
    if not (text.isascii() and text.isdigit()):  # "²" or "٠٥" are digits to Python, not to an AGS
        raise ValueError(f"invalid key {raw!r}: expected an official key of 3, 5 or 8 digits")
    if len(text) in (2, 4, 7, 11):
        text = "0" + text
    if len(text) == 12:  # ARS: Land, RB, Kreis, Gemeindeverband (4), Gemeinde (3)
        text = text[:5] + text[9:]
    if len(text) not in (3, 5, 8):
        raise ValueError(f"invalid key {raw!r}: expected an official key of 3, 5 or 8 digits")
    return text


def parse_kind(text) -> tuple[bool, str | None]:
    """``(given, kind)`` from a kind cell; ``kind`` None for "Gebietskörperschaft" (Gemeinde or Kreis).

    Examples
    --------
    >>> [parse_kind(t) for t in ("Stadt", "Kreis", "kreisfreie Stadt", "Gewerkschaft", "", "Kommune")]
    [(True, 'gemeinde'), (True, 'kreis'), (True, 'gemeinde'), (True, 'gewerkschaft'), (False, None), (True, 'gemeinde')]
    >>> [parse_kind(t)[1] for t in ("krfr. Stadt", "GkSt", "Kr.", "LK", "Bez.-Reg.", "BezReg", "Städteregion")]
    ['gemeinde', 'gemeinde', 'kreis', 'kreis', 'bezirksregierung', 'bezirksregierung', 'kreis']
    """
    if text is None or not str(text).strip():
        return False, None
    folded = _kind_key(text)
    if folded not in KIND_VALUES:
        raise ValueError(
            f"unbekannte Art {str(text)!r} (erwartet z. B. Stadt, Gemeinde, Kreis, "
            "Bezirksregierung, Landesbehörde, Gericht, Verband, Gewerkschaft)"
        )
    return True, KIND_VALUES[folded]


def kind_from_name(name: str) -> str | None:
    """The kind of a body without territory, told by a word of its name.

    Examples
    --------
    >>> [kind_from_name(n) for n in ("Landtag NRW", "DGB NRW", "Amtsgericht Hamm", "Gewerbeverein", "Hamm")]
    ['parlament', 'gewerkschaft', 'gericht', 'verband', None]
    """
    folded = fold(name.replace(".", ""))
    words = set(re.findall(r"\w+", folded))
    for kind, parts, acronyms in KEYWORD_KINDS:
        if any(part in folded for part in parts) or words & set(acronyms):
            return kind
    return None


class Resolver:
    """Matches typed names against the official names of one unit table.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (``level``, ``key``, ``name``, ``kreis_key``), e.g.
        :func:`loaders.store.load_units`.
    """

    def __init__(self, units: pd.DataFrame):
        kreisfrei = kreisfreie_kreis_keys(units)
        self.by_key: dict[str, Unit] = {}
        # folded base → [(unit, qualifier)]; "hinted" entries need their level said (Städteregion → Aachen).
        self._names: dict[str, list[tuple[Unit, str | None]]] = {}
        self._hinted: dict[str, list[tuple[Unit, str | None]]] = {}
        for level in VIEW_LEVELS:  # Gemeinden first: a kreisfreie Stadt's Kreis row joins its Gemeinde
            for row in units[units["level"] == level].sort_values("key").itertuples():
                if level == "kreis" and row.key in kreisfrei:
                    unit = self.by_key[f"{row.key}000"]
                else:
                    unit = Unit(level, row.key, row.name, kreisfrei=level == "gemeinde" and row.kreis_key in kreisfrei)
                self.by_key[row.key] = unit
                self._index(unit, row.name)
        self._choices = {unit: parse_name(unit.name).bare for unit in self.by_key.values()}
        self._by_levels: dict[frozenset[str], tuple[list[Unit], list[str]]] = {}
        self._suggested: dict[tuple[str, frozenset[str]], list[Unit]] = {}

    def _index(self, unit: Unit, official: str) -> None:
        full = parse_name(official)
        target = self._names if not full.levels or unit.level == "regierungsbezirk" else self._hinted
        entries = target.setdefault(full.base, [])
        if (unit, full.qualifier) not in entries:
            entries.append((unit, full.qualifier))
        if full.levels and unit.level != "regierungsbezirk":
            # "Städteregion Aachen" is also found by its full official wording.
            self._names.setdefault(full.bare, []).append((unit, None))

    def resolve(self, name, kind_text=None, key_text=None) -> Resolution:
        """Resolve one row's name, kind and key cells; see the module docstring for the rules."""
        name = "" if name is None else " ".join(str(name).split())
        if not name:
            return Resolution("invalid", messages=["kein Name"])
        problem = name_problem(name)
        if problem:
            return Resolution("invalid", messages=[problem])
        try:
            kind_given, kind = parse_kind(kind_text)
            key = normalise_key(key_text)
        except ValueError as error:
            return Resolution("invalid", messages=[str(error)])
        if kind in NON_TERRITORIAL:
            return self._body(kind, key, [])
        parsed = parse_name(name)
        kind_levels = KIND_LEVELS[kind] if kind_given else None
        said = set(parsed.levels) | (kind_levels or set())
        same_name, mismatched = self._lookup(parsed, said)
        inferred = None if kind_given or parsed.levels or same_name else kind_from_name(name)
        if inferred:
            return self._body(inferred, key, [f"Art „{inferred}“ aus dem Namen abgeleitet (ohne Gebiet)"])
        if key is not None:
            return self._check_key(name, key, same_name, kind_levels)
        name_levels = set(parsed.levels) or set(VIEW_LEVELS)
        fitting = [
            unit for unit in same_name if unit.fits(name_levels) and (kind_levels is None or unit.fits(kind_levels))
        ]
        if len(fitting) == 1:
            return Resolution("ok", fitting[0], KIND_OF_LEVEL[fitting[0].level])
        if fitting:
            return Resolution(
                "ambiguous",
                candidates=fitting,
                messages=[
                    f"mehrdeutig: {' oder '.join(u.label() for u in fitting)} — Art (Stadt/Kreis) oder "
                    "Schlüssel angeben"
                ],
            )
        if same_name:
            stated = f"Art {kind_text!r}" if kind_given else " oder ".join(LEVEL_LABEL[lv] for lv in parsed.levels)
            return Resolution(
                "invalid" if kind_given else "unknown",
                candidates=same_name,
                messages=[
                    f"keine Einheit der Art {stated} namens {name!r}; gleichnamig: "
                    f"{', '.join(u.label() for u in same_name)}"
                ],
            )
        if mismatched:
            return Resolution(
                "unknown",
                candidates=mismatched,
                messages=[
                    f"Zusatz in {name!r} passt zu keinem amtlichen Namen; ähnlich: "
                    f"{', '.join(u.label() for u in mismatched)}"
                ],
            )
        levels = name_levels & (kind_levels or set(VIEW_LEVELS))
        suggestions = self.suggest(parsed, levels if "regierungsbezirk" in said else levels - {"regierungsbezirk"})
        message = f"kein amtlicher Name passt zu {name!r}"
        if suggestions:
            message += f"; ähnlich: {', '.join(u.label() for u in suggestions)}"
        elif suggestions is None:
            message += f" (ähnliche Namen werden nur für die ersten {SUGGESTION_BUDGET} unbekannten Namen gesucht)"
        return Resolution("unknown", candidates=suggestions or [], messages=[message])

    def _lookup(self, parsed: ParsedName, said: set[str]) -> tuple[list[Unit], list[Unit]]:
        """Units whose name fits exactly, and those whose name differs only by its qualifier.

        ``said`` are the levels the name or the kind column state: only then
        are Bezirksregierungen and names needing their level word
        ("Städteregion Aachen" as "Kreis Aachen") considered.
        """
        entries = self._names.get(parsed.bare, []) + self._names.get(parsed.base, [])
        if said - {"gemeinde"}:
            entries += self._hinted.get(parsed.base, [])
        exact: list[Unit] = []
        mismatched: list[Unit] = []
        for unit, qualifier in entries:
            if unit.level == "regierungsbezirk" and "regierungsbezirk" not in said:
                continue  # "Detmold" is the Stadt; a Bezirksregierung is always named as such
            target = exact if parsed.qualifier in (None, qualifier) else mismatched
            if unit not in target:
                target.append(unit)
        return exact, mismatched

    def _check_key(self, name: str, key: str, same_name: list[Unit], kind_levels: set[str] | None) -> Resolution:
        """An explicit key wins over the name, but only if the name (and kind) agree with it."""
        unit = self.by_key.get(key)
        if unit is None:
            return Resolution("invalid", messages=[f"kein Gebiet mit Schlüssel {key}"])
        if kind_levels is not None and not unit.fits(kind_levels):
            return Resolution(
                "invalid",
                candidates=[unit],
                messages=[f"Schlüssel {key} ist {unit.label()} und passt nicht zur angegebenen Art"],
            )
        if unit in same_name:
            return Resolution("ok", unit, KIND_OF_LEVEL[unit.level])
        return Resolution(
            "invalid",
            candidates=[unit, *(u for u in same_name if u != unit)],
            messages=[f"Schlüssel {key} ist {unit.label()} und passt nicht zum Namen {name!r}"],
        )

    def _body(self, kind: str, key: str | None, messages: list[str]) -> Resolution:
        """A body without territory; a key, if given, is the AGS of its seat."""
        if key is None:
            return Resolution("ok", kind=kind, messages=messages)
        seat = self.by_key.get(key)
        if len(key) != 8 or seat is None or seat.level != "gemeinde":
            return Resolution(
                "invalid",
                kind=kind,
                messages=[*messages, f"Sitz-Schlüssel {key} ist kein Gemeindeschlüssel (AGS) in NRW"],
            )
        return Resolution(
            "ok", kind=kind, seat_key=key, messages=[*messages, f"Schlüssel {key} als Sitz ({seat.name}) gelesen"]
        )

    def suggest(self, parsed: ParsedName, levels: set[str]) -> list[Unit] | None:
        """Up to three similar official names of ``levels``; suggestions only, never a match.

        The candidates of each set of levels are listed once, and each typed
        name is scored once: a long list of unknown names costs one fuzzy
        search per distinct name, not a pass over every unit per row — for the
        first :data:`SUGGESTION_BUDGET` distinct names; after them None (not searched).
        """
        key = (parsed.base, frozenset(levels))
        if key not in self._suggested:
            if len(self._suggested) >= SUGGESTION_BUDGET:
                return None
            units, texts = self._candidates(key[1])
            found = process.extract(
                parsed.base, texts, scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=SUGGESTION_CUTOFF
            )
            self._suggested[key] = [units[index] for _, _, index in found]
        return list(self._suggested[key])

    def _candidates(self, levels: frozenset[str]) -> tuple[list[Unit], list[str]]:
        if levels not in self._by_levels:
            units = [unit for unit in self._choices if unit.fits(levels)]
            self._by_levels[levels] = (units, [self._choices[unit] for unit in units])
        return self._by_levels[levels]
