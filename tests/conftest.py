"""Shared fixtures (the real NRW data once per session) and how the suite is spread over workers.

``tests/unit`` holds the library, the command line and the exports; ``tests/app`` the dashboard
headless (AppTest); ``tests/browser`` Chromium through Playwright; ``tests/deploy`` running
servers (health probe, replicas behind nginx). Plain helper functions are in ``tests/helpers.py``.

Under ``pytest -n`` (``make test``, ``--dist loadgroup``) every module runs on one worker, so a
module-scoped fixture (a started server, a headless app) is built once; tests marked ``serial``
(and everything that starts a browser or a server) share one worker, so no two of them overlap.
"""

from __future__ import annotations

import pytest

from loaders import store

#: Markers whose tests must not overlap each other: they start servers or a browser, and
#: their time limits assume a core of their own.
SERIAL_MARKERS = ("serial", "browser", "server", "deploy")


@pytest.fixture(scope="session")
def units():
    """The validated NRW unit table from ../shared/geodata (built into the cache once)."""
    return store.load_units()


@pytest.fixture(scope="session")
def coverage():
    """The coverage model from the shipped accession data."""
    return store.load_coverage()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    """Group tests for pytest-xdist's ``loadgroup``: serial ones together, the rest by module."""
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        serial = any(item.get_closest_marker(name) for name in SERIAL_MARKERS)
        item.add_marker(pytest.mark.xdist_group("serial" if serial else item.nodeid.split("::")[0]))
