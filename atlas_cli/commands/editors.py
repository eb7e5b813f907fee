"""``editors add|passwd|list|revoke|unlock``: editors' accounts for the register page's sign-in.

A password never comes from the command line (the process list shows it to
every user of the machine): it is asked for at the terminal, twice; or read
from the first line of ``--password-file FILE`` or of standard input
(``--password-stdin``); or taken from ``$SID_ATLAS_EDITOR_PASSWORD``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys

from atlas_cli import registers
from atlas_cli.commands.members import cli_user
from loaders.errors import InputError

PASSWORD_ENV = "SID_ATLAS_EDITOR_PASSWORD"


def read_password(args: argparse.Namespace) -> str:
    """The new password from a file, standard input, the environment or the terminal (in that order).

    Raises
    ------
    InputError
        No source gives one, the file cannot be read, or the two entries at the terminal differ.
    """
    if args.password_file is not None:
        try:
            with open(args.password_file, encoding="utf-8") as handle:
                return _first_line(handle.readline(4096), str(args.password_file))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise InputError(f"cannot read the password file {args.password_file}: {reason or error}") from None
    if args.password_stdin:
        return _first_line(sys.stdin.readline(4096), "standard input")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise InputError(
            f"no password: give --password-file FILE, --password-stdin or ${PASSWORD_ENV} (no terminal to ask at)"
        )
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise InputError("the two passwords differ; nothing changed")
    return first


def _first_line(line: str, where: str) -> str:
    password = line.rstrip("\r\n")
    if not password:
        raise InputError(f"no password on the first line of {where}")
    return password


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return "–"
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def cmd_editors(args: argparse.Namespace) -> int:
    """``sid-atlas editors``: add, list and revoke the register's editors."""
    from register import editors, signin

    command = args.editors_command
    if command in ("add", "passwd"):
        editors.account_name(args.name)  # a name that cannot be one is refused before a password is asked for
    if command == "add":
        password = read_password(args)
        with registers.open_register(args, create=args.create) as reg:
            name = editors.add(reg.engine, args.name, password, by=cli_user())
        print(f"Konto {name} angelegt; im Änderungsprotokoll: app:{name}")
        return 0
    if command == "passwd":
        password = read_password(args)
        with registers.open_register(args) as reg:
            signin.set_password(reg.engine, args.name, password)
        print(f"Neues Passwort für {editors.account_name(args.name)}; offene Anmeldungen beendet")
        return 0
    with registers.open_register(args) as reg:
        if command == "revoke":
            signin.revoke(reg.engine, args.name, by=cli_user())
            print(f"Konto {editors.account_name(args.name)} widerrufen; offene Anmeldungen beendet")
        elif command == "unlock":
            cleared = signin.lift(reg.engine, by=cli_user(), subject=args.subject)
            print(f"{cleared} Sperrzähler aufgehoben")
        else:
            locked = {row["subject"] for row in signin.lockouts(reg.engine) if row["scope"] == "account"}
            rows = editors.listing(reg.engine)
            if not rows:
                print("Keine Konten (sid-atlas editors add NAME legt eines an)")
            for row in rows:
                revoked = row["revoked_at"] is not None
                state = "widerrufen" if revoked else ("gesperrt" if row["name"] in locked else "aktiv")
                line = (
                    f"{row['name']:<24} {state:<10}  angelegt {_when(row['created_at'])} von {row['created_by']}; "
                    f"zuletzt angemeldet {_when(row['last_signin_at'])}"
                )
                if revoked:
                    line += f"; widerrufen {_when(row['revoked_at'])} von {row['revoked_by']}"
                print(line)
    return 0
