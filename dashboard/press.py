"""The press part of the atlas: the export section, the embed code builder and the map-only embed view.

Nothing here builds a file on an ordinary rerun: every download hands Streamlit
a callable (run only on the click), the alt text is written only when asked
for, and the embed preview loads only when switched on. The page only measures
the title (a few cached glyph widths) so it can say before the click that it
will not fit.

The embed view (``?iframe=1``) is the map of one view and nothing else a page
around it would not want: map, legend, Stand, figures, the Datenstand (a frame
that always shows "today" says its figures are the Datenstand's), attribution
and links to the full atlas and to „Leichte Sprache“. The static embed's
picture has the view's description as its alt text. Frame it from another site by listing that site in
``$SID_ATLAS_FRAME_ANCESTORS`` (see ``dashboard/webserver.py``); it needs no
cookie, so it works with third-party cookies blocked.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import logging
from collections.abc import Callable, Mapping

import streamlit as st
import streamlit.components.v1 as components

import webparts.components
from dashboard import appconfig, urls
from dashboard.navigation import EASY, EMBED_PARAM
from dashboard.notices import plain
from exports import animation, formats
from exports.dispatch import alt_text, export
from exports.publisher import Publisher, configured
from exports.style import PRESETS, default_title
from exports.textfit import TitleTooLong
from loaders.errors import InputError
from loaders.viewstate import FIRST_DAY, ViewState
from viewmodel.i18n import format_date, t

# The page's download rows, in the order of the one list of formats (:mod:`exports.formats`).
MAP_DOWNLOADS = formats.MAP_FORMATS + formats.PAGE_FORMATS
ANIMATION_DOWNLOADS = formats.ANIMATION_FORMATS
DATA_DOWNLOADS = formats.DATA_FORMATS + formats.PACKAGE_FORMATS
TIMELINE_DOWNLOADS = formats.MAP_FORMATS
LOG = logging.getLogger("sid_atlas.press")

STATIC_PARAM = "static"
HEIGHT_PARAM = "height"
EMBED_HEIGHTS = (300, 1200)
EMBED_DEFAULT_HEIGHT = 640
# Stand, figures and the link take about this much of the iframe above and below the map.
EMBED_CHROME_PX = 170
# Streamlit's own chrome is hidden in the embed: the page around it has its own.
EMBED_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], footer { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding: 0.4rem 0.8rem 0 !important; max-width: none; }
</style>"""


# -- export ------------------------------------------------------------------------------------
def _download(
    column,
    fmt: str,
    label: str,
    cov: Callable,
    view: ViewState,
    stem: str,
    key: str,
    disabled: bool = False,
    help: str | None = None,
    **options,
) -> None:
    """A button whose file is made only when clicked, by the same ``export`` as ``sid-atlas export``."""
    # A callable as data is deferred by Streamlit until the click, so reruns never build files;
    # "ignore" because a download changes nothing on the page.
    column.download_button(
        label,
        data=lambda: export(cov(), view, fmt, **options),
        file_name=formats.file_name(stem, fmt),
        mime=formats.MEDIA_TYPES[fmt],
        key=f"w_export_{key}",
        on_click="ignore",
        disabled=disabled,
        help=help,
        icon=":material/download:",
        width="stretch",
    )


def title_problem(title: str, preset: str) -> str | None:
    """Why ``title`` will not fit a picture of ``preset`` (three lines at most), or None.

    Examples
    --------
    >>> title_problem("#sicherimDienst", "square") is None
    True
    >>> title_problem("Überschrift " * 20, "square").startswith("the title needs")
    True
    """
    from exports.mapfig import check_title

    try:
        check_title(title, PRESETS[preset])
    except TitleTooLong as error:
        return str(error)
    return None


