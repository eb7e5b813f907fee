"""A benchmark app served as ``sid-atlas serve`` serves the atlas: Streamlit's ``st.App`` with our routes.

The page's data files (map geometry, tooltips, charts) come from the route
``/_sid/daten/`` of :mod:`dashboard.webserver`, which a bare ``streamlit run``
does not have; so each app of the browser part (trivial, map only, the atlas)
runs behind the same routes and middleware, and their ratios compare the apps,
not two servers. ``SID_BENCH_SCRIPT`` names the script (absolute path).
"""

import os

import streamlit as st

from dashboard import webserver

app = st.App(
    os.environ["SID_BENCH_SCRIPT"],
    routes=webserver.routes(),
    middleware=webserver.middleware(),
    lifespan=webserver.lifespan,
    on_script_error=webserver.script_error,
)
