"""The register package's seams: one identity rule, one error type, uploads as bytes, a history of kinds."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import register
from loaders import accessions
from loaders.errors import InputError
from register import feedback, signin
from register.check import check_rows
from register.engine import make_engine
from register.partnerlist import PartnerList, PartnerRow
from register.resolve import Resolver
from register.schema import meta

ROOT = Path(__file__).resolve().parents[2]
LIST = b"Name;Beitritt\nBielefeld, Stadt;Februar 2023\nKleve;2024\n"


@pytest.fixture
def reg(tmp_path, units):
    with register.Register(f"sqlite:///{tmp_path / 'register.sqlite'}", units=units) as opened:
        yield opened


# -- one identity rule --------------------------------------------------------------------------
def test_the_register_and_the_check_use_the_accessions_rule():
    assert register.identity is accessions.identity
    for path in ("register/core.py", "register/reading.py", "register/check.py", "loaders/accessions.py"):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert not defined & {"_identity", "body_identity"}, path  # no second rule beside identity()


def test_a_body_without_territory_is_the_same_body_however_its_name_is_spelled(units):
    base = {c: "" for c in accessions.COLUMNS} | {
        "kind": "verband",
        "key": "05111000",
        "joined_on": "2024-02-01",
        "date_precision": "day",
        "evidence": "documented",
        "source": "https://example.org",
    }
    frame = pd.DataFrame([base | {"name": "Städtetag NRW"}, base | {"name": "STAEDTETAG  nrw"}])
    problems = accessions.validate_accessions(frame, units, None)
    assert any("documented twice" in problem for problem in problems)


def test_the_check_calls_one_body_a_duplicate_by_the_same_rule(units):
    rows = [
        PartnerRow(1, {"name": "Städtetag NRW", "kind": "Verband"}),
        PartnerRow(2, {"name": "Staedtetag-NRW", "kind": "Verband"}),
        PartnerRow(3, {"name": "Bielefeld, Stadt"}),
        PartnerRow(4, {"name": "Stadt Bielefeld"}),
    ]
    partners = PartnerList(rows=rows, columns={}, header_row=1, file_format="csv")
    reports = check_rows(partners, Resolver(units), dt.date(2025, 1, 1))
    assert [r.status for r in reports] == ["ok", "duplicate", "ok", "duplicate"]


# -- one error type -----------------------------------------------------------------------------
def test_a_file_that_is_no_database_is_a_register_error(tmp_path):
    bogus = tmp_path / "not-a-db.sqlite"
    bogus.write_bytes(b"this is not an SQLite file" * 100)
    with pytest.raises(register.RegisterError) as raised:
        register.Register(f"sqlite:///{bogus}")
    assert not raised.value.internal and "not a database" in str(raised.value)
    assert isinstance(raised.value, InputError)  # the command line's exit 2, one line
    engine = make_engine(f"sqlite:///{bogus}")
    try:
        with pytest.raises(register.RegisterError):
            signin.editor_of(engine, "some-token")
        with pytest.raises(register.RegisterError):
            feedback.newest(engine)
    finally:
        engine.dispose()


def test_a_statement_the_database_refuses_is_an_internal_register_error(reg):
    with pytest.raises(register.RegisterError) as raised, reg._transaction(write=True) as conn:
        conn.execute(meta.insert().values(id=1, schema_version=2, created_at=dt.datetime.now(dt.UTC)))
    assert raised.value.internal and "IntegrityError" in str(raised.value)
    assert isinstance(raised.value.__cause__, sa.exc.IntegrityError)


def test_the_dashboard_never_imports_sqlalchemy_at_run_time():
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in guarded:
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not any(name.split(".")[0] == "sqlalchemy" for name in names), path


# -- uploads as bytes ---------------------------------------------------------------------------
def test_an_upload_is_previewed_and_imported_from_its_bytes(reg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no file of that name anywhere: the bytes are all there is
    preview = reg.preview("partner.csv", data=LIST)
    assert preview.file == "partner.csv" and preview.count("insert") + preview.count("update") >= 1
    done = reg.commit_import("partner.csv", "app:Anna", data=LIST)
    entry = reg.history(1)[0]
    assert (entry["id"], entry["kind"], entry["file_name"], entry["body"]) == (
        done.import_id,
        "import",
        "partner.csv",
        None,
    )
    assert entry["sha256"] == preview.sha256 and not (tmp_path / "partner.csv").exists()


def test_an_oversized_upload_is_refused_like_a_file(reg):
    from register.sheets import LIMITS

    with pytest.raises(InputError, match="larger than"):
        reg.preview("big.csv", data=b"Name\n" + b"x" * LIMITS.file_bytes)


# -- the history says what each entry is --------------------------------------------------------
def test_imports_edits_and_undos_are_entries_of_their_kind(reg):
    done = reg.commit_import("partner.csv", "editor", data=LIST)
    menden = accessions.identity("gemeinde", "05962040", "")
    edit_id = reg.edit_membership(menden, "editor", note="laut Ratsbeschluss")
    undo_id = reg.undo_import(edit_id, "chief")
    undo, edit, imported, seed = reg.history(4)
    assert [e["kind"] for e in (undo, edit, imported, seed)] == ["undo", "edit", "import", "import"]
    assert (edit["body"], edit["file_name"], edit["sha256"], edit["undone_by"]) == (
        "Stadt Menden",
        None,
        None,
        undo_id,
    )
    assert (undo["undoes"], undo["body"], imported["id"]) == (edit_id, edit["body"], done.import_id)
    text = register.render_history(reg.history(4))
    assert "Bearbeitung Stadt Menden — rückgängig gemacht durch" in text
    assert f"Rückgängig (Eintrag {edit_id})" in text


def test_a_register_of_an_older_schema_is_refused_with_what_to_do(tmp_path, units):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    register.Register(url, units=units).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(meta.update().values(schema_version=1))
    engine.dispose()
    with pytest.raises(InputError, match="schema version 1.*export it"):
        register.Register(url, units=units)
