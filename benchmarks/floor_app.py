"""The floor: one slider and one line of text, nothing else.

Whatever a Stichtag change costs here is Streamlit's own least price for a
run (session, one widget state, two elements, websocket), so ``make bench``
states the atlas's costs as multiples of it. The slider is the
dashboard's own Stichtag widget (:func:`benchmarks.apps.stichtag_slider`), so
every app is driven by the same message or key press; like the atlas, the
slider lives in a fragment, so a change reruns only that (the protocol the
atlas's Stichtag row follows). The ten-widget app of :mod:`benchmarks.trivial_app`
stays as context.

Run with ``streamlit run benchmarks/floor_app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts benchmarks/ on sys.path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from benchmarks.apps import stichtag_slider  # noqa: E402


@st.fragment
def day_view() -> None:
    day = stichtag_slider()
    st.metric("Stichtag", day.strftime("%d.%m.%Y"))


day_view()
