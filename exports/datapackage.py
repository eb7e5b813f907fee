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
- ``beitritte.csv``: the accessions up to the Stichtag with their sources;
- ``datapackage.json`` (Frictionless Data Package, every file and field),
  ``metadata.ttl`` (DCAT-AP.de: dataset, one distribution per file, licence,
  publisher placeholder, temporal coverage, ``politicalGeocodingURI``),
  ``CITATION.cff`` and ``NAMENSNENNUNG.txt`` (the attributions the licences require).

Identical inputs give identical bytes (fixed zip times, no "created" stamps).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pandas as pd

from exports import style
from exports.data import data_table
from loaders import accessions
from loaders.coverage import Coverage
from loaders.sources import gebietsstand, manifest
from loaders.viewstate import FIRST_DAY, VIEW_LEVELS, ViewState
from viewmodel.i18n import t

LEVEL_FILES = {"gemeinde": "gemeinden.csv", "kreis": "kreise.csv", "regierungsbezirk": "regierungsbezirke.csv"}
ACCESSIONS_FILE = "beitritte.csv"
GEOJSON_FILE = "einheiten.geojson"
# Where the dataset will live; a placeholder until the publisher sets it.
DEFAULT_BASE = "https://example.org/sicherimdienst/"
PUBLISHER_PLACEHOLDER = "Herausgeber bitte eintragen"
LICENCE = {
    "name": "dl-de-by-2.0",
    "path": "https://www.govdata.de/dl-de/by-2-0",
    "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "dcat": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "spdx": "DL-DE-BY-2.0",
}
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FILE_TYPES = {"csv": "CSV", "geojson": "GEOJSON", "json": "JSON", "cff": "YAML", "txt": "TXT"}
_MEDIA = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "json": "application/json",
    "cff": "application/yaml",
    "txt": "text/plain",
}

