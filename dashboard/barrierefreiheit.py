"""The "Erklärung zur Barrierefreiheit" (BITV NRW §4) and the feedback form (§5): the page ``/barrierefreiheit``.

The statement's text is a template in ``dashboard/texts/barrierefreiheit.de.md`` / ``.en.md``
(package data; its head holds the day of the last review); the page fills its slots
(:func:`dashboard.bitv.split_template`) from what only the deployment knows —
the responsible body, the address covered, contacts besides the form
(:func:`dashboard.bitv.configured`) — and from the one list of known failures,
``dashboard/texts/barrierefreiheit.maengel.toml`` (open entries only). What is not
configured says so plainly. The page is drawn in the language of
:func:`dashboard.navigation.page_lang` (the atlas's, or ``?lang=en``).
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import accessibility, bitv, navigation, urls, webserver
from dashboard.navigation import STATEMENT, page_lang
from viewmodel.i18n import t

LOG = logging.getLogger("sid_atlas.statement")


def settings() -> bitv.Settings:
    """The accessibility settings of this deployment; a bad value is logged (it may name a server path) and left out."""
    found = bitv.configured(secrets=webserver.secrets())
    for problem in found.problems:
        LOG.warning("accessibility settings: %s", problem)
    return found


def main() -> None:
    """The Erklärung zur Barrierefreiheit page."""
    lang = page_lang()
    title = t("statement_title", lang)
    st.set_page_config(page_title=f"{title} – #sicherimDienst", layout="wide")
    st.title(title)
    configured = settings()
    reviewed, template = bitv.statement_template(lang)
    slots = {
        "scope": lambda: bitv.scope_markdown(configured, lang),
        "failures": lambda: bitv.failures_markdown(lang, bitv.open_failures(configured)),
        "dgs_state": lambda: t("statement_dgs_ready" if configured.dgs_ready else "statement_dgs_missing", lang),
        "reviewed": lambda: bitv.reviewed_words(configured, reviewed, lang),
        "contact": lambda: bitv.contact_markdown(configured, lang),
    }
    # Text slots are filled in place (one is inside a sentence); the link slot is a page link between two pieces.
    text = ""
    for kind, piece in bitv.split_template(template):
        if kind == "text" or piece in slots:
            text += piece if kind == "text" else slots[piece]()
            continue
        st.markdown(text)
        text = ""
        if piece == "easy_link":
            navigation.easy_language_link(st, lang)
    st.markdown(text)
    accessibility.feedback_form(urls.page(STATEMENT.url_path, lang), lang, key="feedback_statement")


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
