"""The server ``sid-atlas serve`` runs: Streamlit's ``st.App`` around ``app.py`` with :mod:`dashboard.webserver`.

``sid-atlas serve`` starts it through :func:`dashboard.webserver.run` (Streamlit's
``streamlit run`` with the server's limits); ``streamlit run dashboard/serve.py``
also works (Streamlit finds ``app`` and serves it with uvicorn), without those
uvicorn settings. The pages are those of ``app.py`` (:mod:`dashboard.navigation`),
as with ``streamlit run dashboard/app.py``. The packages are imported as
installed (``make install``).
"""

import streamlit as st

from dashboard import webserver

# Checked before the server listens: a wrong setting stops it here instead of answering 500 later.
webserver.preflight()

app = st.App(
    "app.py",
    routes=webserver.routes(),
    middleware=webserver.middleware(),
    lifespan=webserver.lifespan,
    on_script_error=webserver.script_error,
)
