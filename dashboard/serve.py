"""The server ``sid-atlas serve`` runs: Streamlit's ``st.App`` around ``app.py`` with :mod:`dashboard.webserver`.

Started as ``streamlit run dashboard/serve.py`` (Streamlit finds ``app`` and
serves it with uvicorn); the pages are ``app.py`` and ``pages/`` as with
``streamlit run dashboard/app.py``.
"""

import sys
from pathlib import Path

# Streamlit imports this file as a top-level module; the project's packages sit one folder up.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import webserver  # noqa: E402

app = st.App("app.py", routes=webserver.routes(), middleware=webserver.middleware(), lifespan=webserver.lifespan)