def export_section(view: ViewState, lang: str, cov: Callable, frame_count: Callable) -> bool:
    """Title, Unterzeile, source note, page size and one download per format, all for the view the page shows.

    True when opened: it then shows the Stichtag (its files are the day's).
    """
    state = st.session_state
    st.header(t("export", lang))
    st.caption(t("export_intro", lang))
    # Nothing of the section is built (or sent) on a Stichtag change until a person asks for it.
    if not st.toggle(t("export_open", lang), key="w_export_open"):
        return False
    region_name = cov().name_of(view.region) if view.region else None
    state.setdefault("w_export_title", default_title(lang, region_name))
    state.setdefault("w_export_from", view.compare or max(FIRST_DAY, view.date - dt.timedelta(days=365)))
    if state.w_export_from and state.w_export_from > view.date:  # the Stichtag moved before it
        state.w_export_from = view.date
    left, right = st.columns([2, 1])
    title = left.text_input(t("export_title", lang), key="w_export_title", max_chars=300)
    preset = right.selectbox(
        t("export_preset", lang),
        tuple(PRESETS),
        key="w_export_preset",
        format_func=lambda name: t(f"preset_{name}", lang),
    )
    left, right = st.columns(2)
    subtitle = left.text_input(t("export_subtitle", lang), key="w_export_subtitle", max_chars=300)
    note = right.text_input(t("export_note", lang), key="w_export_note", max_chars=300)
    problem = title_problem(title or default_title(lang, region_name), preset)
    if problem:
        st.warning(t("export_title_too_long", lang), icon=":material/warning:")
    words = {"title": title, "subtitle": subtitle or None, "note": note or None}
    stem = f"sicherimdienst-{view.date.isoformat()}-{view.region or 'nrw'}-{view.level}"

    st.markdown(f"**{t('export_map', lang)}**")
    no_leaflet = bool(webparts.components.missing())
    for column, fmt in zip(st.columns(len(MAP_DOWNLOADS)), MAP_DOWNLOADS):
        if fmt == "html":
            _download(
                column,
                fmt,
                t("export_html", lang),
                cov,
                view,
                stem,
                fmt,
                disabled=no_leaflet,
                help=t("export_no_leaflet", lang) if no_leaflet else None,
                title=title,
            )
        else:
            _download(
                column,
                fmt,
                formats.LABELS[fmt],
                cov,
                view,
                f"{stem}-{preset}",
                fmt,
                disabled=bool(problem),
                preset=preset,
                **words,
            )
    _alt_text(view, lang, cov, stem)

    st.markdown(f"**{t('export_timeline', lang)}**")
    for column, fmt in zip(st.columns(len(TIMELINE_DOWNLOADS) + 1), TIMELINE_DOWNLOADS):
        # A name of its own: screen readers (and tests) tell it from the map's button.
        _download(
            column,
            fmt,
            t("export_timeline_button", lang, fmt=formats.LABELS[fmt]),
            cov,
            view,
            f"{stem}-verlauf-{preset}",
            f"timeline_{fmt}",
            disabled=bool(problem),
            preset=preset,
            picture="timeline",
            **words,
        )

    st.markdown(f"**{t('export_animation', lang)}**")
    start_column, *columns = st.columns([2, 1, 1], vertical_alignment="bottom")
    start = start_column.date_input(
        t("export_from", lang), min_value=FIRST_DAY, max_value=view.date, format="DD.MM.YYYY", key="w_export_from"
    )
    step = state.w_step_mode
    frames = frame_count(start, view.date, step, view.evidence) if start and start < view.date else 0
    usable = 1 < frames <= animation.MAX_FRAMES
    no_mp4 = importlib.util.find_spec("imageio_ffmpeg") is None
    for column, fmt in zip(columns, ANIMATION_DOWNLOADS):
        blocked = fmt == "mp4" and no_mp4
        _download(
            column,
            fmt,
            formats.LABELS[fmt],
            cov,
            view,
            f"sicherimdienst-{start}-bis-{view.date}-{preset}",
            fmt,
            disabled=not usable or blocked or bool(problem),
            help=t("export_no_mp4", lang) if blocked else None,
            preset=preset,
            start=start,
            step=step,
            **words,
        )
    st.caption(
        t("export_frames", lang, n=frames, step=t(f"step_{step}", lang))
        if usable
        else t("export_no_animation", lang, n=animation.MAX_FRAMES)
    )

    st.markdown(f"**{t('export_data', lang)}**")
    publisher, package_note = package_publisher(lang)
    for column, fmt in zip(st.columns(len(DATA_DOWNLOADS)), DATA_DOWNLOADS):
        if fmt == "datapackage":
            draft = not publisher.complete
            label = t("export_package_draft_button", lang) if draft else formats.LABELS[fmt]
            _download(
                column,
                fmt,
                label,
                cov,
                view,
                stem + ("-entwurf" if draft else ""),
                fmt,
                title=title,
                publisher=publisher,
                draft=draft,
            )
        else:
            _download(column, fmt, formats.LABELS[fmt], cov, view, stem, fmt, title=title)
    st.caption(t("export_datapackage_note", lang) + " " + package_note)
    return True


