"""Shared fixtures (the real NRW data once per session) and how the suite is spread over workers.

``tests/unit`` holds the library, the command line and the exports; ``tests/app`` the dashboard
headless (AppTest); ``tests/browser`` Chromium through Playwright; ``tests/deploy`` running
servers (health probe, replicas behind nginx). Plain helper functions are in ``tests/helpers.py``.

``make test`` runs the suite in two passes: first everything that may share the machine on
both cores (``pytest -n auto --dist loadscope``: a module stays on one worker, so a
module-scoped fixture such as a headless app is built once), then the tests marked
``browser``, ``server``, ``deploy`` or ``serial`` one after another, since their time limits
assume a core of their own.
"""

from __future__ import annotations

import pytest

from loaders import store


@pytest.fixture(scope="session")
def units():
    """The validated NRW unit table from ../shared/geodata (built into the cache once)."""
    return store.load_units()


@pytest.fixture(scope="session")
def coverage():
    """The coverage model from the shipped accession data."""
    return store.load_coverage()
