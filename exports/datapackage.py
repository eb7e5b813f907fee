"""The open-data package of a view: CSV per level, GeoJSON, accessions, Frictionless and DCAT-AP.de metadata.

Modelled on the data repositories of the Robert Koch-Institut (CSV + Frictionless
table schema + DCAT-AP.de + citation file), and on what NRW's
Open-Data-Verordnung asks for (open formats, DCAT-AP.de metadata). One zip:

- ``gemeinden.csv``, ``kreise.csv``, ``regierungsbezirke.csv``: the view's table
  at each level (its region, Stichtag and evidence filter), UTF-8 with BOM,
  semicolon-separated as German spreadsheet programs expect (declared in the
  schema), keys as text with leading zeros — ``ags`` and the 12-digit
  Regionalschlüssel ``ars``;
- ``einheiten.geojson``: the units of the view's level with their status (WGS84);
- ``beitritte.csv``: the accessions up to the Stichtag with their sources; a body
  with territory carries its ``key``, a body without (Landtag, a court, a union)
  only its seat's AGS in ``sitz_ags``, so that no join attaches it to a Gemeinde;
- ``README.txt``: what the package is (view, Datenstand, data version, publisher),
  every file and every column with its meaning and allowed values;
- ``datapackage.json`` (Frictionless Data Package: every file, every field with
  its description and codes), ``metadata.ttl`` (DCAT-AP.de 2.0, see
  :func:`dcat_turtle`), ``CITATION.cff`` and ``NAMENSNENNUNG.txt`` (the credits
  the licences require, each with its licence).

A package fit to publish needs its publisher, contact point and base address
(:mod:`exports.publisher`); without them :func:`build_package` refuses, unless
asked for a *draft*: then every file says so — the data files' names start with
``entwurf-``, titles start with "ENTWURF", ``datapackage.json`` carries
``"draft": true``, the DCAT distributions ``adms:status`` UnderDevelopment,
README, credits and citation a first line saying it is not published.

The Datenstand and the data version come from :mod:`loaders.provenance`: the
temporal coverage ends at the Stichtag or the Datenstand, whichever is earlier;
``dct:modified``, ``dct:issued`` and CITATION's ``date-released`` are the data
version's date. Identical inputs give identical bytes (fixed zip times, no
"created" stamps).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import zipfile

import pandas as pd

from exports import packagedocs, style
from exports.data import data_table
from exports.datawriters import ZIP_EPOCH, file_table, geojson_file
from exports.formats import MEDIA_TYPES
from exports.publisher import Publisher, missing_message
from loaders import accessions
from loaders.coverage import Coverage
from loaders.errors import InputError
from loaders.provenance import DataAsOf, DataVersion, data_as_of, data_version
from loaders.sources import gebietsstand, manifest
from loaders.viewstate import FIRST_DAY, VIEW_LEVELS, ViewState
from viewmodel.i18n import format_date, t

LEVEL_FILES = {"gemeinde": "gemeinden.csv", "kreis": "kreise.csv", "regierungsbezirk": "regierungsbezirke.csv"}
ACCESSIONS_FILE = "beitritte.csv"
GEOJSON_FILE = "einheiten.geojson"
README_FILE = "README.txt"
CREDITS_FILE = "NAMENSNENNUNG.txt"
CITATION_FILE = "CITATION.cff"
DESCRIPTOR_FILE = "datapackage.json"
METADATA_FILE = "metadata.ttl"
DRAFT_PREFIX = "entwurf-"
SEAT_COLUMN = "sitz_ags"

# The licences of the package and its sources; ``dcat`` from the DCAT-AP.de licence list
# (http://dcat-ap.de/def/licenses/, see exports/vocabularies.ttl).
LICENCES = {
    "dl-de/by-2-0": {
        "name": "dl-de-by-2.0",
        "path": "https://www.govdata.de/dl-de/by-2-0",
        "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "dcat": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        "spdx": "DL-DE-BY-2.0",
    },
    "dl-de/zero-2-0": {
        "name": "dl-de-zero-2.0",
        "path": "https://www.govdata.de/dl-de/zero-2-0",
        "title": "Datenlizenz Deutschland – Zero – Version 2.0",
        "dcat": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
        "spdx": "DL-DE-ZERO-2.0",
    },
}
PACKAGE_LICENCE = "dl-de/by-2-0"  # BKG's data in it asks for attribution, so the package does too
LICENCE = LICENCES[PACKAGE_LICENCE]

# Controlled vocabularies of DCAT-AP.de 2.0; exports/vocabularies.ttl states each IRI's membership with its source.
# GovData's list of data providers: NRW's bodies deliver through Open.NRW (no NRW authority has an entry of its own).
CONTRIBUTOR_ID = "http://dcat-ap.de/def/contributors/openNRW"
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"  # government and public sector
LANGUAGE = {"de": "http://publications.europa.eu/resource/authority/language/DEU",
            "en": "http://publications.europa.eu/resource/authority/language/ENG"}  # fmt: skip
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
# The level vocabulary knows international, european, federal, state ("Ebene der Bundesländer"),
# administrativeDistrict ("Ebene der Landkreise") and municipality: none is a Regierungsbezirk's.
STATE_LEVEL = GEOCODING + "Level/state"
DRAFT_STATUS = "http://purl.org/adms/status/UnderDevelopment"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
_FORMATS = {  # extension -> (EU file type, IANA media type)
    "csv": ("CSV", MEDIA_TYPES["csv"]),
    "geojson": ("GEOJSON", MEDIA_TYPES["geojson"]),
    "json": ("JSON", "application/json"),
    "cff": ("YAML", "application/yaml"),
    "txt": ("TXT", "text/plain"),
}
# Distinct values of a column of words the README quotes at most.
_QUOTED_VALUES = 12

# Package words, (German, English).
WORDS = {
    "draft": ("ENTWURF", "DRAFT"),
    "draft_line": (
        "ENTWURF – nicht zur Veröffentlichung freigegeben; nicht weitergeben oder zitieren.",
        "DRAFT – not released for publication; do not pass on or cite.",
    ),
    "draft_missing": ("Es fehlen: {missing}.", "Missing: {missing}."),
    "as_of": ("Datenstand", "Data as of"),
    "as_of_unknown": ("Datenstand unbekannt (keine datierte Quelle)", "data as of: unknown (no dated source)"),
    "after_as_of": (
        "Der Stichtag liegt nach dem Datenstand: die Zahlen sind die des Datenstands; was danach geschah, ist nicht bekannt.",
        "The Stichtag lies after the data's as-of date: the figures are those of that date; nothing later is known.",
    ),
    "version": ("Datenversion", "Data version"),
    "version_line": ("{version} (Inhalts-Hash {digest}) vom {day}", "{version} (content hash {digest}) of {day}"),
    "accessions_title": ("Beitritte mit Quellen", "Accessions with sources"),
    "accessions_credit": (
        "#sicherimDienst-Beitritte: zusammengestellt aus öffentlichen Quellen (je Zeile in {file})",
        "#sicherimDienst accessions: compiled from public sources (one per row in {file})",
    ),
    "published_by": ("herausgegeben von {publisher}", "published by {publisher}"),
    "no_publisher": ("Herausgeber nicht angegeben (Entwurf)", "publisher not given (draft)"),
}
FILE_TEXT = {  # file -> (title, description), each (German, English); level files from LEVEL_MEANING
    ACCESSIONS_FILE: (
        WORDS["accessions_title"],
        (
            "Alle Beitritte, die am Stichtag gelten, und die belegten ohne Datum: einzeln belegte und aus "
            "einem regionalen Ereignis abgeleitete, jeweils mit Quelle (unabhängig vom Beleg-Filter der Ansicht).",
            "Every accession in force on the Stichtag, and the documented ones without a date: documented and "
            "inferred from a regional event, each with its source (whatever the view's evidence filter).",
        ),
    ),
    GEOJSON_FILE: (
        ("Einheiten der Ansicht (GeoJSON, WGS84)", "Units of the view (GeoJSON, WGS84)"),
        (
            "Umrisse der Einheiten der Ansichtsebene in WGS84; Eigenschaften wie die CSV-Datei dieser Ebene, mit "
            "key statt ags/ars und dem Vergleichsdatum compare.",
            "Outlines of the units of the view's level in WGS84; properties as in that level's CSV file, with "
            "key instead of ags/ars, and the compare date compare.",
        ),
    ),
    README_FILE: (
        ("Beschreibung", "Description"),
        (
            "Was das Paket enthält: Ansicht, Datenstand, Datenversion, Dateien und Spalten.",
            "What the package holds: view, data as of, data version, files and columns.",
        ),
    ),
    CREDITS_FILE: (
        ("Namensnennung", "Attribution"),
        ("Die Angaben, die die Lizenzen der Quellen verlangen.", "The credits the sources' licences require."),
    ),
    CITATION_FILE: (
        ("Zitiervorschlag", "How to cite"),
        ("Zitiervorschlag im Citation File Format (YAML).", "How to cite, in the Citation File Format (YAML)."),
    ),
    DESCRIPTOR_FILE: (
        ("Frictionless Data Package", "Frictionless Data Package"),
        (
            "Dateien, Spalten, Typen, Codes und Lizenz, maschinenlesbar.",
            "Files, columns, types, codes and licence, machine-readable.",
        ),
    ),
    METADATA_FILE: (
        ("DCAT-AP.de-Metadaten", "DCAT-AP.de metadata"),
        ("Metadaten nach DCAT-AP.de 2.0 (Turtle).", "Metadata after DCAT-AP.de 2.0 (Turtle)."),
    ),
}


def draft_line(publisher: Publisher, lang: str) -> str:
    """The first line of every file of a draft: not released, and what is missing for a release.

    Examples
    --------
    >>> draft_line(Publisher(name="Testbehörde NRW"), "en")
    "DRAFT – not released for publication; do not pass on or cite. Missing: publisher's website, contact, address of the files."
    """
    text = w("draft_line", lang)
    if publisher.complete:  # a draft by request
        return text
    return f"{text} {w('draft_missing', lang, missing=publisher.missing_words(lang))}"


def w(key: str, lang: str, **fields) -> str:
    """A package word in ``lang``."""
    text = WORDS[key][0 if lang == "de" else 1]
    return text.format(**fields) if fields else text


@dataclasses.dataclass(frozen=True)
class PackageFacts:
    """What every file of one package states about it."""

    view: ViewState
    title: str
    name: str  # the package's name, also its folder under the base address
    publisher: Publisher
    draft: bool
    as_of: DataAsOf | None
    version: DataVersion

    @property
    def lang(self) -> str:
        """The language of the package's words (the view's)."""
        return self.view.lang

    @property
    def version_label(self) -> str:
        """The data version as one token: human version + content hash (``2025.1+a1b2c3d4e5f6``)."""
        return f"{self.version.version}+{self.version.digest}"

    @property
    def end(self) -> dt.date:
        """The last day the package's data speaks for: the Stichtag, or the Datenstand if earlier."""
        return min(self.view.date, self.as_of.day) if self.as_of else self.view.date

    @property
    def folder(self) -> str | None:
        """The address the package's files are published under (None for a draft without base address)."""
        return f"{self.publisher.base_url}{self.name}/" if self.publisher.base_url else None


