"""Which accessions the atlas shows: a given table, else the register when one is configured, else the shipped data.

The choice is wiring of the application (the dashboard, ``sid-atlas``, the
exports they call), so it lives here, above :mod:`loaders`: ``loaders.store``
reads a file or the shipped data (:func:`loaders.store.accession_rows`) and
builds the model (:func:`loaders.store.coverage_of`) without knowing that a
register exists.

A register counts as configured only through ``$SID_ATLAS_REGISTER_URL`` or
``.streamlit/secrets.toml`` (see :func:`register.config.configured_url`);
without either, nothing here touches a database, and SQLAlchemy (0.15 s to
import) is not loaded.
"""

from __future__ import annotations

import functools
from pathlib import Path

from loaders import store
from register.config import configured_url


def accession_rows(members: Path | str | None = None):
    """:func:`accession_table`, with where the rows came from and the day they last changed (None: shipped)."""
    if members is None and configured_url() is not None:
        from register.core import open_configured

        configured = open_configured()
        if configured is not None:
            with configured:
                changed = configured.last_changed()
                return configured.table(), "register", changed.date() if changed else None
    return store.accession_rows(members)


def accession_table(members: Path | str | None = None):
    """The documented accessions: a given table, else the register when one is configured, else the shipped data."""
    return accession_rows(members)[0]


@functools.cache
def load_coverage(members: Path | str | None = None):
    """The coverage model the atlas shows, from :func:`accession_rows` (cached per process), its origin noted.

    Examples
    --------
    >>> load_coverage() is load_coverage()  # built once per process, until ``load_coverage.cache_clear()``
    True
    """
    return store.coverage_of(*accession_rows(members))
