"""Editors' accounts and sign-ins (register.editors, register.signin): names, passwords, lockouts that
invented names cannot dodge, a counter table that stays bounded, idle and absolute ends of a sign-in.

On SQLite, and on PostgreSQL when ``SID_ATLAS_TEST_PG_URL`` is set (the counters use each
database's own upsert). Times are passed in, so an hour or eight pass without waiting.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from loaders.errors import InputError
from register import editors, signin
from register.engine import make_engine

PASSWORD = "Rathaus-Lage-2024"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(new_url):
    engine = make_engine(new_url())
    yield engine
    engine.dispose()


@pytest.fixture
def anna(engine):
    return editors.add(engine, "Anna", PASSWORD, by="cli:test")


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


# -- accounts -----------------------------------------------------------------------------------------


def test_an_account_is_stored_with_an_argon2id_hash_never_the_password(engine, anna):
    assert anna == "anna"
    with engine.connect() as conn:
        stored = conn.execute(sa.select(editors.accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert editors.verify(engine, "ANNA ", PASSWORD) == "anna"
    assert editors.verify(engine, "anna", PASSWORD + "x") is None
    assert editors.verify(engine, "bob", PASSWORD) is None
    listed = editors.listing(engine)
    assert [(row["name"], row["created_by"]) for row in listed] == [("anna", "cli:test")]
    assert "password_hash" not in listed[0] and listed[0]["last_signin_at"] is not None


@pytest.mark.parametrize(
    "name", ["", "anna beispiel", "anna\u202e", "anna\x07", "-anna", "a" * 65, "änne", "anna\nbob"]
)
def test_names_that_cannot_be_an_account(engine, name):
    with pytest.raises(InputError, match="account name"):
        editors.add(engine, name, PASSWORD, by="cli:test")


@pytest.mark.parametrize(
    "password, message",
    [
        ("kurz", "at least 12"),
        ("x" * 1025, "more than 1024"),
        ("Rathaus-\u202e2024", "control"),
        ("anna-rathaus-2024", "account name"),
    ],
)
def test_passwords_that_are_refused(engine, password, message):
    with pytest.raises(InputError, match=message):
        editors.add(engine, "anna", password, by="cli:test")


def test_a_revoked_account_cannot_sign_in_its_sessions_end_and_its_name_is_never_reused(engine, anna):
    token = signin.succeeded(engine, anna, "203.0.113.9", now=T0)
    assert signin.editor_of(engine, token, now=T0 + minutes(1))[0] == "anna"
    signin.revoke(engine, "anna", by="cli:chief")
    assert signin.editor_of(engine, token, now=T0 + minutes(2)) is None
    assert editors.verify(engine, "anna", PASSWORD) is None and not editors.is_active(engine, "anna")
    with pytest.raises(InputError, match="never given twice"):
        editors.add(engine, "anna", PASSWORD, by="cli:test")
    with pytest.raises(InputError, match="no active account"):
        signin.revoke(engine, "anna", by="cli:chief")
    assert editors.listing(engine)[0]["revoked_by"] == "cli:chief"


def test_a_new_password_ends_open_sign_ins(engine, anna):
    token = signin.succeeded(engine, anna, "203.0.113.9", now=T0)
    signin.set_password(engine, "anna", "Neues-Passwort-2025")
    assert signin.editor_of(engine, token, now=T0 + minutes(1)) is None
    assert editors.verify(engine, "anna", "Neues-Passwort-2025") == "anna"
    assert editors.verify(engine, "anna", PASSWORD) is None


def test_the_shared_passwords_tables_are_retired(new_url):
    engine = make_engine(new_url())
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE register_signins (token_sha256 VARCHAR(64) PRIMARY KEY, editor TEXT)")
        conn.exec_driver_sql("INSERT INTO register_signins VALUES ('x', 'Whoever Typed This')")
    signin.ensure(engine)
    assert "register_signins" not in sa.inspect(engine).get_table_names()
    engine.dispose()


# -- lockouts ------------------------------------------------------------------------------------------


def test_invented_names_count_against_the_address_and_lock_it_even_for_the_right_password(engine, anna):
    gates = [signin.begin(engine, f"erfunden-{n}", "203.0.113.9", now=T0) for n in range(signin.LOCKOUT_AFTER)]
    assert [g.locked for g in gates] == [False] * signin.LOCKOUT_AFTER and not any(g.account for g in gates)
    # The address is locked now: the real account with its right password is refused from there.
    gate = signin.begin(engine, "anna", "203.0.113.9", now=T0)
    assert gate.locked and gate.account
    # From another address the account still signs in: the address was locked, not the account.
    assert not signin.begin(engine, "anna", "198.51.100.4", now=T0).locked


def test_a_known_account_locks_across_addresses(engine, anna):
    for n in range(signin.LOCKOUT_AFTER):
        assert not signin.begin(engine, "anna", f"198.51.100.{n}", now=T0).locked
    assert signin.begin(engine, "Anna", "192.0.2.200", now=T0).locked
    assert {(row["scope"], row["subject"]) for row in signin.lockouts(engine, now=T0)} == {("account", "anna")}
    assert signin.lift(engine, by="cli:chief", subject="ANNA") == 1
    assert not signin.begin(engine, "anna", "192.0.2.201", now=T0).locked


def test_an_ipv6_client_counts_as_its_64(engine):
    for n in range(signin.LOCKOUT_AFTER):
        signin.begin(engine, "x", f"2001:db8:5:6::{n + 1:x}", now=T0)
    assert signin.begin(engine, "x", "2001:db8:5:6:ffff::1", now=T0).locked
    assert not signin.begin(engine, "x", "2001:db8:5:7::1", now=T0).locked


def test_a_lock_ends_an_hour_after_the_last_attempt(engine, anna):
    for _ in range(signin.LOCKOUT_AFTER):
        signin.begin(engine, "anna", "203.0.113.9", now=T0)
    assert signin.begin(engine, "anna", "203.0.113.9", now=T0 + minutes(59)).locked
    later = T0 + minutes(59) + dt.timedelta(seconds=signin.FORGET_SECONDS + 1)
    assert not signin.begin(engine, "anna", "203.0.113.9", now=later).locked


@pytest.mark.slow  # thousands of sign-in attempts against the database
def test_the_counters_stay_bounded_through_thousands_of_attempts(engine, anna):
    """One rule: only accounts and addresses get counters, and a counter lives an hour after its last attempt."""
    for n in range(3000):
        signin.begin(engine, f"invented-{n}", f"203.0.113.{n % 7}", now=T0 + dt.timedelta(seconds=n))
    for n in range(50):
        signin.begin(engine, "anna", "203.0.113.0", now=T0 + dt.timedelta(seconds=3000 + n))
    assert signin.counter_rows(engine) == 7 + 1
    # Addresses seen once each (a botnet, or forged addresses the proxy let through): gone an hour later.
    for n in range(1000):
        signin.begin(engine, "x", f"10.0.{n // 250}.{n % 250}", now=T0 + dt.timedelta(seconds=4000))
    assert signin.counter_rows(engine) == 8 + 1000
    signin.begin(engine, "x", "192.0.2.1", now=T0 + dt.timedelta(seconds=4000 + signin.FORGET_SECONDS + 1))
    assert signin.counter_rows(engine) == 1


def test_a_success_clears_the_account_and_the_address(engine, anna):
    for _ in range(5):
        signin.begin(engine, "anna", "203.0.113.9", now=T0)
    assert signin.begin(engine, "anna", "203.0.113.9", now=T0).delay > 0
    signin.succeeded(engine, "anna", "203.0.113.9", now=T0)
    assert signin.counter_rows(engine) == 0


# -- how long a sign-in lasts ----------------------------------------------------------------------


def test_a_sign_in_ends_after_30_idle_minutes(engine, anna):
    token = signin.succeeded(engine, anna, "203.0.113.9", now=T0)
    assert signin.editor_of(engine, token, now=T0 + minutes(29))[0] == "anna"  # renews the idle clock
    assert signin.editor_of(engine, token, now=T0 + minutes(58))[0] == "anna"
    assert signin.editor_of(engine, token, now=T0 + minutes(58 + signin.IDLE_MINUTES)) is None
    assert signin.editor_of(engine, token, now=T0 + minutes(59)) is None  # ended for good, not just idle


def test_a_sign_in_ends_after_8_hours_however_active(engine, anna):
    token = signin.succeeded(engine, anna, "203.0.113.9", now=T0)
    moment = T0
    while moment < T0 + dt.timedelta(hours=signin.SESSION_HOURS) - minutes(10):
        moment += minutes(10)
        assert signin.editor_of(engine, token, now=moment) is not None
    assert signin.editor_of(engine, token, now=T0 + dt.timedelta(hours=signin.SESSION_HOURS)) is None


def test_signing_out_ends_it_and_a_forged_token_is_nobody(engine, anna):
    token = signin.succeeded(engine, anna, "203.0.113.9", now=T0)
    assert signin.editor_of(engine, "forged", now=T0) is None
    assert signin.sign_out(engine, token) and signin.editor_of(engine, token, now=T0) is None
