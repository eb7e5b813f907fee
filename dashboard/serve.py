"""The server ``sid-atlas serve`` runs: Streamlit's ``st.App`` around ``app.py`` with :mod:`dashboard.webserver`.

Started as ``streamlit run dashboard/serve.py`` (Streamlit finds ``app`` and
serves it with uvicorn); the pages are those of ``app.py``
(:mod:`dashboard.navigation`), as with ``streamlit run dashboard/app.py``.
The packages are imported as installed (``make install``).
"""

import streamlit as st

from dashboard import webserver

app = st.App("app.py", routes=webserver.routes(), middleware=webserver.middleware(), lifespan=webserver.lifespan)
