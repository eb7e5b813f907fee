"""``check``, ``import`` and ``register export|undo|history``: partner lists and the membership register."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys

from atlas_cli import registers
from atlas_cli.files import write_file
from atlas_cli.parser import check_out
from loaders.errors import InputError


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 when every row is usable, 1 when any needs attention (2: unreadable, via main)."""
    from loaders import store
    from register import check

    reports, summary = check.check_file(args.file, store.load_attributes(), dt.date.today())
    if args.format == "json":
        document = check.as_json_document(reports, summary)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(check.render_text(reports, summary))
    return 0 if summary["needs_attention"] == 0 else 1


def cmd_import(args: argparse.Namespace) -> int:
    """Exit 0 when every row was imported, 1 when any needs attention (2: unreadable, via main)."""
    import register
    from register import check

    if args.dry_run and args.create:
        raise InputError("--dry-run changes nothing, so it creates no register: leave out --create")
    if args.no_seed and not args.create:
        raise InputError("--no-seed applies to a register made now: add --create")
    with registers.open_register(args, create=args.create, seed=not args.no_seed) as reg:
        result = reg.preview(args.file) if args.dry_run else reg.commit_import(args.file, cli_user())
    sys.stdout.write(check.render_text(result.reports, result.summary))
    sys.stdout.write(register.render_text(result))
    return 0 if result.summary["needs_attention"] == 0 else 1


def cmd_register(args: argparse.Namespace) -> int:
    """``register export|undo|history|init``: the register's dump, an undo, the import history, its tables."""
    import register

    if args.register_command == "export":
        check_out(args.out)
    if args.register_command == "init":
        return _init(args)
    with registers.open_register(args) as reg:
        if args.register_command == "export":
            text = reg.export(at=args.at)
            if args.out is None:
                sys.stdout.write(text)
                return 0
            content = text.encode("utf-8")
            write_file(args.out, content)
            print(f"{args.out} (register export, {len(content) / 1024:.0f} KB)")
        elif args.register_command == "undo":
            undo_id = reg.undo_import(args.import_id, cli_user())
            print(f"Import {args.import_id} rückgängig gemacht (Eintrag #{undo_id})")
        else:
            sys.stdout.write(register.render_history(reg.history(args.limit)))
    return 0


def _init(args: argparse.Namespace) -> int:
    """Every table the register and the server use (membership history, editors, sign-ins, feedback), made now.

    The server makes a missing table on first use; made here by the owner, the
    replicas never need more than to read and write rows.
    """
    from register import editors, feedback, schema, signin

    with registers.open_register(args, create=True) as reg:
        for module in (editors, signin, feedback):
            module.ensure(reg.engine)
        entries = len(reg.history(None))
        print(
            f"Register bereit: {reg.safe_url} (Schema-Version {schema.SCHEMA_VERSION}, {entries} Einträge; "
            "Tabellen für Register, Konten, Anmeldungen und Rückmeldungen)"
        )
    return 0


def cli_user() -> str:
    """Who changes the register from the command line, as the change log records it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry, e.g. in a container
        name = str(os.getuid())
    return f"cli:{name}"
