"""The data files of a view: its table as CSV, XLSX (with an info sheet) and GeoJSON.

Written for :func:`exports.dispatch.export` and for the open-data package
(:mod:`exports.datapackage`), which wraps the GeoJSON with its own credits. Every
cell goes through :mod:`loaders.tables` (formulas neutralised), and no file
carries a time stamp: zip entries get :data:`ZIP_EPOCH`, XLSX properties a fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd

from exports import style
from exports.data import VIEW_COLUMNS, data_table
from loaders.coverage import Coverage
from loaders.sources import gebietsstand
from loaders.tables import fill_sheet, to_csv_bytes
from loaders.viewstate import ViewState
from viewmodel.i18n import format_date, t
from viewmodel.text import evidence_word, filter_label

# Zip entries need some time; the earliest a zip can hold keeps XLSX files and packages identical.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_TIME = dt.datetime(2000, 1, 1)


def file_table(cov: Coverage, view: ViewState) -> pd.DataFrame:
    """The view's table as every data file holds it: :func:`exports.data.data_table` without the map's drawing columns."""
    return data_table(cov, view).drop(columns=["shown", "hatched"])


def csv_file(table: pd.DataFrame) -> bytes:
    """The table as CSV, formulas neutralised (:func:`loaders.tables.to_csv_bytes`)."""
    return to_csv_bytes(table)


def info_rows(cov: Coverage, view: ViewState, title: str | None) -> list[tuple[str, str]]:
    """The XLSX info sheet: what the view is, its figures with their documented part, Datenstand, version, credits."""
    from viewmodel.model import build

    lang = view.lang
    model = build(cov, view, tooltips=False)
    rows = [
        ("Titel" if lang == "de" else "Title", style.title_for(cov, view, title)),
        (t("stichtag", lang), format_date(view.date, lang)),
        (t("region", lang), model.region_name),
        (t("level", lang), t(f"level_plural_{view.level}", lang)),
        (t("evidence", lang), filter_label(view.evidence, lang)),
        ("Zahlen" if lang == "de" else "Figures", model.figures_line),
        ("Gebietsstand" if lang == "de" else "Boundaries as of", gebietsstand()),
        (t("col_data_as_of", lang), model.currency),
        (t("col_data_version", lang), model.data_version),
    ]
    if view.compare is not None:
        rows.append((t("compare", lang), format_date(view.compare, lang)))
    rows.append((evidence_word("inferred", lang), t("inferred_note", lang)))
    rows += [("Quelle" if lang == "de" else "Source", piece) for piece in style.attribution_pieces()]
    return rows


def xlsx_file(table: pd.DataFrame, info: list[tuple[str, str]]) -> bytes:
    """The table as sheet „Daten“ and ``info`` as sheet „Info“, with no time stamp."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    fill_sheet(sheet, [list(table.columns)] + table.astype(object).where(table.notna(), None).values.tolist())
    fill_sheet(book.create_sheet("Info"), [list(row) for row in info])
    book.properties.created = book.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return fixed_zip_times(buffer.getvalue())


def fixed_zip_times(data: bytes) -> bytes:
    """``data``, a zip, with every entry dated :data:`ZIP_EPOCH`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(
                zipfile.ZipInfo(item.filename, ZIP_EPOCH),
                source.read(item.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def geojson_file(table: pd.DataFrame, view: ViewState, title: str | None) -> bytes:
    """Full-resolution outlines in WGS84 with the table's columns as properties; the view's fields on top too."""
    import geopandas as gpd

    from loaders.boundaries import to_wgs84
    from loaders.store import load_units

    units = load_units()
    shapes = units.loc[units["level"] == view.level, ["key", "geometry"]]
    frame = gpd.GeoDataFrame(table.merge(shapes, on="key", validate="1:1"), geometry="geometry", crs=units.crs)
    collection = json.loads(to_wgs84(frame).to_json(drop_id=True, na="null"))
    collection["name"] = title
    collection["stand"] = view.date.isoformat()
    # Foreign members (RFC 7946 6.1): the view's fields once for the whole file, as on every feature.
    if len(table):
        collection.update({name: table[name].iat[0] for name in VIEW_COLUMNS if name in table and name != "stichtag"})
    # Foreign members are allowed by RFC 7946; the credit travels with the geometry.
    collection["attribution"] = " · ".join(style.attribution_pieces())
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