def ars(key: str) -> str:
    """The 12-digit Regionalschlüssel of an NRW key (Land, Regierungsbezirk, Kreis or Gemeinde).

    NRW has no Gemeindeverbände, so every Gemeinde is "verbandsfrei": its
    Verband digits are 0 and its own three digits (Destatis' rule), e.g.
    Lage 05766040 → 057660040040, Köln 05315000 → 053150000000.

    Examples
    --------
    >>> [ars(k) for k in ("05", "057", "05766", "05766040", "05315000")]
    ['050000000000', '057000000000', '057660000000', '057660040040', '053150000000']
    """
    if len(key) == 8:
        return key[:5] + "0" + key[5:] + key[5:]
    return key.ljust(12, "0")


def _csv(frame: pd.DataFrame) -> bytes:
    """Semicolon CSV, UTF-8 with BOM; booleans as true/false; empty cells for nothing; formulas neutralised."""
    from loaders.tables import csv_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow(
            ["" if _missing(v) else ("true" if v is True else "false" if v is False else csv_safe(v)) for v in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _field_type(series: pd.Series, name: str) -> str:
    if name in ("ags", "ars", "key", SEAT_COLUMN):
        return "string"
    values = [v for v in series if not _missing(v)]
    if values and all(isinstance(v, bool) for v in values) or pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _schema(frame: pd.DataFrame, level: str | None, lang: str, primary: str | None) -> dict:
    """The table schema: every field with its description and, for a coded column, its codes."""
    fields = []
    for name in frame.columns:
        field = {"name": name, "type": _field_type(frame[name], name)}
        description = packagedocs.describe_field(name, level, lang)
        if description:
            field["description"] = description
        values = packagedocs.allowed_values(name, level, lang)
        if values and field["type"] == "string":
            field["constraints"] = {"enum": list(values)}
        if name in ("ags", "ars"):
            field["constraints"] = {"required": True, "pattern": r"\d{2,12}"}
        if name in ("key", SEAT_COLUMN):
            field["constraints"] = {"pattern": r"\d{2,8}"}
        if field["type"] == "boolean":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    if primary:
        schema["primaryKey"] = [primary]
    return schema


def level_table(cov: Coverage, view: ViewState, level: str) -> pd.DataFrame:
    """The view's table at ``level`` with ``ags`` and ``ars`` first (the picture's helper columns dropped)."""
    table = data_table(cov, view.with_(level=level)).drop(columns=["shown", "hatched", "compare"])
    table = table.rename(columns={"key": "ags"})
    table.insert(1, "ars", table["ags"].map(ars))
    # Nullable booleans would be written as 1.0/0.0 by pandas: keep them as Python objects.
    for column in ("body_member", "body_member_undated", "new"):
        if column in table:
            table[column] = table[column].astype(object)
    return table


def accession_table(cov: Coverage, view: ViewState) -> pd.DataFrame:
    """Every accession counted by the Stichtag (and the undated ones), with its source, in the shipped schema.

    "Counted" as the model counts: a partial date from its period's end or its ``certain_by`` day. A body
    without territory keeps its seat's AGS in ``sitz_ags`` (after ``key``), and ``key`` stays empty: its
    membership covers no Gemeinde, so no join on a key may attach it to one.

    Examples
    --------
    >>> from register import atlasdata
    >>> table = accession_table(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1)))
    >>> table.loc[table["name"] == "Landtag NRW", ["kind", "key", "sitz_ags"]].to_dict("records")
    [{'kind': 'parlament', 'key': None, 'sitz_ags': '05111000'}]
    """
    acc = cov.accessions
    counted = acc["valid_from"].isna() | (acc["valid_from"] <= pd.Timestamp(view.date))
    rows = acc.loc[counted, list(accessions.COLUMNS)].reset_index(drop=True)
    territorial = rows["kind"].isin(list(accessions.TERRITORIAL_KINDS))
    rows.insert(rows.columns.get_loc("key") + 1, SEAT_COLUMN, rows["key"].where(~territorial, None))
    rows["key"] = rows["key"].where(territorial, None)
    return rows.astype(object).where(rows.notna() & (rows != ""), None)


def build_package(
    cov: Coverage,
    view: ViewState,
    title: str | None = None,
    publisher: Publisher | None = None,
    draft: bool = False,
) -> bytes:
    """The zip of the view's open-data package (see the module docstring).

    Parameters
    ----------
    publisher : Publisher, optional
        Publisher, contact point and base address (:func:`exports.publisher.configured`).
    draft : bool
        Build a package marked as a draft in every file, with whatever of the publisher is known.

    Raises
    ------
    InputError
        The publisher is incomplete and ``draft`` is not set.

    Examples
    --------
    >>> import datetime as dt
    >>> from register import atlasdata
    >>> data = build_package(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"), draft=True)
    >>> sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[:4]
    ['CITATION.cff', 'NAMENSNENNUNG.txt', 'README.txt', 'datapackage.json']
    """
    publisher = publisher or Publisher()
    if not draft and not publisher.complete:
        raise InputError(missing_message(publisher))
    lang = view.lang
    prefix = DRAFT_PREFIX if draft else ""
    facts = PackageFacts(
        view=view,
        title=(w("draft", lang) + " – " if draft else "") + style.title_for(cov, view, title),
        name=f"sicherimdienst-{view.date.isoformat()}-{view.region or 'nrw'}" + ("-entwurf" if draft else ""),
        publisher=publisher,
        draft=draft,
        as_of=data_as_of(cov),
        version=data_version(cov),
    )
    files: dict[str, bytes] = {}
    resources: list[dict] = []
    tables: dict[str, tuple[str | None, pd.DataFrame]] = {}
    for level in VIEW_LEVELS:
        table = level_table(cov, view, level)
        name = prefix + LEVEL_FILES[level]
        files[name], tables[name] = _csv(table), (level, table)
        resources.append(_table_resource(name, table, level, t(f"level_plural_{level}", lang), lang, "ags"))
    table = accession_table(cov, view)
    name = prefix + ACCESSIONS_FILE
    files[name], tables[name] = _csv(table), (None, table)
    resources.append(_table_resource(name, table, None, w("accessions_title", lang), lang, None))
    name = prefix + GEOJSON_FILE
    files[name] = _geojson(cov, facts)
    resources.append(_resource(name, GEOJSON_FILE, lang))
    credits = credit_lines(facts)
    files[README_FILE] = readme(cov, facts, tables, credits).encode("utf-8")
    resources.append(_resource(README_FILE, README_FILE, lang))
    lines = ([draft_line(facts.publisher, lang), ""] if draft else []) + credits + ["", gebietsstand()]
    files[CREDITS_FILE] = ("\n".join(lines) + "\n").encode("utf-8")
    resources.append(_resource(CREDITS_FILE, CREDITS_FILE, lang))
    files[CITATION_FILE] = citation(cov, facts).encode("utf-8")
    resources.append(_resource(CITATION_FILE, CITATION_FILE, lang))
    files[DESCRIPTOR_FILE] = (
        json.dumps(_descriptor(cov, facts, resources), ensure_ascii=False, indent=1) + "\n"
    ).encode()
    files[METADATA_FILE] = dcat_turtle(cov, facts, files, credits).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.external_attr = 0o644 << 16  # readable by everyone once unpacked
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def file_title(path: str, lang: str) -> str:
    """The title of a file of the package (its name without the draft prefix decides)."""
    i = 0 if lang == "de" else 1
    plain = path.removeprefix(DRAFT_PREFIX)
    level = next((lv for lv, f in LEVEL_FILES.items() if f == plain), None)
    if level:
        return t(f"level_plural_{level}", lang)
    return FILE_TEXT[plain][0][i]


def file_description(path: str, lang: str, view: ViewState) -> str:
    """What a file of the package holds, in ``lang``, for the view it was written for."""
    i = 0 if lang == "de" else 1
    plain = path.removeprefix(DRAFT_PREFIX)
    level = next((lv for lv, f in LEVEL_FILES.items() if f == plain), None)
    if level:
        unit = packagedocs.LEVEL_MEANING[level][i]
        return (
            f"Eine Zeile je Einheit der Ebene {unit} in der Region der Ansicht, am Stichtag, mit Abdeckung, Beleg und Quellen."
            if lang == "de"
            else f"One row per unit of the level {unit} in the view's region, on the Stichtag, with coverage, evidence and sources."
        )
    return FILE_TEXT[plain][1][i]


def _resource(path: str, plain: str, lang: str) -> dict:
    extension = plain.rsplit(".", 1)[1]
    return {
        "name": path.rsplit(".", 1)[0].lower().replace("_", "-"),
        "path": path,
        "format": extension,
        "mediatype": _FORMATS[extension][1],
        "title": file_title(path, lang),
    }


def _table_resource(path: str, frame: pd.DataFrame, level: str | None, title: str, lang: str, primary) -> dict:
    return {
        "name": path.rsplit(".", 1)[0],
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ";", "header": True},
        "schema": _schema(frame, level, lang, primary),
    }


def _geojson(cov: Coverage, facts: PackageFacts) -> bytes:
    """The view's units with the package's credits, Datenstand, data version and draft mark as foreign members."""
    view = facts.view
    table = file_table(cov, view)
    collection = json.loads(geojson_file(table, view, facts.title))
    collection["attribution"] = " · ".join(credit_lines(facts))
    collection["data_as_of"] = _as_of_record(facts)
    collection["data_version"] = _version_record(facts)
    if facts.draft:
        collection["draft"] = True
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _as_of_record(facts: PackageFacts) -> dict | None:
    return {"day": facts.as_of.day.isoformat(), "source": facts.as_of.source} if facts.as_of else None


def _version_record(facts: PackageFacts) -> dict:
    v = facts.version
    return {"version": v.version, "digest": v.digest, "day": _iso(v.day)}


def _iso(day: dt.date) -> str | None:
    return None if day == dt.date.min else day.isoformat()


def credit_lines(facts: PackageFacts) -> list[str]:
    """The credits the licences require, each naming its licence: BKG (dl-de/by-2-0), DVG2 (dl-de/zero-2-0), the accessions.

    The source's own credit (``loaders/shipped/sources.toml``) comes first, then its licence's
    identifier if the credit does not name it already, title and address.
    """
    specs = manifest()
    lines = []
    # BKG's credit is mandatory (dl-de/by-2-0), so it comes first; DVG2's is a courtesy.
    for spec in (specs["vg250_ew_nrw"], specs["dvg2"]):
        lines.append(_with_licence(spec.attribution.strip(), spec.licence))
    lines.append(_with_licence(accessions_credit(facts), PACKAGE_LICENCE))
    return lines


def accessions_credit(facts: PackageFacts) -> str:
    """The credit of the accession data: compiled from public sources, and by whom it is published."""
    credit = w("accessions_credit", facts.lang, file=_name(facts, ACCESSIONS_FILE))
    if facts.publisher.name:
        return f"{credit}, {w('published_by', facts.lang, publisher=facts.publisher.name)}"
    return f"{credit}; {w('no_publisher', facts.lang)}"


def _with_licence(credit: str, licence: str) -> str:
    """``credit``, its licence's identifier unless it names it, title and address.

    Examples
    --------
    >>> _with_licence("Verwaltungsgrenzen: Land NRW, dl-de/zero-2-0", "dl-de/zero-2-0")
    'Verwaltungsgrenzen: Land NRW, dl-de/zero-2-0 – Datenlizenz Deutschland – Zero – Version 2.0, https://www.govdata.de/dl-de/zero-2-0'
    """
    known = LICENCES[licence]
    named = credit if licence in credit else f"{credit}, {licence}"
    return f"{named} – {known['title']}, {known['path']}"


def _name(facts: PackageFacts, plain: str) -> str:
    return (DRAFT_PREFIX if facts.draft else "") + plain


def _descriptor(cov: Coverage, facts: PackageFacts, resources: list[dict]) -> dict:
    lang = facts.lang
    package: dict = {
        "profile": "data-package",
        "name": facts.name,
        "title": facts.title,
        "description": description(cov, facts),
        "version": facts.version_label,
        "stichtag": facts.view.date.isoformat(),
        "data_as_of": _as_of_record(facts),
        "data_version": _version_record(facts),
    }
    if facts.draft:
        package["draft"] = True
    if facts.folder:
        package["homepage"] = facts.folder
    if facts.publisher.name:
        contributor = {"title": facts.publisher.name, "role": "publisher"}
        if facts.publisher.email:
            contributor["email"] = facts.publisher.email
        if facts.publisher.url:
            contributor["path"] = facts.publisher.url
        package["contributors"] = [contributor]
    package |= {
        "keywords": keywords(lang),
        "licenses": [{k: LICENCE[k] for k in ("name", "path", "title")}],
        "sources": [
            {"title": f"{spec.title} – {LICENCES[spec.licence]['title']} ({spec.licence})", "path": spec.url}
            for spec in manifest().values()
        ]
        + [{"title": _with_licence(accessions_credit(facts), PACKAGE_LICENCE)}],
        "resources": resources,
    }
    return package


def _publisher_name(facts: PackageFacts) -> str:
    return facts.publisher.name or w("no_publisher", facts.lang)


def keywords(lang: str) -> list[str]:
    """The package's keywords in ``lang``."""
    return (
        ["sicherimDienst", "Gewaltprävention", "öffentlicher Dienst", "Nordrhein-Westfalen"]
        if lang == "de"
        else ["sicherimDienst", "violence prevention", "public service", "North Rhine-Westphalia"]
    )


def as_of_sentence(facts: PackageFacts) -> str:
    """ "Datenstand: 1. Februar 2024 (Quelle …). Datenversion …" in the package's language."""
    lang, as_of = facts.lang, facts.as_of
    if as_of is None:
        return f"{w('as_of_unknown', lang)}. {w('version', lang)}: {_version_line(facts)}."
    text = f"{w('as_of', lang)}: {format_date(as_of.day, lang)} ({as_of.source})."
    if facts.view.date > as_of.day:
        text += " " + w("after_as_of", lang)
    return f"{text} {w('version', lang)}: {_version_line(facts)}."


def _version_line(facts: PackageFacts) -> str:
    v = facts.version
    day = format_date(v.day, facts.lang) if v.day != dt.date.min else "–"
    return w("version_line", facts.lang, version=v.version, digest=v.digest, day=day)


def description(cov: Coverage, facts: PackageFacts) -> str:
    """The package in a few sentences: the view's subtitle and figures (the view model's), Datenstand, data version."""
    from viewmodel.model import build

    model = build(cov, facts.view, tooltips=False)
    draft = draft_line(facts.publisher, facts.lang) + " " if facts.draft else ""
    return f"{draft}{model.subtitle}. {model.figures_line}. {t('inferred_note', facts.lang)} {as_of_sentence(facts)}"


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def citation(cov: Coverage, facts: PackageFacts) -> str:
    """CITATION.cff: the publisher as author, the data version as version, its date as date-released."""
    p = facts.publisher
    message = "Bitte zitieren Sie diesen Datensatz so. / Please cite this dataset as below."
    if facts.draft:
        message = draft_line(p, "de") + " / " + draft_line(p, "en")
    entity = [f"  - name: {_yaml(_publisher_name(facts))}"]
    if p.url:
        entity.append(f"    website: {_yaml(p.url)}")
    if p.email:
        entity.append(f"    email: {_yaml(p.email)}")
    lines = [
        "cff-version: 1.2.0",
        f"message: {_yaml(message)}",
        "type: dataset",
        f"title: {_yaml(facts.title)}",
        f"abstract: {_yaml(description(cov, facts))}",
        "authors:",
        *entity,
    ]
    if p.email or p.url:
        lines += ["contact:", *entity]
    if facts.version.day != dt.date.min:
        lines.append(f"date-released: {facts.version.day.isoformat()}")
    lines.append(f"version: {_yaml(facts.version_label)}")
    if facts.folder:
        lines.append(f"url: {_yaml(facts.folder)}")
    lines += [f"license: {LICENCE['spdx']}", "keywords:", *[f"  - {_yaml(k)}" for k in keywords(facts.lang)], ""]
    return "\n".join(lines)


# -- README ------------------------------------------------------------------------------------------------------
def readme(cov: Coverage, facts: PackageFacts, tables: dict[str, tuple[str | None, pd.DataFrame]], credits) -> str:
    """README.txt: the package, its view, Datenstand and version, publisher, files and every column."""
    lang, view = facts.lang, facts.view
    de = lang == "de"
    out: list[str] = []
    if facts.draft:
        out += [draft_line(facts.publisher, lang), ""]
    out += [facts.title, "=" * min(len(facts.title), 80), "", description(cov, facts), ""]

    out += _heading("Ansicht" if de else "View")
    from viewmodel.model import build

    rows = [
        (t("stichtag", lang), format_date(view.date, lang)),
        (t("region", lang), build(cov, view, tooltips=False).region_name),
        (t("level", lang) + (" (GeoJSON)"), t(f"level_plural_{view.level}", lang)),
        (
            "Beleg-Filter" if de else "Evidence filter",
            f"{view.evidence} – {packagedocs.FILTER_MEANING[view.evidence][0 if de else 1]}",
        ),
    ]
    if view.compare:
        rows.append((t("compare", lang), format_date(view.compare, lang)))
    rows += [
        (w("as_of", lang), f"{format_date(facts.as_of.day, lang)} – {facts.as_of.source}" if facts.as_of else "–"),
        (w("version", lang), _version_line(facts)),
        ("Gebietsstand" if de else "Boundaries as of", gebietsstand()),
    ]
    out += [f"{k}: {v}" for k, v in rows] + [""]

    out += _heading("Herausgeber" if de else "Publisher")
    p = facts.publisher
    out += [
        f"{'Name' if de else 'Name'}: {p.name or '–'}",
        f"{'Webseite' if de else 'Website'}: {p.url or '–'}",
        f"{'Kontakt' if de else 'Contact'}: {p.email or '–'}",
        f"{'Adresse der Dateien' if de else 'Address of the files'}: {facts.folder or '–'}",
        "",
    ]

    out += _heading("Dateien" if de else "Files")
    names = [
        *tables,
        _name(facts, GEOJSON_FILE),
        README_FILE,
        CREDITS_FILE,
        CITATION_FILE,
        DESCRIPTOR_FILE,
        METADATA_FILE,
    ]
    for name in names:
        out.append(f"{name} – {file_title(name, lang)}: {file_description(name, lang, view)}")
    out += [
        "",
        "CSV: UTF-8 mit BOM, Semikolon, erste Zeile = Spaltennamen; leere Zelle = kein Wert; Wahrheitswerte true/false; "
        "Schlüssel als Text mit führender Null; Text, den eine Tabellenkalkulation als Formel ausführen würde "
        "(= + - @ am Anfang), beginnt mit einem Apostroph."
        if de
        else "CSV: UTF-8 with BOM, semicolon, first row = column names; empty cell = no value; booleans true/false; "
        "keys as text with their leading zero; text a spreadsheet would run as a formula (= + - @ first) starts "
        "with an apostrophe.",
        "",
    ]

    level_files = {name: pair for name, pair in tables.items() if pair[0]}
    out += _columns(level_files, lang) + _columns({n: p for n, p in tables.items() if n not in level_files}, lang)

    out += _heading("Lizenz und Namensnennung" if de else "Licence and attribution")
    out += [
        (f"Lizenz des Pakets: {LICENCE['title']} ({PACKAGE_LICENCE}), {LICENCE['path']}"
         if de else f"Licence of the package: {LICENCE['title']} ({PACKAGE_LICENCE}), {LICENCE['path']}"),
        *credits,
        "",
        ("Zitieren: siehe CITATION.cff." if de else "How to cite: see CITATION.cff."),
    ]  # fmt: skip
    return "\n".join(out) + "\n"


def _columns(tables: dict[str, tuple[str | None, pd.DataFrame]], lang: str) -> list[str]:
    """The README's column list of tables with the same columns: meaning, then codes (per file where they differ)."""
    de = lang == "de"
    out = _heading(("Spalten von " if de else "Columns of ") + ", ".join(tables))
    first = next(iter(tables.values()))[1]
    for column in first.columns:
        level = next(iter(tables.values()))[0]
        out.append(f"{column}: {packagedocs.field_text(column, level, lang) or '–'}")
        codes = {name: packagedocs.allowed_values(column, lv, lang) for name, (lv, _) in tables.items()}
        distinct = {json.dumps(v, sort_keys=True) for v in codes.values()}
        for name, values in codes.items() if len(distinct) > 1 else list(codes.items())[:1]:
            indent = "    "
            if len(distinct) > 1:
                out.append(f"    {name}:")
                indent = "        "
            out += [f"{indent}{code} = {meaning}" for code, meaning in (values or {}).items()]
        if column == "status_text":
            for name, (_, table) in tables.items():
                quoted = sorted({str(v) for v in table[column] if not _missing(v)})
                if len(quoted) <= _QUOTED_VALUES:
                    words = "; ".join(f"„{q}“" if de else f'"{q}"' for q in quoted)
                    out.append(f"    in {name}: {words or '–'}")
    return out + [""]


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text)]


