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

import os
import uuid

import pytest
import sqlalchemy as sa

from loaders import store
from register import atlasdata

# The PostgreSQL server of the register tests (.ci/run starts one; scripts/test_postgres.sh prints its URL).
PG_ENV = "SID_ATLAS_TEST_PG_URL"


@pytest.fixture(scope="session")
def units():
    """The validated NRW unit table from ../shared/geodata (built into the cache once)."""
    return store.load_units()


@pytest.fixture(scope="session")
def coverage():
    """The coverage model from the shipped accession data."""
    return atlasdata.load_coverage()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request, tmp_path):
    """A factory of URLs of empty databases of one backend (a fresh PostgreSQL schema each)."""
    if request.param == "sqlite":
        paths = iter(tmp_path / f"register-{n}.sqlite" for n in range(100))
        yield lambda: f"sqlite:///{next(paths)}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is not set under CI: .ci/run starts PostgreSQL and sets it")
        pytest.skip(f"{PG_ENV} is not set (no PostgreSQL server for the register tests)")
    url = sa.make_url(base)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(url)
    schemas = []

    def make():
        schemas.append(f"register_test_{uuid.uuid4().hex[:12]}")
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schemas[-1]}")
        scoped = url.update_query_dict({"options": f"-csearch_path={schemas[-1]}"})
        return scoped.render_as_string(hide_password=False)

    yield make
    with engine.begin() as conn:
        for schema in schemas:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()
