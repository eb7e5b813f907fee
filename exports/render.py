"""The one entry point for every export format: a view in, the bytes of a file out.

Used by ``sid-atlas export`` and by the dashboard's download buttons, so both
give the same file for the same view. Every format is deterministic: no
timestamps, fixed ids and fixed zip entry times, so an export can be
regression-tested byte for byte.
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
from loaders.errors import InputError
from loaders.sources import gebietsstand
from loaders.tables import fill_sheet as _fill_sheet
from loaders.tables import to_csv_bytes
from loaders.viewstate import ViewState
from viewmodel.i18n import format_date, t
from viewmodel.text import evidence_word, filter_label

MAP_FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif", "mp4")
DATA_FORMATS = ("csv", "xlsx", "geojson")
FORMATS = MAP_FORMATS + ("html",) + ANIMATION_FORMATS + DATA_FORMATS + ("datapackage",)
# What a picture shows: the map of the view, or its coverage over time (PNG/SVG/PDF only).
PICTURES = ("map", "timeline")
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "datapackage": "application/zip",
}
# Zip entries need some time; the earliest a zip can hold keeps XLSX files identical.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FIXED_TIME = dt.datetime(2000, 1, 1)


def export(
    cov: Coverage,
    view: ViewState,
    fmt: str,
    *,
    preset: str = "16x9",
    title: str | None = None,
    start: dt.date | None = None,
    step: str = "month",
    subtitle: str | None = None,
    note: str | None = None,
    picture: str = "map",
    publisher=None,
    draft: bool = False,
) -> bytes:
    """The file of ``view`` in ``fmt``.

    Parameters
    ----------
    cov : Coverage
        The coverage model (``register.atlasdata.load_coverage()``).
    view : ViewState
        Stichtag, compare date, level, region and evidence filter.
    fmt : str
        One of :data:`FORMATS`.
    preset : str
        Page size for maps, a key of :data:`exports.style.PRESETS`.
    title : str, optional
        Map title; empty means :func:`exports.style.default_title` of the view's region and language.
        At most three lines on the page (:class:`exports.textfit.TitleTooLong`).
    start : datetime.date, optional
        First day of an animation (gif, mp4), which ends on ``view.date``;
        defaults to ``view.compare``.
    step : str
        Frames of an animation: "month" (the first of each month) or "event"
        (each day on which coverage changes).
    subtitle, note : str, optional
        Pictures only: an Unterzeile below the title and a source note above the credits.
    picture : str
        PNG/SVG/PDF: "map" (the view's map) or "timeline" (its coverage over time).
    publisher : exports.publisher.Publisher, optional
        datapackage only: publisher, contact point and base address; required unless ``draft``.
    draft : bool
        datapackage only: a package marked as a draft in every file.

    Returns
    -------
    bytes
        Identical for identical inputs.
    """
    if picture not in PICTURES:
        raise InputError(f"unknown picture {picture!r}: choose one of {', '.join(PICTURES)}")
    if picture == "timeline":
        if fmt not in MAP_FORMATS:
            raise InputError(f"the timeline is a picture: use --format png, svg or pdf, not {fmt}")
        from exports.timelinefig import render_timeline

        return render_timeline(
            cov, view, fmt, style.PRESETS[preset], title, subtitle, note, alt_text(cov, view, picture="timeline")
        )
    if fmt == "datapackage":
        from exports.datapackage import build_package

        return build_package(cov, view, title, publisher=publisher, draft=draft)
    if fmt in MAP_FORMATS:
        from exports.mapfig import render_map

        return render_map(cov, view, fmt, style.PRESETS[preset], title, subtitle, note, alt_text(cov, view))
    if fmt == "html":
        from exports.standalone import render_html

        return render_html(cov, view, title)
    if fmt in ANIMATION_FORMATS:
        from exports import animation

        first = start or view.compare
        if first is None:
            raise InputError("an animation needs a start day (--from) before its end day")
        pictures = animation.frames(cov, view, first, style.PRESETS[preset], title, step, subtitle, note)
        alt = alt_text(cov, view, start=first)
        return animation.render_gif(pictures, alt) if fmt == "gif" else animation.render_mp4(pictures, alt)
    table = data_table(cov, view).drop(columns=["shown", "hatched"])
    if fmt == "csv":
        return to_csv_bytes(table)
    if fmt == "xlsx":
        return _xlsx(table, _info_rows(cov, view, title))
    if fmt == "geojson":
        return _geojson(table, view, style.title_for(cov, view, title))
    raise ValueError(f"unknown export format {fmt!r}")


def alt_text(cov: Coverage, view: ViewState, *, start: dt.date | None = None, picture: str = "map") -> str:
    """The alt text of a picture of ``view``: its description (:func:`viewmodel.describe.describe`).

    An animation (``start`` given) says first which period it runs through; the
    timeline (``picture="timeline"``) what its charts show and which events it marks.

    Examples
    --------
    >>> from register import atlasdata
    >>> text = alt_text(atlasdata.load_coverage(), ViewState(dt.date(2024, 2, 1), region="057"))
    >>> "1. Februar 2024" in text and "70 von 70 Gemeinden" in text
    True
    """
    from viewmodel.describe import describe
    from viewmodel.model import build

    text = describe(build(cov, view.with_(compare=None) if start else view, tooltips=False))
    if picture == "timeline":
        from loaders import accessions
        from loaders.viewstate import FIRST_DAY

        events = accessions.read_events()
        marked = [
            f"RB {r} ({format_date(dt.date.fromisoformat(d), view.lang)})"
            for r, d in zip(events["region"], events["date"])
            if dt.date.fromisoformat(d) <= view.date
        ]
        from viewmodel.charts import timeline_marks_text

        text = (
            t(
                "alt_timeline",
                view.lang,
                start=format_date(FIRST_DAY, view.lang),
                end=format_date(view.date, view.lang),
                events=", ".join(marked) or "–",
            )
            + timeline_marks_text(cov, view.date, view.lang)
            + " "
            + text
        )
    elif start is not None:
        text = (
            t("alt_animation", view.lang, start=format_date(start, view.lang), end=format_date(view.date, view.lang))
            + " "
            + text
        )
    return text


def _info_rows(cov: Coverage, view: ViewState, title: str | None) -> list[tuple[str, str]]:
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


def _xlsx(table: pd.DataFrame, info: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    _fill_sheet(sheet, [list(table.columns)] + table.astype(object).where(table.notna(), None).values.tolist())
    _fill_sheet(book.create_sheet("Info"), [list(row) for row in info])
    book.properties.created = book.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(
                zipfile.ZipInfo(item.filename, _ZIP_EPOCH),
                source.read(item.filename),
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def _geojson(table: pd.DataFrame, view: ViewState, title: str | None) -> bytes:
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