# -- DCAT-AP.de ------------------------------------------------------------------------------------------------------
def political_geocoding(region: str | None) -> str:
    """The DCAT-AP.de ``politicalGeocodingURI`` of the package's own area: NRW's state key or a Regierungsbezirk's.

    Examples
    --------
    >>> political_geocoding(None), political_geocoding("057")
    ('http://dcat-ap.de/def/politicalGeocoding/stateKey/05', 'http://dcat-ap.de/def/politicalGeocoding/governmentDistrictKey/057')
    """
    if region is None:
        return GEOCODING + "stateKey/05"
    return GEOCODING + f"governmentDistrictKey/{region}"


def political_geocoding_level(region: str | None) -> str | None:
    """The ``politicalGeocodingLevelURI``: the state level for NRW; none for a Regierungsbezirk.

    The vocabulary (http://dcat-ap.de/def/politicalGeocoding/Level/) has no level between
    "Ebene der Bundesländer" and "Ebene der Landkreise" (administrativeDistrict): naming
    either would say the package covers a Land or a Kreis. Its key says what it covers.
    """
    return STATE_LEVEL if region is None else None


def _literal(text: str, lang: str | None = None) -> str:
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a valid Turtle string literal
    return f"{quoted}@{lang}" if lang else quoted


def _date(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def dcat_turtle(cov: Coverage, facts: PackageFacts, files: dict[str, bytes], credits: list[str]) -> str:
    """DCAT-AP.de 2.0 metadata: one ``dcat:Dataset`` with one ``dcat:Distribution`` per file of the package.

    Every IRI from a controlled vocabulary is listed, with its source, in ``exports/vocabularies.ttl``.
    A draft without base address names its files relative to this file (they lie beside it).
    """
    lang, view, p = facts.lang, facts.view, facts.publisher

    def iri(path: str = "") -> str:
        return f"<{facts.folder}{path}>" if facts.folder else f"<{path or './'}>"

    lines = [
        f"# {draft_line(p, lang)}" if facts.draft else f"# {facts.title}",
        "@prefix adms: <http://www.w3.org/ns/adms#> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"{iri()} a dcat:Dataset ;",
        f"    dct:title {_literal(facts.title, lang)} ;",
        f"    dct:description {_literal(description(cov, facts), lang)} ;",
        f"    dct:identifier {_literal(facts.folder or facts.name)} ;",
        f"    dcat:theme <{THEME}> ;",
        f"    dct:language <{LANGUAGE[lang]}> ;",
        "    dcat:keyword " + ", ".join(_literal(k, lang) for k in keywords(lang)) + " ;",
        f"    dct:license <{LICENCE['dcat']}> ;",
        f"    dct:spatial <{political_geocoding(view.region)}> ;",
        f"    dcatde:politicalGeocodingURI <{political_geocoding(view.region)}> ;",
        f"    dcatde:contributorID <{CONTRIBUTOR_ID}> ;",
        "    dct:temporal [ a dct:PeriodOfTime ;",
        f"        dcat:startDate {_date(FIRST_DAY)} ;",
        f"        dcat:endDate {_date(facts.end)} ] ;",
        f"    owl:versionInfo {_literal(facts.version_label)} ;",
        f"    adms:versionNotes {_literal(as_of_sentence(facts), lang)} ;",
    ]
    level = political_geocoding_level(view.region)
    if level:
        lines.append(f"    dcatde:politicalGeocodingLevelURI <{level}> ;")
    if facts.version.day != dt.date.min:
        lines += [f"    dct:issued {_date(facts.version.day)} ;", f"    dct:modified {_date(facts.version.day)} ;"]
    if p.name:
        agent = [f"foaf:name {_literal(p.name)}"]
        if p.url:
            agent.append(f"foaf:homepage <{p.url}>")
        if p.email:
            agent.append(f"foaf:mbox <mailto:{p.email}>")
        lines.append("    dct:publisher [ a foaf:Agent, foaf:Organization ; " + " ; ".join(agent) + " ] ;")
    if p.email or p.url:
        kind = [f"vcard:fn {_literal(p.name)}"] if p.name else []
        if p.email:
            kind.append(f"vcard:hasEmail <mailto:{p.email}>")
        if p.url:
            kind.append(f"vcard:hasURL <{p.url}>")
        lines.append("    dcat:contactPoint [ a vcard:Kind, vcard:Organization ; " + " ; ".join(kind) + " ] ;")
    names = [name for name in files if name != METADATA_FILE]
    lines.append("    dcat:distribution " + ", ".join(iri(name) for name in names) + " .")
    attribution = "; ".join(credits)
    for name in names:
        extension = name.rsplit(".", 1)[1]
        file_type, media = _FORMATS[extension]
        lines += [
            "",
            f"{iri(name)} a dcat:Distribution ;",
            f"    dct:title {_literal(f'{file_title(name, lang)} ({name})', lang)} ;",
            f"    dct:description {_literal(file_description(name, lang, view), lang)} ;",
            f"    dcat:accessURL {iri(name)} ;",
            f"    dcat:downloadURL {iri(name)} ;",
            f"    dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;",
            f"    dct:format <{FILE_TYPE}{file_type}> ;",
            f'    dcat:byteSize "{len(files[name])}"^^xsd:decimal ;',
            f"    dct:license <{LICENCE['dcat']}> ;",
        ]
        if facts.draft:
            lines.append(f"    adms:status <{DRAFT_STATUS}> ;")
        lines.append(f"    dcatde:licenseAttributionByText {_literal(attribution)} .")
    return "\n".join(lines) + "\n"