def package_publisher(lang: str) -> tuple[Publisher, str]:
    """The publisher the app's open-data package uses (the configuration's), and the sentence saying which.

    Complete: a package ready to publish. Incomplete or invalid: a draft, marked as such in
    every file. An invalid setting is logged, never shown (it may name a server path).
    """
    try:
        publisher = configured(secrets=appconfig.secrets())
    except InputError as error:
        LOG.warning("publisher settings ignored: %s", error)
        return Publisher(), t("export_package_invalid", lang)
    if publisher.complete:
        return publisher, t(
            "export_package_release",
            lang,
            name=plain(publisher.name or ""),
            url=plain(publisher.url or ""),
            email=plain(publisher.email or ""),
            base=plain(publisher.base_url or ""),
        )
    return publisher, t("export_package_draft", lang, missing=publisher.missing_words(lang))


def _alt_text(view: ViewState, lang: str, cov: Callable, stem: str) -> None:
    """The pictures' alt text: a download beside them, and shown with a copy button on request."""
    left, right = st.columns([1, 2], vertical_alignment="center")
    left.download_button(
        t("export_alt_download", lang),
        data=lambda: (alt_text(cov(), view) + "\n").encode("utf-8"),
        file_name=f"{stem}.alt.txt",
        mime="text/plain",
        key="w_export_alt",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    if right.toggle(t("export_alt_show", lang), key="w_export_alt_show", help=t("export_alt_help", lang)):
        # st.code carries Streamlit's copy button; wrapped, since alt text is prose.
        st.code(alt_text(cov(), view), language=None, wrap_lines=True)


# -- embed -------------------------------------------------------------------------------------
def embed_params(view: ViewState, *, interactive: bool, newest: bool, height: int) -> dict[str, str]:
    """URL parameters of the embed view of ``view``; without a date when it should always show the newest Stand.

    Examples
    --------
    >>> embed_params(ViewState(dt.date(2024, 2, 1), region="057"), interactive=False, newest=True, height=500)
    {'iframe': '1', 'region': '057', 'static': '1', 'height': '500', 'embed': 'true'}
    """
    params = {EMBED_PARAM: "1", **view.to_params()}
    if newest:
        params.pop("date", None)
        params.pop("compare", None)  # a compare date before a moving Stichtag would go stale
    if not interactive:
        params[STATIC_PARAM] = "1"
    params[HEIGHT_PARAM] = str(height)
    params["embed"] = "true"
    return params


def iframe_code(src: str, title: str, height: int) -> str:
    """A responsive iframe (full width, fixed height) with a ``title`` for screen readers; escaped.

    Examples
    --------
    >>> code = iframe_code("https://atlas.example/?iframe=1&region=057", 'Karte "RB"', 500)
    >>> code.split(" width=")[0]
    '<iframe src="https://atlas.example/?iframe=1&amp;region=057" title="Karte &quot;RB&quot;"'
    >>> code.split('" ', 2)[2]
    'width="100%" height="500" style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>'
    """
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" width="100%" height="{int(height)}" '
        'style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>'
    )


def _page_url() -> str | None:
    """The page's address as the browser sent it: the embed code needs its scheme and host."""
    try:
        return st.context.url
    except AttributeError:  # older Streamlit
        return None


