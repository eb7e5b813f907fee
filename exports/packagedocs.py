"""What every file and column of the open-data package means, in German and English.

One description per column, used twice: as the field ``description`` (and
``constraints.enum``) in ``datapackage.json`` and in the package's
``README.txt``. The allowed values of a coded column come from the code that
makes them (:data:`loaders.coverage.STATUSES`, :data:`loaders.dates.PRECISIONS`,
:data:`loaders.accessions.KINDS`, the events in ``loaders/shipped/events.csv`` …), so a
new code cannot appear in a file without a test noticing that it has no meaning
here. Columns of words (``status_text``) are not listed as codes: they are the
view model's words, and the README quotes the ones the file holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from loaders import accessions
from loaders.accessions import EVIDENCE_CLASSES
from loaders.coverage import STATUSES
from loaders.dates import PRECISIONS
from loaders.viewstate import EVIDENCE_FILTERS
from viewmodel.i18n import format_date
from viewmodel.text import filter_label

Text = tuple[str, str]  # (German, English)

# -- the columns of the level tables (gemeinden.csv, kreise.csv, regierungsbezirke.csv) ------------
UNIT_FIELDS: dict[str, Text] = {
    "ags": (
        "Amtlicher Gemeindeschlüssel (AGS) der Einheit, als Text mit führender Null: 8 Stellen für eine "
        "Gemeinde, 5 für einen Kreis oder eine kreisfreie Stadt, 3 für einen Regierungsbezirk.",
        "Official municipality key (AGS) of the unit, as text with its leading zero: 8 digits for a "
        "Gemeinde, 5 for a Kreis or kreisfreie Stadt, 3 for a Regierungsbezirk.",
    ),
    "ars": (
        "Amtlicher Regionalschlüssel (12 Stellen), aus ags gebildet. NRW hat keine Gemeindeverbände: die "
        "Verbandsstellen sind 0 und wiederholen die Gemeindeziffern (05766040 → 057660040040); Kreise und "
        "Regierungsbezirke sind mit Nullen aufgefüllt.",
        "Official regional key (12 digits), built from ags. NRW has no Gemeindeverbände: the association "
        "digits are 0 and repeat the municipality digits (05766040 → 057660040040); Kreise and "
        "Regierungsbezirke are padded with zeros.",
    ),
    "name": ("Amtlicher Name der Einheit (DVG2).", "Official name of the unit (DVG2)."),
    "level": ("Ebene der Einheit; in jeder Zeile gleich.", "Level of the unit; the same in every row."),
    "status": (
        "Abdeckung der Einheit am Stichtag, als Code. Es zählen nur Mitgliedschaften, die der Beleg-Filter der "
        "Ansicht (evidence_filter) zulässt; die Wörter dazu stehen in status_text.",
        "Coverage of the unit on the Stichtag, as a code. Only memberships the evidence filter of the view "
        "(evidence_filter) admits count; the words for it are in status_text.",
    ),
    "status_text": (
        "Der Status in Worten, wie Karte, Legende und Tooltip des Atlas ihn nennen (Sprache der Ansicht); "
        "Freitext, abgeleitet aus status und evidence.",
        "The status in words, as the atlas's map, legend and tooltip say it (language of the view); "
        "free text, derived from status and evidence.",
    ),
    "evidence": (
        "Beleg der Abdeckung; leer = nicht abgedeckt.",
        "Evidence of the coverage; empty = not covered.",
    ),
    "new": (
        "true, wenn die Abdeckung der Einheit seit dem Vergleichsdatum der Ansicht (README.txt, Abschnitt "
        "Ansicht) gestiegen ist; ohne Vergleichsdatum immer false.",
        "true when the unit's coverage rose since the compare date of the view (README.txt, section View); "
        "always false without a compare date.",
    ),
    "via": ("Wie die Einheit abgedeckt ist; leer = nicht abgedeckt.", "How the unit is covered; empty = not covered."),
    "since": (
        "Nur Gemeinden: seit wann die Abdeckung besteht, in der Genauigkeit von precision (JJJJ-MM-TT, JJJJ-MM "
        "oder JJJJ); leer bei Kreisen, Regierungsbezirken und nicht abgedeckten Gemeinden.",
        "Gemeinden only: since when the coverage holds, at the precision in precision (YYYY-MM-DD, YYYY-MM or "
        "YYYY); empty for Kreise, Regierungsbezirke and Gemeinden not covered.",
    ),
    "precision": ("Genauigkeit von since.", "Precision of since."),
    "certain_by": (
        "Tag (JJJJ-MM-TT), bis zu dem eine Quelle eine nur auf Monat oder Jahr genau datierte Mitgliedschaft "
        "spätestens belegt (etwa der Tag der Meldung); sonst leer.",
        "Day (YYYY-MM-DD) by which a source proves a membership dated only to the month or year (such as the "
        "day of the news item); else empty.",
    ),
    "event": (
        "Regionales Beitrittsereignis, auf dem die Abdeckung beruht; leer = keines.",
        "Regional accession event the coverage rests on; empty = none.",
    ),
    "source": (
        "Quelle(n) der Abdeckung, Freitext; bei abgeleiteter Abdeckung das Ereignis und seine Quellen.",
        "Source(s) of the coverage, free text; for inferred coverage the event and its sources.",
    ),
    "gemeinden_total": (
        "Zahl der Gemeinden der Einheit (bei einer Gemeinde 1).",
        "Gemeinden in the unit (1 for a Gemeinde).",
    ),
    "gemeinden_covered": ("Davon am Stichtag abgedeckt.", "Of these, covered on the Stichtag."),
    "gemeinden_covered_documented": (
        "Davon belegt abgedeckt (ihr eigener Beitritt oder der ihres Kreises ist belegt); der Rest von "
        "gemeinden_covered ist abgeleitet.",
        "Of these, covered as documented (its own or its Kreis's accession is documented); the rest of "
        "gemeinden_covered is inferred.",
    ),
    "gemeinden_documented_one_by_one": (
        "Davon einzeln belegt: der eigene Beitritt der Gemeinde ist belegt.",
        "Of these, documented one by one: the Gemeinde's own accession is documented.",
    ),
    "gemeinden_documented_via_kreis": (
        "Davon über den Kreis belegt: nur der Beitritt ihres Kreises ist belegt (mit dem vorigen Feld zusammen "
        "gemeinden_covered_documented).",
        "Of these, documented through the Kreis: only its Kreis's accession is documented (with the previous field "
        "together gemeinden_covered_documented).",
    ),
    "area_km2_total": (
        "Fläche der Einheit in km² (DVG2, auf 0,01 km² gerundet).",
        "Area of the unit in km² (DVG2, to 0.01 km²).",
    ),
    "area_km2_covered": ("Davon abgedeckt, in km².", "Of it, covered, in km²."),
    "area_km2_covered_documented": ("Davon belegt abgedeckt, in km².", "Of it, covered as documented, in km²."),
    "population_total": (
        "Einwohner der Einheit (BKG VG250-EW; Stand siehe gebietsstand).",
        "Population of the unit (BKG VG250-EW; vintage in gebietsstand).",
    ),
    "population_covered": ("Davon in abgedeckten Gemeinden.", "Of these, in covered Gemeinden."),
    "population_covered_documented": (
        "Davon in einzeln belegt abgedeckten Gemeinden.",
        "Of these, in Gemeinden covered as documented.",
    ),
    "body_member": (
        "Eigene Mitgliedschaft der Körperschaft der Einheit (Gemeinde, Kreisverwaltung oder kreisfreie Stadt, "
        "Bezirksregierung) am Stichtag, unabhängig von der Abdeckung ihrer Gemeinden: true = aktiv; false = "
        "keine, die der Beleg-Filter zulässt (unter evidence_filter = documented: nicht einzeln belegt – das "
        "heißt nicht: kein Mitglied); leer = nur ein belegter Beitritt ohne Datum ist bekannt.",
        "Own membership of the unit's body (Gemeinde, Kreis administration or kreisfreie Stadt, "
        "Bezirksregierung) on the Stichtag, apart from the coverage of its Gemeinden: true = active; false = "
        "none the evidence filter admits (under evidence_filter = documented: not documented one by one – which "
        "does not mean: not a member); empty = only a documented accession without a date is known.",
    ),
    "body_member_since": (
        "Beitrittsdatum dieser Mitgliedschaft, in der Genauigkeit von body_member_precision.",
        "Accession date of that membership, at the precision in body_member_precision.",
    ),
    "body_member_precision": ("Genauigkeit von body_member_since.", "Precision of body_member_since."),
    "body_member_evidence": ("Beleg dieser Mitgliedschaft.", "Evidence of that membership."),
    "body_member_source": ("Quelle dieser Mitgliedschaft, Freitext.", "Source of that membership, free text."),
    "body_member_undated": (
        "true, wenn ein belegter Beitritt der Körperschaft ohne Datum bekannt ist (er zählt an keinem Stichtag).",
        "true when a documented accession of the body without a date is known (it counts on no Stichtag).",
    ),
    "stichtag": (
        "Stichtag der Ansicht (JJJJ-MM-TT); in jeder Zeile gleich.",
        "Stichtag of the view (YYYY-MM-DD); the same in every row.",
    ),
    "evidence_filter": (
        "Beleg-Filter der Ansicht; in jeder Zeile gleich.",
        "Evidence filter of the view; the same in every row.",
    ),
    "gebietsstand": (
        "Stand der Verwaltungsgrenzen und der Einwohnerzahlen (Quellen); in jeder Zeile gleich.",
        "Vintage of the boundaries and the population figures (sources); the same in every row.",
    ),
    "compare": (
        "Nur GeoJSON: Vergleichsdatum der Ansicht (JJJJ-MM-TT), leer ohne.",
        "GeoJSON only: compare date of the view (YYYY-MM-DD), empty without one.",
    ),
    "data_as_of": (
        "Datenstand (JJJJ-MM-TT): der Tag der jüngsten datierten Quelle der Daten; in jeder Zeile gleich.",
        "Data as of (YYYY-MM-DD): the day of the latest dated source of the data; the same in every row.",
    ),
    "data_as_of_source": (
        "Die Quelle des Datenstands; in jeder Zeile gleich.",
        "The source of data_as_of; the same in every row.",
    ),
    "data_version": (
        "Datenversion der Beitrittsdaten; in jeder Zeile gleich.",
        "Version of the accession data; the same in every row.",
    ),
    "data_version_digest": (
        "Prüfsumme (SHA-256, 12 Zeichen) der Beitrittsdaten dieser Version; in jeder Zeile gleich.",
        "Checksum (SHA-256, 12 characters) of the accession data of that version; the same in every row.",
    ),
}

# -- the columns of beitritte.csv ---------------------------------------------------------------------
ACCESSION_FIELDS: dict[str, Text] = {
    "name": ("Name der Körperschaft, wie die Quelle ihn nennt.", "Name of the body as the source gives it."),
    "kind": ("Art der Körperschaft.", "Kind of body."),
    "key": (
        "Nur Körperschaften mit eigenem Gebiet (kind gemeinde, kreis, bezirksregierung): AGS dieses Gebiets "
        "(8 Stellen Gemeinde, 5 Kreis, 3 Regierungsbezirk), verknüpfbar mit ags der Ebenen-Dateien; sonst leer "
        "(siehe sitz_ags).",
        "Bodies with territory only (kind gemeinde, kreis, bezirksregierung): the AGS of that territory "
        "(8 digits Gemeinde, 5 Kreis, 3 Regierungsbezirk), to join with ags of the level files; else empty "
        "(see sitz_ags).",
    ),
    "sitz_ags": (
        "Nur Körperschaften ohne eigenes Gebiet (Landtag, Gerichte, Verbände …): AGS der Gemeinde ihres Sitzes, "
        "wenn bekannt. Ihre Mitgliedschaft deckt diese Gemeinde nicht ab – zum Zählen der Abdeckung nicht mit "
        "ags verknüpfen.",
        "Bodies without territory only (Landtag, courts, associations …): the AGS of the Gemeinde of their seat, "
        "when known. Their membership does not cover that Gemeinde – do not join it with ags to count coverage.",
    ),
    "joined_on": (
        "Beitrittsdatum in der Genauigkeit von date_precision (JJJJ-MM-TT, JJJJ-MM oder JJJJ); leer, wenn unbekannt.",
        "Accession date at the precision in date_precision (YYYY-MM-DD, YYYY-MM or YYYY); empty when unknown.",
    ),
    "date_precision": ("Genauigkeit von joined_on.", "Precision of joined_on."),
    "not_before": (
        "Frühester möglicher Tag des Beitritts (JJJJ-MM-TT, JJJJ-MM oder JJJJ), wo die Quelle eine untere Grenze "
        "erlaubt; nur zur Information, der Beitritt zählt dadurch an keinem Stichtag. Leer = keine Grenze bekannt.",
        "Earliest possible day of the accession (YYYY-MM-DD, YYYY-MM or YYYY) where the source allows a lower "
        "bound; for information only, it makes the accession count on no Stichtag. Empty = no bound known.",
    ),
    "certain_by": UNIT_FIELDS["certain_by"],
    "evidence": ("Beleg des Beitritts.", "Evidence of the accession."),
    "event": UNIT_FIELDS["event"],
    "source": ("Quelle(n) des Beitritts, Freitext.", "Source(s) of the accession, free text."),
    "left_on": (
        "Austrittsdatum (JJJJ-MM-TT); leer = kein Austritt bekannt.",
        "Exit date (YYYY-MM-DD); empty = no exit known.",
    ),
    "quote": (
        "Wörtliches Zitat der Quelle, auf dem die Zeile beruht; leer, wo keine gespeicherte Fassung der Quelle "
        "einen Wortlaut gibt (nichts ist ergänzt).",
        "The source's exact words the row rests on; empty where no stored copy of the source gives a wording "
        "(nothing is filled in).",
    ),
    "read_on": (
        "Wann die Quelle gelesen wurde, in ihrer Genauigkeit (JJJJ-MM-TT, JJJJ-MM oder JJJJ).",
        "When the source was read, at its precision (YYYY-MM-DD, YYYY-MM or YYYY).",
    ),
    "note": ("Anmerkung, Freitext.", "Note, free text."),
}

# -- the meanings of coded values --------------------------------------------------------------------
STATUS_MEANING: dict[str, Text] = {
    "member": ("Gemeinde durch ihren eigenen Beitritt abgedeckt", "Gemeinde covered by its own accession"),
    "via_kreis": (
        "Gemeinde über den Beitritt ihres Kreises abgedeckt",
        "Gemeinde covered through its Kreis's accession",
    ),
    "full": ("alle Gemeinden der Einheit abgedeckt", "every Gemeinde of the unit covered"),
    "partial": ("ein Teil der Gemeinden abgedeckt", "some Gemeinden of the unit covered"),
    "undated": (
        "eine Mitgliedschaft ist belegt, ihr Datum aber unbekannt; sie zählt an keinem Stichtag",
        "a membership is documented but its date is unknown; it counts on no Stichtag",
    ),
    "not_yet": (
        "keine Abdeckung, die der Beleg-Filter zulässt, am Stichtag – unter evidence_filter = documented heißt "
        "das: nicht einzeln belegt, nicht: kein Mitglied",
        "no coverage the evidence filter admits on the Stichtag – under evidence_filter = documented this means: "
        "not documented one by one, not: not a member",
    ),
}
# Of a unit's coverage (evidence of the level tables) ...
COVERAGE_EVIDENCE_MEANING: dict[str, Text] = {
    "documented": (
        "belegt (einzeln oder über den Kreis): eine Quelle nennt den Beitritt, der die Einheit abdeckt (den "
        "eigenen oder den ihres Kreises); bei Kreis und Regierungsbezirk: jede abgedeckte Gemeinde ist so belegt",
        "documented (one by one or through the Kreis): a source names the accession that covers the unit (its own "
        "or its Kreis's); for a Kreis or Regierungsbezirk: every covered Gemeinde is so documented",
    ),
    "inferred": (
        "abgeleitet: aus dem Beitritt eines ganzen Regierungsbezirks geschlossen, nicht einzeln belegt (bei Kreis "
        "und Regierungsbezirk: mindestens eine abgedeckte Gemeinde nur so)",
        "inferred: concluded from the accession of a whole Regierungsbezirk, not documented one by one (for a "
        "Kreis or Regierungsbezirk: at least one covered Gemeinde only so)",
    ),
}
# ... and of one accession (beitritte.csv, body_member_evidence).
EVIDENCE_MEANING: dict[str, Text] = {
    "documented": ("einzeln belegt: eine Quelle nennt diese Körperschaft", "documented: a source names this body"),
    "inferred": (
        "abgeleitet aus dem Beitritt ihres Regierungsbezirks (event), nicht einzeln belegt",
        "inferred from the accession of its Regierungsbezirk (event), not documented one by one",
    ),
}
VIA_MEANING: dict[str, Text] = {
    "gemeinde": ("durch den eigenen Beitritt der Gemeinde", "by the Gemeinde's own accession"),
    "kreis": ("über den Beitritt ihres Kreises", "through its Kreis's accession"),
    "gemeinden": ("mindestens eine ihrer Gemeinden ist abgedeckt", "at least one of its Gemeinden is covered"),
}
PRECISION_MEANING: dict[str, Text] = {
    "day": ("auf den Tag genau", "to the day"),
    "month": ("auf den Monat genau", "to the month"),
    "year": ("auf das Jahr genau", "to the year"),
    "unknown": ("Datum unbekannt", "date unknown"),
}
LEVEL_MEANING: dict[str, Text] = {
    "gemeinde": ("Gemeinde", "Gemeinde (municipality)"),
    "kreis": ("Kreis oder kreisfreie Stadt", "Kreis or kreisfreie Stadt (district)"),
    "regierungsbezirk": ("Regierungsbezirk", "Regierungsbezirk (administrative region)"),
}
# The filter's name is the atlas's one (viewmodel.text.filter_label): "nur belegte Beitritte".
FILTER_MEANING: dict[str, Text] = {e: (filter_label(e, "de"), filter_label(e, "en")) for e in EVIDENCE_FILTERS}
KIND_MEANING: dict[str, Text] = {
    "gemeinde": ("Gemeinde oder Stadt", "Gemeinde or town"),
    "kreis": ("Kreis (Kreisverwaltung)", "Kreis (district administration)"),
    "bezirksregierung": ("Bezirksregierung (Regierungsbezirk)", "Bezirksregierung (administrative region)"),
    "landesbehoerde": ("Landesbehörde", "authority of the Land"),
    "parlament": ("Parlament", "parliament"),
    "gericht": ("Gericht", "court"),
    "verband": ("Verband", "association"),
    "gewerkschaft": ("Gewerkschaft", "trade union"),
    "sozialversicherung": ("Sozialversicherungsträger", "social insurance body"),
    "sonstige": ("sonstige Körperschaft", "other body"),
}


def event_meaning(lang: str) -> dict[str, str]:
    """The regional events (``loaders/shipped/events.csv``) and ``separate``, in words.

    Examples
    --------
    >>> event_meaning("de")["rb057"]
    'Beitritt des Regierungsbezirks Detmold am 1. Februar 2024'
    """
    events = accessions.read_events()
    de = lang == "de"
    out = {
        e: (f"Beitritt des Regierungsbezirks {region} am " if de else f"accession of the Regierungsbezirk {region} on ")
        + format_date(dt.date.fromisoformat(day), lang)
        for e, region, day in zip(events["event"], events["region"], events["date"])
    }
    out[accessions.SEPARATE] = (
        "die Quelle nennt einen eigenen Beitritt, getrennt vom Ereignis der Region"
        if de
        else "the source names an accession of its own, apart from the region's event"
    )
    return out


def allowed_values(column: str, level: str | None, lang: str) -> dict[str, str] | None:
    """The codes ``column`` may hold (``level`` of a level table, None for beitritte.csv) with their meaning.

    None for columns of free text, numbers, dates and booleans.

    Examples
    --------
    >>> list(allowed_values("status", "kreis", "en"))
    ['full', 'partial', 'undated', 'not_yet']
    >>> allowed_values("name", "kreis", "de") is None
    True
    """
    i = 0 if lang == "de" else 1

    def pick(meanings: Mapping[str, Text], codes: Sequence[str]) -> dict[str, str]:
        return {code: meanings[code][i] for code in codes}

    if column == "status" and level:
        return pick(STATUS_MEANING, STATUSES[level])
    if column == "evidence" and level:
        return pick(COVERAGE_EVIDENCE_MEANING, EVIDENCE_CLASSES)
    if column in ("evidence", "body_member_evidence"):
        return pick(EVIDENCE_MEANING, EVIDENCE_CLASSES)
    if column == "via" and level:
        return pick(VIA_MEANING, ("gemeinde", "kreis") if level == "gemeinde" else ("gemeinden",))
    if column in ("precision", "body_member_precision", "date_precision"):
        return pick(PRECISION_MEANING, PRECISIONS)
    if column == "level" and level:
        return pick(LEVEL_MEANING, (level,))
    if column == "evidence_filter":
        return pick(FILTER_MEANING, EVIDENCE_FILTERS)
    if column == "kind":
        return pick(KIND_MEANING, accessions.KINDS)
    if column == "event":
        return event_meaning(lang)
    return None


def field_text(column: str, level: str | None, lang: str) -> str | None:
    """The meaning of ``column`` in a level table (``level``) or in beitritte.csv (``level=None``); None if unknown."""
    table = UNIT_FIELDS if level else ACCESSION_FIELDS
    if column not in table:
        return None
    return table[column][0 if lang == "de" else 1]


def describe_field(column: str, level: str | None, lang: str) -> str | None:
    """Meaning and allowed values of ``column``, as one sentence for ``datapackage.json``.

    Examples
    --------
    >>> describe_field("precision", "gemeinde", "en")
    'Precision of since. Values: day = to the day; month = to the month; year = to the year; unknown = date unknown.'
    """
    text = field_text(column, level, lang)
    if text is None:
        return None
    values = allowed_values(column, level, lang)
    if values:
        text += (" Werte: " if lang == "de" else " Values: ") + "; ".join(f"{k} = {v}" for k, v in values.items()) + "."
    return text