FIELD_TEXT = {
    "ags": ("Amtlicher Gemeindeschlüssel (2, 3, 5 oder 8 Stellen)", "official municipality key (2, 3, 5 or 8 digits)"),
    "ars": ("Amtlicher Regionalschlüssel (12 Stellen)", "official regional key (12 digits)"),
    "name": ("Amtlicher Name", "official name"),
    "level": ("Ebene", "level"),
    "status": ("Status (Code)", "status (code)"),
    "status_text": ("Status in Worten", "status in words"),
    "evidence": (
        "Beleg der Abdeckung: documented (einzeln belegt) oder inferred (abgeleitet)",
        "evidence of the coverage: documented or inferred",
    ),
    "new": ("neu seit dem Vergleichsdatum", "new since the compare date"),
    "stichtag": ("Stichtag der Ansicht", "reference date of the view"),
}


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
    if name in ("ags", "ars", "key"):
        return "string"
    values = [v for v in series if not _missing(v)]
    if values and all(isinstance(v, bool) for v in values) or pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def _schema(frame: pd.DataFrame, lang: str, primary: str | None) -> dict:
    fields = []
    for name in frame.columns:
        field = {"name": name, "type": _field_type(frame[name], name)}
        if name in FIELD_TEXT:
            field["description"] = FIELD_TEXT[name][0 if lang == "de" else 1]
        if name in ("ags", "ars"):
            field["constraints"] = {"required": True, "pattern": r"\d{2,12}"}
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

    "Counted" as the model counts: a partial date from its period's end or its ``certain_by`` day.
    """
    acc = cov.accessions
    counted = acc["valid_from"].isna() | (acc["valid_from"] <= pd.Timestamp(view.date))
    rows = acc.loc[counted, list(accessions.COLUMNS)]
    return rows.astype(object).where(rows.notna(), None).reset_index(drop=True)


def build_package(cov: Coverage, view: ViewState, title: str | None = None, base: str = DEFAULT_BASE) -> bytes:
    """The zip of the view's open-data package (see the module docstring).

    Examples
    --------
    >>> import datetime as dt
    >>> from loaders import store
    >>> data = build_package(store.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())[:4]
    ['CITATION.cff', 'NAMENSNENNUNG.txt', 'beitritte.csv', 'datapackage.json']
    """
    from exports.render import _geojson

    lang = view.lang
    title = style.title_for(cov, view, title)
    files: dict[str, bytes] = {}
    resources = []
    for level in VIEW_LEVELS:
        table = level_table(cov, view, level)
        name = LEVEL_FILES[level]
        files[name] = _csv(table)
        resources.append(_resource(name, table, t(f"level_plural_{level}", lang), lang, primary="ags"))
    accessions = accession_table(cov, view)
    files[ACCESSIONS_FILE] = _csv(accessions)
    resources.append(
        _resource(
            ACCESSIONS_FILE,
            accessions,
            "Beitritte mit Quellen" if lang == "de" else "Accessions with sources",
            lang,
            primary=None,
        )
    )
    geo_table = data_table(cov, view).drop(columns=["shown", "hatched"])
    files[GEOJSON_FILE] = _geojson(geo_table, view, title)
    resources.append(
        {
            "name": "einheiten",
            "path": GEOJSON_FILE,
            "format": "geojson",
            "mediatype": "application/geo+json",
            "title": t(f"level_plural_{view.level}", lang) + " (GeoJSON, WGS84)",
        }
    )
    attribution = "\n".join(style.attribution_pieces()) + "\n"
    files["NAMENSNENNUNG.txt"] = (attribution + "\n" + gebietsstand() + "\n").encode("utf-8")
    resources.append(
        {
            "name": "namensnennung",
            "path": "NAMENSNENNUNG.txt",
            "format": "txt",
            "mediatype": "text/plain",
            "title": "Namensnennung / attribution",
        }
    )
    files["CITATION.cff"] = _citation(title, view).encode("utf-8")
    resources.append(
        {
            "name": "citation",
            "path": "CITATION.cff",
            "format": "cff",
            "mediatype": "application/yaml",
            "title": "Zitiervorschlag / how to cite",
        }
    )
    package = {
        "profile": "data-package",
        "name": f"sicherimdienst-{view.date.isoformat()}-{view.region or 'nrw'}",
        "title": title,
        "description": _description(cov, view),
        "version": view.date.isoformat(),
        "licenses": [{k: LICENCE[k] for k in ("name", "path", "title")}],
        "sources": [{"title": spec.title, "path": spec.url} for spec in manifest().values()]
        + [{"title": "#sicherimDienst: Beitritte (geodata/accessions.csv)"}],
        "resources": resources,
    }
    files["datapackage.json"] = (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files["metadata.ttl"] = dcat_turtle(cov, view, title, [n for n in files], base).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, _ZIP_EPOCH)
            info.external_attr = 0o644 << 16  # readable by everyone once unpacked
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _resource(path: str, frame: pd.DataFrame, title: str, lang: str, primary: str | None) -> dict:
    return {
        "name": path.rsplit(".", 1)[0],
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ";", "header": True},
        "schema": _schema(frame, lang, primary),
    }


def _description(cov: Coverage, view: ViewState) -> str:
    from viewmodel.model import build

    model = build(cov, view, tooltips=False)
    return f"{model.subtitle}. {model.figures_line}. {t('inferred_note', view.lang)}"


def _citation(title: str, view: ViewState) -> str:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar

    return "\n".join(
        [
            "cff-version: 1.2.0",
            f"message: {q('Bitte zitieren Sie diesen Datensatz so. / Please cite this dataset as below.')}",
            "type: dataset",
            f"title: {q(title)}",
            "authors:",
            f"  - name: {q('#sicherimDienst – ' + PUBLISHER_PLACEHOLDER)}",
            f"date-released: {view.date.isoformat()}",
            f"version: {q(view.date.isoformat())}",
            f"license: {LICENCE['spdx']}",
            "keywords:",
            "  - sicherimDienst",
            "  - Nordrhein-Westfalen",
            "  - Gewaltprävention",
            "",
        ]
    )


def political_geocoding(region: str | None) -> str:
    """The DCAT-AP.de ``politicalGeocodingURI`` of NRW or a Regierungsbezirk.

    Examples
    --------
    >>> political_geocoding(None), political_geocoding("057")
    ('http://dcat-ap.de/def/politicalGeocoding/stateKey/05', 'http://dcat-ap.de/def/politicalGeocoding/regionalKey/057000000000')
    """
    if region is None:
        return "http://dcat-ap.de/def/politicalGeocoding/stateKey/05"
    return f"http://dcat-ap.de/def/politicalGeocoding/regionalKey/{ars(region)}"


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid Turtle string literal


def dcat_turtle(cov: Coverage, view: ViewState, title: str, names: list[str], base: str = DEFAULT_BASE) -> str:
    """DCAT-AP.de metadata: one ``dcat:Dataset`` with one ``dcat:Distribution`` per file of the package."""
    lang = view.lang
    dataset = f"{base}{view.date.isoformat()}-{view.region or 'nrw'}"
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        f"<{dataset}> a dcat:Dataset ;",
        f"    dct:title {_literal(title)}@{lang} ;",
        f"    dct:description {_literal(_description(cov, view))}@{lang} ;",
        f"    dct:identifier {_literal(dataset)} ;",
        f"    dct:publisher <{base}herausgeber> ;",
        f"    dct:license <{LICENCE['dcat']}> ;",
        f"    dct:spatial <{political_geocoding(view.region)}> ;",
        f"    dcatde:politicalGeocodingURI <{political_geocoding(view.region)}> ;",
        f"    dcatde:contributorID <http://dcat-ap.de/def/contributors/{'landNordrheinWestfalen'}> ;",
        "    dct:temporal [ a dct:PeriodOfTime ;",
        f'        dcat:startDate "{FIRST_DAY.isoformat()}"^^xsd:date ;',
        f'        dcat:endDate "{view.date.isoformat()}"^^xsd:date ] ;',
        '    dcat:keyword "sicherimDienst", "Gewaltprävention", "Nordrhein-Westfalen" ;',
    ]
    if view.region is None:
        lines.append("    dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/state> ;")
    lines.append("    dcat:distribution " + ", ".join(f"<{dataset}/{name}>" for name in names) + " .")
    attribution = "; ".join(style.attribution_pieces())
    for name in names:
        extension = name.rsplit(".", 1)[1]
        lines += [
            "",
            f"<{dataset}/{name}> a dcat:Distribution ;",
            f"    dct:title {_literal(name)} ;",
            f"    dcat:accessURL <{dataset}/{name}> ;",
            f"    dcat:downloadURL <{dataset}/{name}> ;",
            f"    dcat:mediaType <https://www.iana.org/assignments/media-types/{_MEDIA[extension]}> ;",
            f"    dct:format <http://publications.europa.eu/resource/authority/file-type/{_FILE_TYPES[extension]}> ;",
            f"    dct:license <{LICENCE['dcat']}> ;",
            f"    dcatde:licenseAttributionByText {_literal(attribution)} .",
        ]
    lines += ["", f"<{base}herausgeber> a foaf:Agent ;", f"    foaf:name {_literal(PUBLISHER_PLACEHOLDER)} .", ""]
    return "\n".join(lines)
