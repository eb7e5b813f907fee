"""Bad input on the command line: always one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import zipfile

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
