"""Backing up the register with ``pg_dump`` and restoring it with ``pg_restore``, as docs/operations.md says.

The register is the atlas's only state: memberships with their whole history,
editors' accounts, sign-in counters, feedback. A custom-format ``pg_dump``
holds all of it; after the schema is lost, ``pg_restore`` brings back a
register whose export, history and accounts are the ones dumped, and the
atlas works on it. (The test server is shared, so the test dumps and restores
its own schema, ``--schema``; in production the whole database.)
"""

from __future__ import annotations

import os
import subprocess

import pytest
import sqlalchemy as sa

from loaders.errors import AtlasError
from register import Register, editors
from tests.deploy.conftest import program

pytestmark = pytest.mark.deploy


def libpq(url: str) -> tuple[list[str], dict[str, str], str]:
    """Connection options for PostgreSQL's programs, the password as ``PGPASSWORD`` (never argv), and the schema."""
    parsed = sa.make_url(url)
    schema = parsed.query["options"].removeprefix("-csearch_path=")
    options = ["--host", parsed.host or "127.0.0.1", "--port", str(parsed.port or 5432)]
    options += ["--username", parsed.username or "postgres", "--dbname", parsed.database or "postgres"]
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    return options, env, schema


def test_a_register_restored_from_pg_dump_is_the_register_dumped(register_url, tmp_path, units):
    pg_dump, pg_restore = program("pg_dump", "postgresql-client"), program("pg_restore", "postgresql-client")
    listed = tmp_path / "partner.csv"
    listed.write_text("Name;Art;AGS;Beitritt\nVerband Sicherungs-Probe;Verband;05111000;01.03.2024\n", encoding="utf-8")
    with Register(register_url, units=units) as reg:
        reg.commit_import(listed, "cli:test")
        editors.add(reg.engine, "bea.beispiel", "Sicherung-2024-Test", by="cli:test")
        exported, history = reg.export(), reg.history()
    options, env, schema = libpq(register_url)
    dump = tmp_path / "atlas.dump"
    subprocess.run(
        [pg_dump, *options, "--format=custom", "--no-owner", f"--schema={schema}", f"--file={dump}"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert dump.stat().st_size > 1000

    # The register is lost.
    engine = sa.create_engine(sa.make_url(register_url).set(query={}))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    with pytest.raises(AtlasError), Register(register_url, units=units, seed=False) as gone:
        gone.export()

    restored = subprocess.run(
        [pg_restore, *options, "--no-owner", "--exit-on-error", str(dump)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    engine.dispose()
    with Register(register_url, units=units) as back:
        assert back.export() == exported and back.history() == history
        assert "Verband Sicherungs-Probe" in back.export()
        assert editors.verify(back.engine, "bea.beispiel", "Sicherung-2024-Test") == "bea.beispiel"
