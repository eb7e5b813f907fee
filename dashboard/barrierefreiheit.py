"""The "Erklärung zur Barrierefreiheit" (BITV NRW §4) and the feedback form (§5): the page ``/barrierefreiheit``.

The statement's text lives in ``dashboard/texts/barrierefreiheit.de.md`` / ``.en.md`` (package data)
(the README's "Barrierefreiheit" section says how it was assessed); the page
is drawn in the language of :func:`dashboard.navigation.page_lang` (the
atlas's, or ``?lang=en``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import accessibility
from dashboard.navigation import STATEMENT, page_lang
from viewmodel.i18n import t

TEXTS = Path(__file__).resolve().parent / "texts"


def main() -> None:
    lang = page_lang()
    title = t("statement_title", lang)
    st.set_page_config(page_title=f"{title} – #sicherimDienst", layout="wide")
    st.title(title)
    st.markdown((TEXTS / f"barrierefreiheit.{lang}.md").read_text(encoding="utf-8"))
    accessibility.feedback_form(
        f"/{STATEMENT.url_path}" + ("?lang=en" if lang == "en" else ""), lang, key="feedback_statement"
    )


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
