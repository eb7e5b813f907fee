"""The membership register: documented accessions in a database, with their whole history.

Where it lives
    SQLite by default (``register.sqlite`` in ``$SID_ATLAS_DATA``, in a
    checkout its git-ignored ``data/``: :func:`default_path`), created and
    seeded from the shipped accession data on first use; any SQLAlchemy URL
    otherwise — PostgreSQL is the production target. :func:`configured_url`
    follows Streamlit's ``st.connection`` conventions: ``--db URL``, else
    ``$SID_ATLAS_REGISTER_URL``, else ``[connections.register]`` in
    ``.streamlit/secrets.toml`` of the working directory.

The rooms
    :mod:`register.config`
        Where the register is configured (without loading SQLAlchemy).
    :mod:`register.schema`, :mod:`register.engine`
        The tables; connections, the write lock, database errors wrapped as
        :class:`RegisterError` (so no caller needs SQLAlchemy).
    :mod:`register.core`
        :class:`Register`: reading, importing, editing, undoing.
    :mod:`register.reading`, :mod:`register.merge`
        A file read for an import; what a row makes of a membership.
    :mod:`register.sheets`, :mod:`register.partnerlist`, :mod:`register.resolve`, :mod:`register.check`
        Partner lists read within caps, names resolved to official units, the
        per-row check (also ``sid-atlas check``).
    :mod:`register.signin`, :mod:`register.feedback`
        Editors' sign-ins with brute-force counters, and the reports of the
        "Barriere oder Fehler melden" form, in the same database.
    :mod:`register.reports`
        What an import did, for the terminal.
    :mod:`register.atlasdata`
        Which accessions the atlas shows: a given table, else this register when
        one is configured, else the shipped data (:func:`register.atlasdata.load_coverage`).

One body is one membership: :func:`loaders.accessions.identity` decides, for
the shipped table, the partner-list check and the register alike. Organisations
only: people never reach the register (partner-list columns about people are
not read).

``import register`` is cheap: the names below that need the database layer
(:class:`Register`, :class:`ImportReport`, :func:`open_configured` …) load it
on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from register.config import CONNECTION_NAME, SECRETS_PATH, URL_ENV, configured_url, default_path, default_url
from register.errors import RegisterError

if TYPE_CHECKING:
    from register.core import EDITABLE, SEED_USER, ImportReport, Register, identity, open_configured
    from register.reports import render_history, render_text

_LAZY = {
    "EDITABLE": "register.core",
    "SEED_USER": "register.core",
    "ImportReport": "register.core",
    "Register": "register.core",
    "identity": "register.core",
    "open_configured": "register.core",
    "render_history": "register.reports",
    "render_text": "register.reports",
}

__all__ = [
    "CONNECTION_NAME",
    "EDITABLE",
    "SECRETS_PATH",
    "SEED_USER",
    "URL_ENV",
    "ImportReport",
    "Register",
    "RegisterError",
    "configured_url",
    "default_path",
    "default_url",
    "identity",
    "open_configured",
    "render_history",
    "render_text",
]


def __getattr__(name: str) -> Any:
    """The names that need SQLAlchemy, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module 'register' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
