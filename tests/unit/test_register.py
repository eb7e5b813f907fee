"""The membership register: seed, imports, conflicts, undo, past states, export, concurrency, crashes.

Every register test runs against SQLite, and against PostgreSQL when
``SID_ATLAS_TEST_PG_URL`` is set (``.ci/run`` starts a server and sets it).
Under CI (``CI=true``) a missing PostgreSQL fails those tests instead of
skipping them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pandas as pd
import pytest
import sqlalchemy as sa

import register
import register.core
from loaders import accessions
from loaders.errors import InputError
from register.core import Register
from tests.helpers import sid_atlas as run_cli

PG_ENV = "SID_ATLAS_TEST_PG_URL"

# Imports a file in a child process; optionally slow per row, or halting (to be killed) after N rows.
CHILD = """
import pathlib, sys, time
from register import core as register
url, path, user, delay, halt_after, marker = sys.argv[1:7]
write, done = register._write_changes, []
def paced(conn, import_id, now, user, items):
    for item in items:  # the batch written row by row, so that a row can be slow or the last one
        write(conn, import_id, now, user, [item])
        done.append(1)
        time.sleep(float(delay))
        if len(done) == int(halt_after):
            pathlib.Path(marker).touch()
            time.sleep(600)
register._write_changes = paced
with register.Register(url) as reg:
    print(reg.commit_import(path, user).import_id)
