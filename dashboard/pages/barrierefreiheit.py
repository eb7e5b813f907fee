"""The "Erklärung zur Barrierefreiheit" (BITV NRW §4) and the feedback form (§5).

The statement's text lives in ``docs/barrierefreiheit.de.md`` / ``.en.md``
(the README's "Barrierefreiheit" section says how it was assessed); the page
follows ``?lang=en`` like the atlas.
"""

from __future__ import annotations

import sys
from pathlib import Path

# A page is run on its own when opened directly: like app.py, put the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import accessibility  # noqa: E402

TITLE = {"de": "Erklärung zur Barrierefreiheit", "en": "Accessibility statement"}


def main() -> None:
    lang = "en" if st.query_params.get("lang") == "en" else "de"
    st.set_page_config(page_title=f"{TITLE[lang]} – #sicherimDienst", layout="wide")
    accessibility.page_links(st.sidebar, lang)
    st.title(TITLE[lang])
    st.markdown((ROOT / "docs" / f"barrierefreiheit.{lang}.md").read_text(encoding="utf-8"))
    accessibility.feedback_form(
        "/barrierefreiheit" + ("?lang=en" if lang == "en" else ""), lang, key="feedback_statement"
    )


main()
