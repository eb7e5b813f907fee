"""What the running app is configured with: its secrets (its base path: dashboard.urls).

A small module below the pages and the server, so that a page (:mod:`dashboard.press`)
and the data route (:mod:`dashboard.datafiles`) read them without importing the
server (:mod:`dashboard.webserver`), which imports them.
"""

from __future__ import annotations

from collections.abc import Mapping


def secrets() -> Mapping:
    """The app's secrets; none at all is a valid configuration (read-only, shipped data)."""
    import streamlit as st
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return {}
