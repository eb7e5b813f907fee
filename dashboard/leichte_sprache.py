"""The page „Leichte Sprache“ (``/leichte-sprache``): BITV NRW § 17 (2) explanations, and the place of the DGS video.

What the atlas contains, how to use it, the essentials of the Erklärung zur
Barrierefreiheit and where to read on — in Leichter Sprache, German only (it
is a German-language requirement; the English view says so in English and
offers the German text, since German text read as English would be garbled:
WCAG 3.1.2). The text is ``dashboard/texts/leichte-sprache.de.md``; its slots are filled
from the one list of known failures (the entries with words in Leichter
Sprache) and from the deployment's settings (:mod:`dashboard.bitv`).

The DGS video comes from configuration (``SID_ATLAS_DGS_VIDEO`` and its
WebVTT captions ``SID_ATLAS_DGS_CAPTIONS``) and is served by this server:
the browser's own player with its keyboard-operable controls, not
autoplaying, captions on. Without both files the page says plainly that the
video is missing.
"""

from __future__ import annotations

import streamlit as st

from dashboard import accessibility, bitv, navigation, urls
from dashboard.barrierefreiheit import settings
from dashboard.navigation import EASY, STATEMENT, page_lang
from viewmodel.i18n import t


def _to_german() -> None:
    st.session_state.w_page_lang = False
    navigation._set_lang()


def dgs_place(configured: bitv.Settings) -> None:
    """The DGS video with captions, or the sentence that it is missing."""
    if not configured.dgs_ready:
        st.markdown(bitv.line_by_line(bitv.DGS_MISSING))
        return
    st.markdown(bitv.line_by_line(bitv.DGS_READY))
    assert configured.dgs_video is not None and configured.dgs_captions is not None
    st.video(
        str(configured.dgs_video),
        format=bitv.VIDEO_TYPES[configured.dgs_video.suffix.lower()],
        subtitles={"Deutsch": str(configured.dgs_captions)},
        autoplay=False,
        muted=False,
    )


def main() -> None:
    """The page in Leichter Sprache."""
    lang = page_lang()
    title = t(EASY.label, "de")
    st.set_page_config(page_title=f"{title} – #sicherimDienst", layout="wide")
    if lang == "en":
        st.title(t(EASY.label, "en"))
        st.markdown(t("easy_english_note", "en"))
        st.button(t("easy_read_german", "en"), on_click=_to_german, key="w_easy_german")
        navigation.page_links_to(st, [STATEMENT], "en")
        return
    st.title(title)
    configured = settings()
    slots = {
        "barriers": lambda: bitv.easy_barriers_markdown(bitv.open_failures(configured)),
        "contact": lambda: bitv.easy_contact_markdown(configured),
    }
    widgets = {
        "statement_link": lambda: navigation.page_links_to(st, [STATEMENT], "de"),
        "dgs": lambda: dgs_place(configured),
    }
    text = ""
    for kind, piece in bitv.split_template(bitv.easy_template()):
        if kind == "text" or piece in slots:
            text += piece if kind == "text" else slots[piece]()
            continue
        st.markdown(bitv.line_by_line(text))
        text = ""
        widgets[piece]()
    st.markdown(bitv.line_by_line(text))
    accessibility.feedback_form(urls.page(EASY.url_path), "de", key="feedback_easy")


if __name__ == "__main__":  # run as a page (dashboard/navigation.py); importing it draws nothing
    main()
