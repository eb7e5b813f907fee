"""Bad input on the command line: always one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import register
from register.sheets import LIMITS
from tests.helpers import BILLION_LAUGHS, HEADER, add_streamed_part, sheet_xml, write_xlsx
from tests.helpers import sid_atlas as run


def one_line_error(result, *phrases):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sid-atlas: error: ") and "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def db(tmp_path):
    """A fresh seeded register as a URL."""
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    register.Register(url).close()
    return url


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http", "65536"])
def test_serve_with_an_impossible_port(port):
    one_line_error(run("serve", "--port", port), "--port", "1 to 65535")


@pytest.mark.parametrize("import_id", ["12345678901234567890123", "0", "2147483648", "x"])
def test_undo_with_an_impossible_import_id(import_id, db):
    one_line_error(run("register", "undo", import_id, "--db", db), "import number from 1 to 2147483647")


def test_undo_of_an_unknown_import_id(db):
    one_line_error(run("register", "undo", "2147483647", "--db", db), "no import with id 2147483647")


def test_undo_refuses_the_seed_as_the_page_does(db):
    before = register.Register(db).export()
    one_line_error(run("register", "undo", "1", "--db", db), "seed", "cannot be undone")
    with register.Register(db) as reg:
        assert reg.export() == before and len(reg.history()) == 1


@pytest.mark.parametrize("content", [b"hello, not a database\n" * 100, b"SQLite format 3\x00" + b"\xff" * 4096])
def test_db_pointing_at_a_file_that_is_not_a_database(tmp_path, content):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    line = one_line_error(run("register", "history", "--db", f"sqlite:///{path}"), "not a database")
    assert "sqlalche.me" not in line
    assert path.read_bytes() == content  # nothing written into it


def test_db_that_is_no_url():
    one_line_error(run("register", "history", "--db", "/etc/passwd"), "not a database URL")


def test_check_of_an_xlsx_with_entity_expansion(tmp_path):
    path = write_xlsx(tmp_path / "laughs.xlsx", sheet_xml(HEADER, prolog=BILLION_LAUGHS))
    one_line_error(run("check", path), "unsafe XML")


def test_import_of_a_zip_bomb_changes_nothing(tmp_path, db):
    path = write_xlsx(tmp_path / "bomb.xlsx", sheet_xml(HEADER))
    add_streamed_part(path, "xl/media/filler.bin", b"", b"\0" * 1024, 200 * 1024, b"")
    one_line_error(run("import", path, "--db", db), "unpacks to more than")
    with register.Register(db) as reg:
        assert len(reg.history()) == 1


def test_check_of_too_many_rows_names_the_cap(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("Name\n" + "Hamm\n" * (LIMITS.rows + 1))
    one_line_error(run("check", path), f"more than {LIMITS.rows} rows")


def test_check_of_a_mixed_encoding_file(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("Name\nKöln\n".encode() + "Münster\n".encode("cp1252"))
    one_line_error(run("check", path), "mixes encodings")


def test_check_of_a_folder_and_of_a_missing_file(tmp_path):
    one_line_error(run("check", tmp_path), "cannot read")
    one_line_error(run("check", tmp_path / "nope.csv"), "cannot read")


def test_a_message_with_file_content_stays_one_line(tmp_path):
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook>\n\n<broken")
    one_line_error(run("check", path), "not a readable XLSX")


# -- --db: a typo never becomes a register, a password never reaches the process list ---------------


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("", "--db is empty"),
        ("  ", "--db is empty"),
        ("sqlite://", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
        ("postgresql://atlas:geheim@127.0.0.1:1/register", "holds a password"),
        ("postgresql://atlas@127.0.0.1:1/register?password=geheim", "holds a password"),
    ],
)
def test_db_values_that_are_refused_before_anything_is_opened(value, phrase):
    line = one_line_error(run("register", "history", "--db", value), phrase)
    assert "geheim" not in line


def test_db_with_sqlite_options_or_read_only_is_refused(db, tmp_path):
    path = db.removeprefix("sqlite:///")
    before = Path(path).read_bytes()
    one_line_error(run("import", tmp_path, "--db", db + "?mode=ro"), "options are not supported (mode)")
    readonly = tmp_path / "readonly.sqlite"
    readonly.write_bytes(before)
    readonly.chmod(0o444)
    one_line_error(run("register", "history", "--db", f"sqlite:///{readonly}"), "is read-only")
    assert readonly.read_bytes() == before


def test_a_missing_register_is_never_created_without_create(tmp_path):
    good = tmp_path / "list.csv"
    good.write_text("Name;Beitritt\nBielefeld, Stadt;01.02.2023\n", encoding="utf-8")
    missing = tmp_path / "typo" / "register.sqlite"
    one_line_error(run("import", good, "--db", f"sqlite:///{missing}", "--create"), "no folder", "create the folder")
    assert not missing.parent.exists()
    new = tmp_path / "register.sqlite"
    one_line_error(run("import", good, "--db", f"sqlite:///{new}"), "no register at", "--create")
    one_line_error(run("register", "history", "--db", f"sqlite:///{new}"), "no register at")
    assert not new.exists()
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    one_line_error(run("register", "export", "--db", f"sqlite:///{empty}"), "no register in", "--create")
    assert empty.read_bytes() == b""  # looking wrote nothing
    done = run("import", good, "--db", f"sqlite:///{new}", "--create")
    assert done.returncode == 0 and "Import 2 gespeichert" in done.stdout
    one_line_error(run("import", good, "--db", f"sqlite:///{new}", "--dry-run", "--create"), "--dry-run")
    one_line_error(run("import", good, "--db", f"sqlite:///{new}", "--no-seed"), "add --create")


def test_the_register_password_comes_from_a_file_or_the_environment(tmp_path, monkeypatch):
    """Not from argv: the URL without it, the password from $SID_ATLAS_REGISTER_PASSWORD or --db-password-file."""
    from atlas_cli import registers
    from atlas_cli.parser import build_parser

    secret = tmp_path / "pw"
    secret.write_text("s3cr3t/:@\n", encoding="utf-8")
    url = "postgresql://atlas@db.example:5432/register"
    args = build_parser().parse_args(["register", "history", "--db", url, "--db-password-file", str(secret)])
    assert registers.location(args) == "postgresql://atlas:s3cr3t%2F%3A%40@db.example:5432/register"
    monkeypatch.setenv(registers.PASSWORD_ENV, "from-env")
    args = build_parser().parse_args(["register", "history", "--db", url])
    assert registers.location(args) == "postgresql://atlas:from-env@db.example:5432/register"
    one_line_error(run("register", "history", "--db", url, "--db-password-file", tmp_path / "none"), "password file")


def test_dates_and_keys_in_other_digits_are_reported_never_an_internal_error(db, tmp_path):
    header = "name,kind,key,joined_on,date_precision,certain_by,evidence,event,source\n"
    path = tmp_path / "dump.csv"
    path.write_text(
        header
        + "Hamm,gemeinde,05915000,\u0662\u0660\u0662\u0664-\u0660\u0662-\u0660\u0661,day,,documented,,x\n"
        + "Soest,gemeinde,05974040,\u00b2\u2070\u00b2\u2074-02-01,day,,documented,,x\n"
        + "Kleve,gemeinde,\u0660\u0665\u0661\u0665\u0664\u0660\u0663\u0666,2024-02-01,day,,documented,,x\n",
        encoding="utf-8",
    )
    done = run("import", path, "--db", db, "--dry-run")
    assert done.returncode == 1 and "internal error" not in done.stderr and done.stderr == ""
    assert done.stdout.count("kein Datum der Form") == 2 and "3 brauchen Aufmerksamkeit" in done.stdout
    partner = tmp_path / "digits.csv"
    partner.write_text("Name;AGS\nKleve;\u0660\u0665\u0661\u0665\u0664\u0660\u0663\u0666\n", encoding="utf-8")
    checked = run("check", partner)
    assert checked.returncode == 1 and "3, 5 or 8 digits" in checked.stdout


def test_check_of_a_corrupt_deflate_stream(tmp_path):
    from tests.helpers import inline_row

    path = write_xlsx(
        tmp_path / "deflate.xlsx", sheet_xml(HEADER + "".join(inline_row(n, f"Stadt {n}") for n in range(2, 300)))
    )
    data = bytearray(path.read_bytes())
    start = data.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
    data[start : start + 30] = b"\xff" * 30
    path.write_bytes(bytes(data))
    one_line_error(run("check", path), "not a readable XLSX file")
