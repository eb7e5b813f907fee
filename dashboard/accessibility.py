"""The atlas for everyone: text alternatives, table views, keyboard helpers and the feedback form.

Streamlit parts only; what they say comes from :mod:`viewmodel` (the
description, the tables, the words). The atlas page (``atlas.py``) calls these
where they belong on the page; the Erklärung page (``barrierefreiheit.py``)
uses the feedback form too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

import register
from dashboard import datatable
from dashboard.notices import plain
from loaders.errors import AtlasError
from loaders.viewstate import ViewState
from register import feedback
from viewmodel import places
from viewmodel.i18n import format_date, t
from viewmodel.model import ViewModel
from viewmodel.picture_tables import map_table, sizes_table

if TYPE_CHECKING:
    import sqlalchemy as sa

LOG = logging.getLogger("sid_atlas.feedback")
TABLE_ANCHOR = "tabelle-zur-karte"


def skip_link(lang: str, container=st) -> None:
    """A link past the map to its table (WCAG 2.4.1): keyboard users need not cross the map."""
    container.markdown(f"[{t('skip_to_table', lang)}](#{TABLE_ANCHOR})", width="content")


def place_entries(model: ViewModel) -> dict[str, str]:
    """The search entries of a level and region (read-only): once per level, region and data, not per Stichtag."""
    from dashboard import caches

    return caches.remember("places", (model.state.level, model.state.region), lambda: places.entries(model), size=32)


def place_search(model: ViewModel, container=st, on_change: Callable[[], None] | None = None) -> places.Search | None:
    """A search field for a Gemeinde or Kreis of the view; what it found (the map zooms to its ``key``).

    Enter searches. One hit (or one exact name) is shown at once; several are
    offered as a choice below the field; none says so. ``on_change`` is
    called when the query or the choice changes (the page announces the result).
    """
    lang = model.state.lang
    found = place_entries(model)
    query = container.text_input(
        t("place_search", lang),
        key="w_place_query",
        max_chars=100,
        # The label is the control's name; on screen the placeholder says it (a line less above the map on a phone).
        placeholder=f"{t('place_search', lang)} …",
        label_visibility="collapsed",
        on_change=on_change,
    )
    result = places.search(query, found, st.session_state.get("w_place_pick"))
    if result is not None and not result.hits:
        st.caption(t("place_none", lang, query=plain(result.query)))
    if result is None or not result.offered:
        return result
    shown = result.shown
    if st.session_state.get("w_place_pick") not in shown:  # another query, level or region
        st.session_state.w_place_pick = None
    label = "place_hits" if len(result.hits) <= places.MAX_HITS else "place_hits_more"
    st.radio(
        t(label, lang, n=len(result.hits), shown=len(shown)),
        shown,
        index=None,
        horizontal=True,
        key="w_place_pick",
        on_change=on_change,
    )
    return result


def map_description(model: ViewModel) -> None:
    """The view in words, collapsible under the map (the same text is the map's accessible description)."""
    # Sent once opened (the map carries the same words as its accessible description all the time).
    folded = st.expander(t("map_description", model.state.lang), key="w_map_description", on_change="rerun")
    if folded.open:
        folded.text(model.description)


def map_table_section(model: ViewModel, stamped: Callable[[pd.DataFrame], bytes] | None = None) -> None:
    """The map as a sortable table (the skip link's target), sent once asked for.

    Its heading and switch are always there; the table itself (about 110 KB
    for NRW's Gemeinden) would otherwise go to every viewer on every Stichtag
    change. Once opened it stays open and follows the map. Its CSV
    is the rows shown, with the view's stamps when ``stamped`` writes them
    (:func:`viewmodel.memberlist.view_csv`).
    """
    lang = model.state.lang
    st.header(t("map_table", lang), anchor=TABLE_ANCHOR)
    st.caption(t("map_table_note", lang))
    # Keyed: once opened, the switch stays on across Stichtag changes.
    if st.toggle(t("map_table_open", lang), key="w_map_table_open"):
        datatable.show(map_datatable(model, stamped), "map", lang)


def map_datatable(model: ViewModel, stamped: Callable[[pd.DataFrame], bytes] | None = None) -> datatable.Table:
    """The map's table as :mod:`dashboard.datatable` draws it: named by level, region and Stichtag, by name."""
    state, lang = model.state, model.state.lang
    frame = map_table(model)
    name = t("col_name", lang)
    caption = t(
        "map_table_caption",
        lang,
        units=t(f"level_plural_{state.level}", lang),
        region=model.region_name,
        date=format_date(state.date, lang),
    )
    return datatable.Table(
        frame,
        caption,
        row_header=name,
        sorted_by=(name, "ascending"),
        # Sources are German titles (press releases, local papers) in either view.
        cell_langs={t("col_source", lang): "de"},
        file_name=f"sicherimdienst-tabelle-{state.level}-{state.region or 'nrw'}-{state.date.isoformat()}.csv",
        csv=(lambda: stamped(frame)) if stamped else None,
        name=t("map_table", lang),
    )


def chart_table(label: str, key: str, table: Callable[[], datatable.Table], lang: str = "de") -> None:
    """A chart's data as a table under it, folded; built and sent only once opened."""
    # on_change="rerun": the expander reports opening, so a closed one costs one element per Stichtag change.
    folded = st.expander(label, key=key, on_change="rerun")
    if folded.open:
        datatable.show(table(), key, lang, folded)


def timeline_datatable(rows: pd.DataFrame, lang: str, file_name: str, stamped=None) -> datatable.Table:
    """The coverage chart's table (:func:`viewmodel.picture_tables.timeline_table`): one row per change day."""
    date = t("col_date", lang)
    return datatable.Table(
        rows,
        t("timeline_caption", lang),
        row_header=date,
        sorted_by=(date, "ascending"),
        file_name=file_name,
        csv=(lambda: stamped(rows)) if stamped else None,
        name=t("timeline_name", lang),
    )


def sizes_datatable(sizes: pd.DataFrame, lang: str, stamped=None) -> datatable.Table:
    """The network sizes chart's table (:func:`viewmodel.picture_tables.sizes_table`), each wording in its own language.

    The wording is the source's German quote where there is one, else the
    figure as published, noted in English (``network_sizes.csv``).
    """
    frame = sizes_table(sizes, lang)
    quoted = sizes.get("quote", pd.Series([""] * len(sizes))).fillna("").astype(str).tolist()
    return datatable.Table(
        frame,
        t("sizes_caption", lang),
        row_header=t("col_date", lang),
        cell_langs={
            t("sizes_published", lang): ["de" if quote else "en" for quote in quoted],
            t("col_source", lang): "de",
        },
        file_name="sicherimdienst-netzwerkgroesse.csv",
        csv=(lambda: stamped(frame)) if stamped else None,
        name=t("sizes_name", lang),
    )


def stamper(cov, view: ViewState, day: bool = True, evidence: bool = True) -> Callable[[pd.DataFrame], bytes]:
    """What a table's download writes: its rows with the view's stamps (:func:`viewmodel.memberlist.view_csv`).

    ``day``: the table is of the Stichtag (the map's, the members), not of every day (a chart's);
    ``evidence``: it follows the evidence filter (the network sizes do not).
    """
    from loaders import provenance
    from viewmodel.memberlist import view_csv
    from viewmodel.model import data_version

    def stamped(frame: pd.DataFrame) -> bytes:
        return view_csv(
            frame,
            view.lang,
            provenance.data_as_of(cov),
            data_version(cov),
            day=view.date if day else None,
            evidence=view.evidence if evidence else None,
        )

    return stamped


def day_buttons(container, lang: str, shift: Callable[[int], None]) -> None:
    """One day back / forward beside the date field (WCAG 2.5.7: no dragging needed); words only, to fit a phone.

    ``shift(days)`` moves the Stichtag (:meth:`dashboard.session.Session.shift`).
    """
    container.button(t("day_back", lang), key="w_day_back", on_click=shift, args=(-1,))
    container.button(t("day_forward", lang), key="w_day_forward", on_click=shift, args=(1,))


# -- feedback (BITV NRW §5) ---------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _engine(url: str) -> sa.Engine:
    from register.engine import make_engine  # the register's own connection set-up

    return make_engine(url)


def feedback_engine() -> sa.Engine:
    """The register database: the configured one, else the embedded SQLite register under ``data/``."""
    return _engine(register.configured_url() or register.default_url())


def feedback_form(url: str | Callable[[], str], lang: str, key: str = "feedback") -> None:
    """The form "Barriere oder Fehler melden"; a report is stored with ``url`` (or what it returns when sent).

    The atlas passes a function: its form stands outside the Stichtag's
    fragment (nothing in it depends on the day), and a report names the view
    shown when it is sent. A browser session sends at most
    :data:`register.feedback.PER_SESSION` reports; the address and the site
    have daily caps (:func:`register.feedback.submit`).
    """
    st.header(t("feedback", lang), anchor="barriere-melden")
    st.caption(t("feedback_intro", lang))
    with st.form(key, clear_on_submit=True, enter_to_submit=False):
        message = st.text_area(t("feedback_message", lang), max_chars=feedback.MAX_MESSAGE, key=f"w_{key}_message")
        contact = st.text_input(t("feedback_contact", lang), max_chars=feedback.MAX_CONTACT, key=f"w_{key}_contact")
        sent = st.form_submit_button(t("feedback_send", lang), icon=":material/send:")
    if not sent:
        return
    if not feedback.clean(message, feedback.MAX_MESSAGE):
        st.warning(t("feedback_empty", lang))
        return
    hidden = feedback.contact_problem(contact)
    if hidden:
        st.warning(t("feedback_contact_hidden", lang, chars=hidden))
        return
    sent_here = st.session_state.get("feedback_sent", 0)
    if sent_here >= feedback.PER_SESSION:
        st.warning(t("feedback_cap_session", lang, n=feedback.PER_SESSION))
        return
    try:
        stored = feedback.submit(
            feedback_engine(), message, url() if callable(url) else url, contact, lang, address=_reporter()
        )
    except feedback.Refused as refused:
        LOG.warning("feedback refused: cap %s reached", refused.cap)
        st.warning(t("feedback_cap_address" if refused.cap == "address" else "feedback_cap_day", lang))
        return
    except AtlasError:  # register.RegisterError among them: the database failed
        LOG.exception("feedback not stored")
        st.error(t("feedback_failed", lang))
        return
    st.session_state.feedback_sent = sent_here + 1
    st.success(t("feedback_repeated" if stored.repeated else "feedback_thanks", lang, id=stored.number))


def _reporter() -> str:
    """The client's address as :func:`dashboard.peers.client_address` names it (for the daily cap only)."""
    from dashboard.peers import client_address

    # Streamlit gives None for a client on the loopback (nginx, or a local browser).
    return client_address(st.context.ip_address or "127.0.0.1", st.context.headers)