def embed_section(view: ViewState, lang: str, title: str) -> bool:
    """ "Einbetten": the iframe code of the view on screen, its choices, and a preview on request; True when opened."""
    st.header(t("embed", lang))
    st.caption(t("embed_intro", lang))
    if not st.toggle(t("embed_open", lang), key="w_embed_open"):  # like the export: sent once asked for
        return False
    kind, stand, size = st.columns([1, 1, 1])
    interactive = (
        kind.radio(
            t("embed_kind", lang),
            ("interactive", "static"),
            key="w_embed_kind",
            format_func=lambda k: t(f"embed_{k}", lang),
        )
        == "interactive"
    )
    newest = (
        stand.radio(
            t("embed_stand", lang),
            ("fixed", "newest"),
            key="w_embed_stand",
            format_func=lambda k: t(f"embed_{k}", lang, date=format_date(view.date, lang)),
        )
        == "newest"
    )
    height = size.number_input(
        t("embed_height", lang),
        min_value=EMBED_HEIGHTS[0],
        max_value=EMBED_HEIGHTS[1],
        value=EMBED_DEFAULT_HEIGHT,
        step=20,
        key="w_embed_height",
    )
    src = urls.absolute(
        urls.atlas(embed_params(view, interactive=interactive, newest=newest, height=int(height))), _page_url()
    )
    st.code(iframe_code(src, title, int(height)), language="html", wrap_lines=True)
    st.caption(t("embed_frame_note", lang))
    if st.toggle(t("embed_preview", lang), key="w_embed_preview"):
        components.iframe(src, height=int(height))
    return True


def _embed_height(params: Mapping[str, str]) -> int:
    """The iframe's height from the URL, kept within :data:`EMBED_HEIGHTS`.

    Examples
    --------
    >>> _embed_height({"height": "99999"}), _embed_height({"height": "x"}), _embed_height({})
    (1200, 640, 640)
    """
    raw = str(params.get(HEIGHT_PARAM, ""))[:6]
    value = int(raw) if raw.isdigit() else EMBED_DEFAULT_HEIGHT
    return min(max(value, EMBED_HEIGHTS[0]), EMBED_HEIGHTS[1])


def _static_png(cov, view: ViewState) -> bytes:
    """The static embed's picture, once per view and data (:mod:`dashboard.caches`)."""
    from dashboard import caches

    return caches.remember("static_png", view, lambda: export(cov, view, "png", preset="16x9"), size=16)


def embed_page(params: Mapping[str, str], cov, view_model: Callable, attribution: str, render_map: Callable) -> None:
    """The map-only view for an iframe: Stand and figures, the map with legend and attribution (or its picture), a link to the atlas."""
    st.markdown(EMBED_CSS, unsafe_allow_html=True)
    view, _ = ViewState.from_params(params)  # a bad value falls back quietly: the host page shows no notices
    lang = view.lang
    model = view_model(view)
    height = _embed_height(params)
    if params.get(STATIC_PARAM) == "1":
        # The picture carries title, Stand, figures, legend and credits itself; its alt text is the view's
        # description (the same as the PNG's embedded one), so it is not repeated as a caption.
        st.image(_static_png(cov, view), width="stretch", alt=alt_text(cov, view))
    else:
        st.markdown(f"**{plain(model.subtitle)}**  \n{plain(model.figures_line)}")
        st.caption(plain(model.currency))
        render_map(
            model, basemap="none", attribution=attribution, key="embed-map", height=max(200, height - EMBED_CHROME_PX)
        )
    atlas = urls.view_address(view)
    # The attribution is on the map (interactive) or in the picture (static); below it only the ways out,
    # in a new tab: the full atlas must not replace the map inside someone else's page. „Leichte Sprache“
    # is one of them (BITV NRW § 17 (2): one step from every page; the embed has no sidebar).
    easy = urls.page(EASY.url_path, lang)
    st.markdown(
        f'<small><a href="{html.escape(atlas)}" target="_blank" rel="noopener">'
        f"{html.escape(t('embed_full_atlas', lang))}</a> · "
        f'<a href="{html.escape(easy)}" target="_blank" rel="noopener">'
        f"{html.escape(t(EASY.label, lang))}</a></small>",
        unsafe_allow_html=True,
    )
