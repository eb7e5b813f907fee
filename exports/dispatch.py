"""The one entry point for every export format: a view in, the bytes of a file out.

Used by ``sid-atlas export`` and by the dashboard's download buttons, so both
give the same file for the same view. Every format is deterministic: no
timestamps, fixed ids and fixed zip entry times, so an export can be
regression-tested byte for byte. This module only chooses: the formats are
listed in :mod:`exports.formats`, the pictures drawn by :mod:`exports.mapfig`,
the data files written by :mod:`exports.datawriters`.
"""

from __future__ import annotations

import datetime as dt

from exports import datawriters, style
from exports.formats import ANIMATION_FORMATS, MAP_FORMATS, PICTURES
from loaders.coverage import Coverage
from loaders.errors import InputError
from loaders.viewstate import ViewState
from viewmodel.i18n import format_date, t


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
        One of :data:`exports.formats.FORMATS`.
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
    if picture == "timeline" and fmt not in MAP_FORMATS:
        raise InputError(f"the timeline is a picture: use --format png, svg or pdf, not {fmt}")
    if fmt == "datapackage":
        from exports.datapackage import build_package

        return build_package(cov, view, title, publisher=publisher, draft=draft)
    if fmt in MAP_FORMATS:
        # One finish for both pictures (mapfig.render_picture); the timeline's module builds on mapfig's.
        from exports import mapfig

        finish = (style.PRESETS[preset], title, subtitle, note, alt_text(cov, view, picture=picture))
        if picture == "timeline":
            from exports.timelinefig import build_timeline

            return mapfig.render_picture(build_timeline, cov, view, fmt, *finish)
        return mapfig.render_picture(mapfig.build_figure, cov, view, fmt, *finish, raster=fmt == "png")
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
    table = datawriters.file_table(cov, view)
    if fmt == "csv":
        return datawriters.csv_file(table)
    if fmt == "xlsx":
        return datawriters.xlsx_file(table, datawriters.info_rows(cov, view, title))
    if fmt == "geojson":
        return datawriters.geojson_file(table, view, style.title_for(cov, view, title))
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