"""


@pytest.fixture
def db_url(new_url):
    return new_url()


@pytest.fixture
def reg(db_url, units):
    with Register(db_url, units=units) as opened:
        yield opened


@pytest.fixture(scope="module")
def shipped(units):
    return accessions.read_accessions(units=units, events=accessions.read_events())


def rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(map(tuple, frame[accessions.COLUMNS].values.tolist()))


def write(tmp_path, text, name="list.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def gemeinden_list(tmp_path, units, kreis_key, name, joined="01.03.2024"):
    """A partner list of the Gemeinden of one Kreis, by official name, kind and key."""
    counts = Counter(units["name"])
    chosen = units[
        (units["level"] == "gemeinde") & (units["kreis_key"] == kreis_key) & units["name"].map(lambda n: counts[n] == 1)
    ].sort_values("key")
    lines = ["Name;Art;AGS;Beitritt"] + [f"{r.name};Gemeinde;{r.key};{joined}" for r in chosen.itertuples()]
    return write(tmp_path, "\n".join(lines) + "\n", name), set(chosen["key"])


def child(url, path, user, delay=0.0, halt_after=0, marker="-"):
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(path), user, str(delay), str(halt_after), str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_seed_holds_the_shipped_documented_accessions(reg, db_url, units, shipped):
    assert rows(reg.table()) == rows(shipped)
    [seed] = reg.history()
    assert (seed["user_name"], seed["file_name"], seed["rows_inserted"]) == ("seed", "accessions.csv", len(shipped))
    assert reg.state_at(dt.datetime(2000, 1, 1)).empty
    with Register(db_url, units=units) as again:  # opened again: not seeded twice
        assert len(again.history()) == 1


def test_import_commits_usable_rows_and_reports_the_rest(reg, tmp_path):
    path = write(
        tmp_path, "Name;Art;Beitritt\nBielefeld, Stadt;;01.02.2023\nKleve;;1.2.2024\nHamminkel;;\nLandtag NRW;;\n"
    )
    before = reg.export()
    preview = reg.preview(path)
    assert preview.actions == {1: "insert", 4: "unchanged"} and preview.import_id is None
    assert reg.export() == before  # a preview writes nothing
    done = reg.commit_import(path, "editor@example")
    assert done.import_id == 2
    assert [(r.row, r.status) for r in done.reports] == [(1, "ok"), (2, "ambiguous"), (3, "unknown"), (4, "ok")]
    added = reg.table().set_index("key").loc["05711000"]
    assert (added["name"], added["joined_on"], added["source"]) == (
        "Bielefeld, Stadt",
        "2023-02-01",
        "Partnerliste list.csv",
    )
    entry = reg.history()[0]
    assert (
        entry["user_name"],
        entry["rows_total"],
        entry["rows_inserted"],
        entry["rows_unchanged"],
        entry["rows_attention"],
    ) == ("editor@example", 4, 1, 1, 2)
    assert entry["sha256"] == done.sha256 and len(entry["sha256"]) == 64


def test_conflicting_import_is_an_update_with_before_and_after(reg, tmp_path, units):
    path = write(tmp_path, "Name;Beitritt;Quelle\nStadt Menden;März 2023;menden.de\nStadt Lage;Februar 2024;\n")
    done = reg.commit_import(path, "editor")
    assert done.actions == {1: "update", 2: "update"}
    logged = {c["identity"]: c for c in reg.changes_of(done.import_id)}
    menden = logged["unit:05962040"]
    assert (menden["action"], menden["user_name"]) == ("update", "editor")
    assert (menden["before"]["joined_on"], menden["after"]["joined_on"]) == ("", "2023-03")
    assert (menden["before"]["source"], menden["after"]["source"]) == ("Lokalpresse", "menden.de")
    lage = logged["unit:05766040"]
    # Dated apart from the regional event, Lage now joined separately; a blank source keeps the old one.
    assert (lage["after"]["joined_on"], lage["after"]["event"]) == ("2024-02", "separate")
    assert lage["after"]["source"] == lage["before"]["source"]
    table = reg.table()
    assert accessions.validate_accessions(table, units, accessions.read_events()) == []
    again = reg.commit_import(path, "editor")
    assert set(again.actions.values()) == {"unchanged"} and reg.changes_of(again.import_id) == []


def test_rows_the_register_cannot_take_need_attention(reg, tmp_path):
    # Kreis Kleve is registered with an unknown accession; an exit needs no accession date,
    # but an exit before the registered accession is refused.
    path = write(tmp_path, "Name;Art;Austritt\nStadt Rheine;Gemeinde;2021\n")
    done = reg.commit_import(path, "editor")
    assert done.reports[0].status == "invalid" and done.summary["needs_attention"] == 1
    assert any("before joined_on" in m for m in done.reports[0].messages)
    assert done.actions == {} and reg.changes_of(done.import_id) == []


def test_undo_restores_the_register_and_is_logged(reg, tmp_path, shipped):
    path = write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;01.02.2023\nStadt Menden;März 2023\n")
    done = reg.commit_import(path, "editor")
    undo_id = reg.undo_import(done.import_id, "chief")
    assert rows(reg.table()) == rows(shipped)
    undo, undone = reg.history()[:2]
    assert (undo["kind"], undo["undoes"], undo["user_name"], undo["rows_deleted"], undo["rows_updated"]) == (
        "undo",
        done.import_id,
        "chief",
        1,
        1,
    )
    assert (undone["id"], undone["undone_by"]) == (done.import_id, undo_id) and undone["undone_at"] is not None
    assert [c["action"] for c in reg.changes_of(undo_id)] == ["update", "delete"]
    for bad, message in ((done.import_id, "already undone"), (undo_id, "is an undo"), (99, "no import")):
        with pytest.raises(InputError, match=message):
            reg.undo_import(bad, "chief")


def test_undo_refuses_while_a_later_import_changed_the_same_body(reg, tmp_path):
    first = reg.commit_import(write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;01.02.2023\n", "a.csv"), "a")
    second = reg.commit_import(write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;2022\n", "b.csv"), "b")
    with pytest.raises(InputError, match="Bielefeld.*later import"):
        reg.undo_import(first.import_id, "a")
    reg.undo_import(second.import_id, "b")
    reg.undo_import(first.import_id, "a")
    assert "05711000" not in set(reg.table()["key"])


def test_an_edit_ends_a_membership_is_logged_and_undone(reg):
    table = reg.table().set_index("key")
    kreis = table[table["kind"] == "kreis"].iloc[0]
    ident = register.identity("kreis", kreis.name, kreis["name"])
    edit_id = reg.edit_membership(ident, "editor", left_on="2024-06", note="Austritt laut Ratsbeschluss")
    after = reg.table().set_index("key").loc[kreis.name]
    assert (after["left_on"], after["note"]) == ("2024-06", "Austritt laut Ratsbeschluss")
    entry = reg.history()[0]
    assert (entry["id"], entry["kind"], entry["body"], entry["file_name"], entry["sha256"], entry["user_name"]) == (
        edit_id,
        "edit",
        kreis["name"],
        None,
        None,
        "editor",
    )
    [change] = reg.changes_of(edit_id)
    assert change["action"] == "update" and change["before"]["left_on"] == kreis["left_on"]
    assert "Bearbeitung " + kreis["name"] in register.render_history(reg.history(1))
    reg.undo_import(edit_id, "chief")
    assert reg.table().set_index("key").loc[kreis.name, "left_on"] == kreis["left_on"]


def test_an_edit_of_the_accession_date_sets_its_precision_and_leaves_the_event(reg):
    table = reg.table()
    row = table[table["event"].str.startswith("rb")].iloc[0]
    ident = register.identity(row["kind"], row["key"], row["name"])
    reg.edit_membership(ident, "editor", joined_on="2023-11")
    after = reg.table().set_index("key").loc[row["key"]]
    assert (after["joined_on"], after["date_precision"], after["event"]) == ("2023-11", "month", "separate")


@pytest.mark.parametrize(
    "values, message",
    [
        ({"left_on": "2019-01-01"}, "before joined_on"),
        ({"joined_on": "2999-01-01"}, "in der Zukunft"),
        ({"joined_on": "1.2.2024"}, "is not a date"),
        ({"key": "05711000"}, "cannot edit key"),
        ({}, "nothing to change"),
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(reg, values, message):
    row = reg.table().query("joined_on != ''").iloc[0]
    before, history = reg.export(), reg.history()
    with pytest.raises(InputError, match=message):
        reg.edit_membership(register.identity(row["kind"], row["key"], row["name"]), "editor", **values)
    with pytest.raises(InputError, match="no membership"):
        reg.edit_membership("unit:00000000", "editor", note="x")
    assert reg.export() == before and reg.history() == history


def test_state_at_a_past_day_is_rebuilt_from_the_log(new_url, units, tmp_path, monkeypatch, shipped):
    # Creating the register reads the clock twice (created, seeded); each later step once.
    days = iter(dt.datetime(2024, 3, day, 12, tzinfo=dt.UTC) for day in (1, 1, 2, 3, 4))
    monkeypatch.setattr(register.core, "_now", lambda: next(days))
    with Register(new_url(), units=units) as reg:  # seeded on 1 March
        reg.commit_import(write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;01.02.2023\n", "a.csv"), "a")
        second = reg.commit_import(write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;2022\n", "b.csv"), "b")
        reg.undo_import(second.import_id, "b")  # on 4 March

        def bielefeld(day):
            state = reg.state_at(day).set_index("key")
            return state.loc["05711000", "joined_on"] if "05711000" in state.index else None

        assert reg.state_at(dt.date(2024, 2, 29)).empty
        assert rows(reg.state_at(dt.date(2024, 3, 1))) == rows(shipped)
        assert [bielefeld(dt.date(2024, 3, d)) for d in (1, 2, 3, 4)] == [None, "2023-02-01", "2022", "2023-02-01"]
        assert bielefeld(dt.datetime(2024, 3, 3, 11, 59)) == "2023-02-01"  # naive means UTC
        assert rows(reg.state_at(dt.date(2024, 3, 4))) == rows(reg.table())


def test_export_reimports_into_an_empty_register_identically(reg, new_url, units, tmp_path):
    reg.commit_import(
        write(
            tmp_path,
            "Name;Beitritt;Austritt;Bemerkung\nBielefeld, Stadt;01.02.2023;;"
            '"Beschluss, Rat"\nStadt Menden;März 2023;2024-05;\n',
        ),
        "editor",
    )
    dump = write(tmp_path, reg.export(), "dump.csv")
    with Register(new_url(), seed=False, units=units) as copy:
        assert copy.table().empty
        restored = copy.commit_import(dump, "restore")
        assert restored.summary["needs_attention"] == 0
        assert rows(copy.table()) == rows(reg.table())
        assert copy.export() == reg.export()
    assert reg.commit_import(dump, "again").count("unchanged") == len(reg.table())


@pytest.mark.process
def test_concurrent_imports_keep_each_others_rows(reg, db_url, units, tmp_path):
    a, keys_a = gemeinden_list(tmp_path, units, "05770", "a.csv")
    b, keys_b = gemeinden_list(tmp_path, units, "05774", "b.csv")
    # Both lists also date Menden, differently: the later import's "before" is the earlier's "after".
    for path, day in ((a, "01.03.2023"), (b, "02.03.2023")):
        path.write_text(path.read_text() + f"Stadt Menden;Gemeinde;05962040;{day}\n", encoding="utf-8")
    procs = [child(db_url, a, "editor-a", delay=0.05), child(db_url, b, "editor-b", delay=0.05)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert keys_a | keys_b <= set(reg.table()["key"])
    imports = [e for e in reg.history() if e["user_name"] in ("editor-a", "editor-b")]
    assert sorted(e["rows_inserted"] for e in imports) == sorted([len(keys_a), len(keys_b)])
    menden = [
        c
        for e in sorted(imports, key=lambda e: e["id"])
        for c in reg.changes_of(e["id"])
        if c["identity"] == "unit:05962040"
    ]
    assert len(menden) == 2 and menden[1]["before"] == menden[0]["after"]


@pytest.mark.process
def test_a_killed_import_leaves_the_register_as_before(reg, db_url, units, tmp_path):
    path, keys = gemeinden_list(tmp_path, units, "05770", "a.csv")
    before, history = reg.export(), reg.history()
    marker = tmp_path / "halfway"
    proc = child(db_url, path, "doomed", halt_after=len(keys) // 2, marker=marker)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the import never got halfway"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Register(db_url, units=units) as after:
        assert after.export() == before and after.history() == history
        done = after.commit_import(path, "editor")  # not locked, not corrupt
        assert done.count("insert") == len(keys) and keys <= set(after.table()["key"])


def test_configuration_follows_streamlit_connections(tmp_path, monkeypatch):
    monkeypatch.delenv(register.URL_ENV, raising=False)
    secrets = tmp_path / "secrets.toml"
    assert register.configured_url(secrets_path=secrets) is None
    secrets.write_text('[connections.register]\nurl = "sqlite:///from-secrets.sqlite"\n')
    assert register.configured_url(secrets_path=secrets) == "sqlite:///from-secrets.sqlite"
    monkeypatch.setenv(register.URL_ENV, "sqlite:///from-env.sqlite")
    assert register.configured_url(secrets_path=secrets) == "sqlite:///from-env.sqlite"
    assert register.configured_url("sqlite:///given.sqlite", secrets_path=secrets) == "sqlite:///given.sqlite"
    monkeypatch.delenv(register.URL_ENV)
    secrets.write_text(
        '[connections.register]\ndialect = "postgresql"\nhost = "db.example"\nport = 5432\n'
        'database = "atlas"\nusername = "atlas"\npassword = "s3cret"\n'
    )
    assert register.configured_url(secrets_path=secrets) == "postgresql://atlas:s3cret@db.example:5432/atlas"
    secrets.write_text('[connections.register]\nhost = "db.example"\n')
    with pytest.raises(InputError, match="needs url"):
        register.configured_url(secrets_path=secrets)


def test_bad_urls_are_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="not a database URL"):
        Register("no url at all")
    with pytest.raises(InputError, match="cannot use register URL"):
        Register("nosuchdb://x/y")


def sid_atlas(*args, env=None, cwd=None):
    """The command in this process, with no register configured unless ``env`` names one."""
    return run_cli(*args, env={register.URL_ENV: None} | (env or {}), cwd=cwd)


def test_cli_import_undo_history_and_export(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    Register(db).close()
    good = write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;01.02.2023\nStadt Menden;März 2023\n", "good.csv")
    mixed = write(tmp_path, "Name;Beitritt\nHamm;2023\nKleve;2024\n", "mixed.csv")
    dry = sid_atlas("import", good, "--db", db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Probelauf, nichts gespeichert: 1 neu, 1 geändert, 0 unverändert" in dry.stdout
    assert "Zeile 2 (Stadt Menden) ändert: joined_on – → 2023-03" in dry.stdout
    done = sid_atlas("import", good, "--db", db)
    assert (done.returncode, done.stderr) == (0, "")
    assert "Import 2 gespeichert: 1 neu, 1 geändert" in done.stdout
    partly = sid_atlas("import", mixed, "--db", db)
    assert partly.returncode == 1 and "Import 3 gespeichert: 1 neu" in partly.stdout
    history = sid_atlas("register", "history", "--db", db, "--limit", "2")
    lines = history.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("#3") and "cli:" in lines[0] and "1 nicht importiert" in lines[0]
    undo = sid_atlas("register", "undo", "3", "--db", db)
    assert undo.returncode == 0 and "Import 3 rückgängig gemacht (Eintrag #4)" in undo.stdout
    dump = tmp_path / "dump.csv"
    assert sid_atlas("register", "export", "--db", db, "--out", dump).returncode == 0
    copy = f"sqlite:///{tmp_path / 'copy.sqlite'}"
    assert sid_atlas("import", dump, "--db", copy, "--create", "--no-seed").returncode == 0
    assert sid_atlas("register", "export", "--db", copy).stdout == dump.read_text(encoding="utf-8")
    earlier = sid_atlas("register", "export", "--db", db, "--at", "2000-01-01").stdout
    assert earlier.splitlines() == [",".join(accessions.COLUMNS)]


@pytest.mark.parametrize(
    "args, message",
    [
        (("import", "missing.csv"), "cannot read missing.csv"),
        (("import", "binary.csv"), "not a spreadsheet"),
        (("register", "undo", "99"), "no import with id 99"),
        (("register", "history", "--limit", "0"), "at least 1"),
        (("register", "history", "--db", "mysql+nosuchdriver://x/y"), "cannot use register URL"),
        (("register", "export", "--out", "."), "is a folder"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02")
    Register(f"sqlite:///{tmp_path / 'cli.sqlite'}").close()
    db = [] if "--db" in args else ["--db", f"sqlite:///{tmp_path / 'cli.sqlite'}"]
    result = sid_atlas(*args, *db, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("sid-atlas: error:") and message in result.stderr


def test_coverage_reads_the_register_only_when_configured(tmp_path):
    db = f"sqlite:///{tmp_path / 'cov.sqlite'}"
    # Bielefeld documented a year before the regional event of Detmold (1 February 2024).
    imported = sid_atlas(
        "import", write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;15.01.2023\n"), "--db", db, "--create"
    )
    assert imported.returncode == 0, imported.stderr
    args = ("coverage", "--date", "2023-06-01", "--level", "gemeinde", "--region", "057", "--format", "json")

    def bielefeld(env=None):
        result = sid_atlas(*args, env=env)
        assert result.returncode == 0, result.stderr
        return next(r for r in json.loads(result.stdout) if r["key"] == "05711000")

    assert bielefeld({register.URL_ENV: db})["body_member"] is True
    assert bielefeld()["body_member"] is False


# -- provenance per row (schema 3) -------------------------------------------------------------

PROVENANCE_LIST = (
    "Name;Beitritt;Quelle;Zitat;Gelesen am;Frühestens\n"
    "Bielefeld, Stadt;;Amtsblatt;„Bielefeld tritt bei“, sagt -das- Amtsblatt;12.2026;17.03.2024\n"
    'Stadt Menden;März 2023;Ratsbeschluss;=HYPERLINK("x");01.12.2026;\n'
)


def test_a_partner_list_brings_quote_read_date_and_bound_and_they_round_trip(reg, new_url, units, tmp_path):
    done = reg.commit_import(write(tmp_path, PROVENANCE_LIST), "editor", today=dt.date(2026, 12, 7))
    assert done.summary["needs_attention"] == 0 and done.summary["columns"]["quote"] == "Zitat"
    table = reg.table().set_index("key")
    bielefeld, menden = table.loc["05711000"], table.loc["05962040"]
    assert (bielefeld["date_precision"], bielefeld["not_before"], bielefeld["read_on"]) == (
        "unknown",
        "2024-03-17",
        "2026-12",
    )
    assert bielefeld["quote"] == "„Bielefeld tritt bei“, sagt -das- Amtsblatt"
    assert (menden["quote"], menden["read_on"], menden["not_before"]) == ('=HYPERLINK("x")', "2026-12-01", "")
    dump = reg.export()
    assert '\'=HYPERLINK(""x"")' in dump  # neutralised in the file people open ...
    with Register(new_url(), seed=False, units=units) as copy:
        restored = copy.commit_import(write(tmp_path, dump, "dump.csv"), "restore", today=dt.date(2026, 12, 7))
        assert restored.summary["needs_attention"] == 0
        assert rows(copy.table()) == rows(reg.table())  # ... restored exactly
        assert copy.export() == dump


def test_a_bound_after_the_date_or_a_read_date_in_the_future_needs_attention(reg, tmp_path):
    path = write(
        tmp_path,
        "Name;Beitritt;Gelesen am;Frühestens\nBielefeld, Stadt;01.02.2023;;01.03.2023\nStadt Menden;2023;2027;\n",
    )
    report = reg.preview(path, today=dt.date(2026, 12, 7))
    messages = {r.name: " ".join(r.messages) for r in report.reports}
    assert "Frühestens 2023-03-01 liegt nach dem Beitritt 2023-02-01" in messages["Bielefeld, Stadt"]
    assert "Gelesen am 2027 liegt in der Zukunft" in messages["Stadt Menden"]
    assert report.summary["usable"] == 0


def test_an_editor_sets_the_quote_and_the_read_date(reg):
    ident = register.identity("gemeinde", "05766040", "Stadt Lage")
    reg.edit_membership(ident, "editor", quote="Lage ist dabei", read_on="2026-12")
    row = reg.table().set_index("key").loc["05766040"]
    assert (row["quote"], row["read_on"]) == ("Lage ist dabei", "2026-12")
    with pytest.raises(InputError, match="not_before 2024-03 lies after joined_on 2024-02-01"):
        reg.edit_membership(ident, "editor", not_before="2024-03")


def _as_schema_2(url: str) -> None:
    """Turn a register of this version into one as version 2 left it: no provenance columns, none in the log."""
    from register.schema import changes, meta

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for column in accessions.PROVENANCE_COLUMNS:
            conn.exec_driver_sql(f"ALTER TABLE register_memberships DROP COLUMN {column}")

        def old(record):
            return (
                None if record is None else {k: v for k, v in record.items() if k not in accessions.PROVENANCE_COLUMNS}
            )

        for change_id, before, after in conn.execute(sa.select(changes.c.id, changes.c.before, changes.c.after)).all():
            conn.execute(changes.update().where(changes.c.id == change_id).values(before=old(before), after=old(after)))
        conn.execute(meta.update().values(schema_version=2))
    engine.dispose()


def test_a_schema_2_register_is_migrated_when_opened(new_url, units, tmp_path, shipped):
    url = new_url()
    with Register(url, units=units) as reg:
        done = reg.commit_import(write(tmp_path, "Name;Beitritt\nBielefeld, Stadt;01.02.2023\n"), "editor")
    _as_schema_2(url)
    with Register(url, units=units) as migrated:
        with migrated._transaction() as conn:
            assert conn.execute(sa.text("SELECT schema_version FROM register_meta")).scalar() == 3
        table = migrated.table()
        # The columns are there, empty: nothing is filled in.
        assert set(table["quote"]) == set(table["not_before"]) == set(table["read_on"]) == {""}
        assert len(table) == len(shipped) + 1
        # The log written before the columns existed still rebuilds past states and undoes.
        assert len(migrated.state_at(dt.datetime.now(dt.UTC))) == len(table)
        assert migrated.changes_of(done.import_id)[0]["after"]["quote"] == ""
        migrated.undo_import(done.import_id, "editor")
        assert len(migrated.table()) == len(shipped)
        # A program of version 2 still running beside it can insert rows (the columns default to '').
        with migrated._transaction(write=True) as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO register_memberships (identity, name, kind, key, joined_on, date_precision, "
                    "certain_by, evidence, event, source, left_on, note, entry_id, changed_at) VALUES "
                    "('body:verband:x', 'X', 'verband', '', '', 'unknown', '', 'documented', '', 's', '', '', 1, :now)"
                ),
                {"now": dt.datetime.now(dt.UTC)},
            )
        assert migrated.table().set_index("name").loc["X", "quote"] == ""
    with Register(url, units=units) as again:  # opened again: nothing to migrate
        assert len(again.table()) == len(shipped) + 1
