"""``sid-atlas editors add|passwd|list|revoke|unlock``: accounts made on the command line, passwords never in argv."""

from __future__ import annotations

import io

import pytest

import register
from register import editors, signin
from tests.helpers import sid_atlas as run

PASSWORD = "Rathaus-Lage-2024"


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'register.sqlite'}"
    register.Register(url).close()
    return url


def engine(url: str):
    return register.Register(url).engine


def test_add_from_a_file_list_passwd_from_stdin_revoke(db, tmp_path, monkeypatch):
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    done = run("editors", "add", "Anna.Beispiel", "--password-file", secret, "--db", db)
    assert (done.returncode, done.stderr) == (0, "") and "app:anna.beispiel" in done.stdout
    assert editors.verify(engine(db), "anna.beispiel", PASSWORD) == "anna.beispiel"
    assert PASSWORD not in done.stdout
    token = signin.succeeded(engine(db), "anna.beispiel", "203.0.113.9")
    monkeypatch.setattr("sys.stdin", io.StringIO("Neues-Passwort-2025\n"))
    assert run("editors", "passwd", "anna.beispiel", "--password-stdin", "--db", db).returncode == 0
    assert signin.editor_of(engine(db), token) is None  # the new password ended the sign-in
    assert editors.verify(engine(db), "anna.beispiel", "Neues-Passwort-2025") == "anna.beispiel"
    listed = run("editors", "list", "--db", db).stdout
    assert listed.startswith("anna.beispiel") and "aktiv" in listed and "cli:" in listed
    assert run("editors", "revoke", "anna.beispiel", "--db", db).returncode == 0
    assert "widerrufen" in run("editors", "list", "--db", db).stdout
    again = run("editors", "add", "anna.beispiel", "--password-file", secret, "--db", db)
    assert again.returncode == 2 and "never given twice" in again.stderr


def test_the_password_from_the_environment_and_never_from_argv(db, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_EDITOR_PASSWORD", PASSWORD)
    assert run("editors", "add", "bob", "--db", db).returncode == 0
    monkeypatch.delenv("SID_ATLAS_EDITOR_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal to ask at
    done = run("editors", "add", "carl", "--db", db)
    assert done.returncode == 2 and "no password" in done.stderr
    # There is no option that takes the password itself.
    done = run("editors", "add", "carl", "--password", PASSWORD, "--db", db)
    assert done.returncode == 2 and not editors.is_active(engine(db), "carl")


@pytest.mark.parametrize(
    "name, phrase",
    [("anna beispiel", "account name"), ("anna\u202e", "account name"), ("\x07bell", "account name")],
)
def test_names_with_spaces_or_hidden_characters_are_refused_before_a_password_is_asked(db, name, phrase):
    done = run("editors", "add", name, "--db", db)
    assert done.returncode == 2 and phrase in done.stderr and "\u202e" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_unlock_lifts_an_accounts_lock(db, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_EDITOR_PASSWORD", PASSWORD)
    run("editors", "add", "anna", "--db", db)
    for n in range(signin.LOCKOUT_AFTER):
        signin.begin(engine(db), "anna", f"198.51.100.{n}")
    assert "gesperrt" in run("editors", "list", "--db", db).stdout
    assert run("editors", "unlock", "anna", "--db", db).stdout.startswith("1 ")
    assert not signin.begin(engine(db), "anna", "198.51.100.200").locked


def test_add_with_create_makes_the_register(tmp_path, monkeypatch):
    monkeypatch.setenv("SID_ATLAS_EDITOR_PASSWORD", PASSWORD)
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    refused = run("editors", "add", "anna", "--db", url)
    assert refused.returncode == 2 and "--create" in refused.stderr
    assert run("editors", "add", "anna", "--db", url, "--create").returncode == 0
    assert len(register.Register(url).history()) == 1  # seeded, as any new register
