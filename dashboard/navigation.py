"""The dashboard's pages, declared once: ``st.navigation`` runs them, the sidebar links them.

Each page is a module of this package run as a Streamlit page (``atlas.py``,
``register_page.py``, ``barrierefreiheit.py``, ``leichte_sprache.py``); :data:`PAGES` names its file,
its URL and its label. :func:`run` (called by the entry point ``app.py``)
registers them with ``st.navigation`` — Streamlit's own list stays hidden,
the sidebar shows :func:`page_links` in the page's language instead — and
runs the chosen page. The URLs are part of the interface: tests, the
sign-in redirect (``/_sid/anmelden`` → ``/register``) and the docs use them.

The page's language is the atlas's view (:func:`dashboard.session.current_view`, set by
its language toggle), else ``?lang=en`` in the address, else German. The
register, the Erklärung and „Leichte Sprache“ have the same toggle (:func:`language_toggle`).
„Leichte Sprache“ is one step from every page: a link in the sidebar, one
under the atlas's title (:func:`easy_language_link`) and one in the embed's footer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import failover, session, urls
from loaders.viewstate import LANGUAGES
from viewmodel.i18n import t

HERE = Path(__file__).resolve().parent
# Streamlit keeps "embed" for itself (``?embed=true`` hides its chrome; st.query_params never shows it),
# so the atlas's map-only view (dashboard.press) has its own parameter and the code asks for both.
EMBED_PARAM = "iframe"


def is_embed(params: Mapping[str, str]) -> bool:
    """Whether a page's parameters ask for the map-only view an embed shows (no sidebar, no links around it)."""
    return params.get(EMBED_PARAM) == "1"


@dataclass(frozen=True)
class PageSpec:
    """One page: its module file (beside this one), its URL path ("" is the home page ``/``), its label's key."""

    file: str
    url_path: str
    label: str


ATLAS = PageSpec("atlas.py", urls.ATLAS_PAGE, "page_atlas")
REGISTER = PageSpec("register_page.py", urls.REGISTER_PAGE, "page_register")
STATEMENT = PageSpec("barrierefreiheit.py", urls.STATEMENT_PAGE, "page_accessibility")
# BITV NRW § 17 (2): the start page's explanations in Leichter Sprache (and the place of the DGS video).
EASY = PageSpec("leichte_sprache.py", urls.EASY_PAGE, "page_easy_language")
PAGES = (ATLAS, REGISTER, STATEMENT, EASY)


def page_lang() -> str:
    """The language pages are drawn in: the atlas's view, else ``?lang=``, else German."""
    view = session.current_view(st.session_state)
    if view is not None:
        return view.lang
    asked = st.query_params.get("lang")
    return asked if asked in LANGUAGES else "de"


def _page(spec: PageSpec, lang: str) -> st.Page:
    return st.Page(
        HERE / spec.file,
        title=t(spec.label, lang),
        url_path=spec.url_path or None,
        default=not spec.url_path,
    )


def page_links(container, pages: list[st.Page]) -> None:
    """The sidebar's links to every page (atlas, register, Erklärung zur Barrierefreiheit, Leichte Sprache)."""
    for page in pages:
        container.page_link(page)


def page_links_to(container, specs: list[PageSpec], lang: str) -> None:
    """Links to some of the pages, inside a page's text (the sidebar has :func:`page_links`)."""
    for spec in specs:
        container.page_link(str(HERE / spec.file), label=t(spec.label, lang))


def easy_language_link(container, lang: str) -> None:
    """The link to „Leichte Sprache“ that the atlas shows under its title (one step from the start page)."""
    container.page_link(str(HERE / EASY.file), label=t(EASY.label, lang), icon=":material/menu_book:")


def _set_lang() -> None:
    """Callback of the secondary pages' toggle: the view (if any) and the address follow."""
    state = st.session_state
    lang = "en" if state.w_page_lang else "de"
    page = state.get(session.STATE_KEY)
    if page is not None:
        page.set_language(lang)
    if lang == "de":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang


def language_toggle(container, lang: str) -> None:
    """The toggle "English" of the register and the Erklärung (the atlas has its own, bound to its view)."""
    container.toggle(t("language", lang), value=lang == "en", key="w_page_lang", on_change=_set_lang)


def run() -> None:
    """Register the pages, draw the sidebar's links and run the page the address names."""
    lang = page_lang()
    pages = [_page(spec, lang) for spec in PAGES]
    current = st.navigation(pages, position="hidden")
    atlas = current.url_path == ""
    # The embedded map (``/?embed=…``, for an iframe) has no sidebar at all.
    failover.notice(lang)  # a session whose replica was lost says so once (dashboard/failover.py)
    if not (atlas and is_embed(st.query_params)):
        page_links(st.sidebar, pages)
        if not atlas:
            language_toggle(st.sidebar, lang)
            if lang != "de" and st.query_params.get("lang") != lang:
                st.query_params["lang"] = lang  # the address reproduces the page in its language
    current.run()
