"""The command line's arguments: what each command takes, and the checks on them.

A usage error is an :class:`~loaders.errors.InputError` (one line, exit code 2), as is
any value the library refuses: days through :func:`loaders.viewstate.check_day`, the
view of an export through :meth:`loaders.viewstate.ViewState.checked` (the same checks
as the dashboard's URL). Nothing here imports more than ``loaders`` does for a
coverage query (and the import-free :mod:`exports.formats`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import NoReturn

from atlas_cli import registers
from exports.formats import ANIMATION_FORMATS, FORMATS, PICTURES, PRESET_NAMES
from loaders.boundaries import LEVELS
from loaders.dates import parse_iso_day
from loaders.errors import InputError
from loaders.viewstate import EVIDENCE_FILTERS, LANGUAGES, VIEW_LEVELS, ViewState, check_day

PROG = "sid-atlas"
# Flags of the open-data package only: field of exports.publisher.Publisher -> argparse dest.
PUBLISHER_FLAGS = {"name": "publisher_name", "url": "publisher_url", "email": "contact_email", "base_url": "base_url"}
# The register's ids are SQL INTEGER (32 bits on PostgreSQL): a larger number names no import.
MAX_IMPORT_ID = 2**31 - 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str) -> NoReturn:  # noqa: D401 - argparse API
        raise InputError(f"{message} (see {self.prog} --help)")


def _date(text: str) -> dt.date:
    try:
        return parse_iso_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a TCP port from 1 to 65535, not {text[:20]!r}")
    return int(text)


def _import_id(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_IMPORT_ID:
        raise argparse.ArgumentTypeError(
            f"expected an import number from 1 to {MAX_IMPORT_ID} (see 'register history'), not {text[:30]!r}"
        )
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    """The ``sid-atlas`` parser: every command, its options and their help."""
    parser = _Parser(prog=PROG, description="Coverage atlas of #sicherimDienst in NRW.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    prepare = commands.add_parser("prepare", help="build the data cache and report what was used")
    prepare.add_argument("--source", type=Path, help="folder holding dvg2_EPSG25832_Shape.zip and de-05.geojson")
    prepare.add_argument("--no-download", action="store_true", help="never try the official download places")

    coverage = commands.add_parser("coverage", help="coverage as of a Stichtag")
    coverage.add_argument("--date", type=_date, required=True, help="Stichtag, YYYY-MM-DD")
    coverage.add_argument("--level", choices=LEVELS, default="regierungsbezirk", help="the units listed")
    coverage.add_argument("--region", help="Regierungsbezirk (e.g. 057) or Kreis key (e.g. 05766)")
    coverage.add_argument(
        "--evidence", choices=EVIDENCE_FILTERS, default="all", help="all accessions, or documented ones only"
    )
    coverage.add_argument("--members", type=Path, help="accession table in the shipped CSV schema")
    coverage.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="a table for the terminal, or the rows every data export writes",
    )
    coverage.add_argument("--lang", choices=LANGUAGES, default="de", help="language of the words (status_text, table)")

    serve = commands.add_parser("serve", help="start the dashboard")
    serve.add_argument("--port", type=_port, default=8501, help="TCP port to listen on (1-65535)")
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for all)",
    )

    check = commands.add_parser("check", help="per-row report on a partner list (CSV or XLSX) before import")
    check.add_argument("file", type=Path, help="partner list: CSV (comma/semicolon) or XLSX")
    check.add_argument("--format", choices=("text", "json"), default="text", help="a report to read, or JSON")

    db = _Parser(add_help=False)
    registers.add_arguments(db)
    creating = _Parser(add_help=False)
    registers.add_arguments(creating, create=True)
    imp = commands.add_parser(
        "import", parents=[creating], help="import a partner list (CSV/XLSX) or a register export"
    )
    imp.add_argument("file", type=Path, help="partner list, or a dump written by 'register export'")
    imp.add_argument("--dry-run", action="store_true", help="report what the import would change; change nothing")
    imp.add_argument(
        "--no-seed",
        action="store_true",
        help="with --create: the new register starts empty, not with the shipped data (to restore a dump)",
    )
    register = commands.add_parser("register", help="the membership register: export, undo, history, init")
    register_commands = register.add_subparsers(dest="register_command", required=True, parser_class=_Parser)
    dump = register_commands.add_parser(
        "export",
        parents=[db],
        help="full dump in the shipped accession CSV schema; re-imports into an empty register identically",
    )
    dump.add_argument("--out", type=Path, help="file to write (replaced atomically); default: standard output")
    dump.add_argument("--at", type=_date, help="the register as it stood at the end of this day (UTC)")
    undo = register_commands.add_parser("undo", parents=[db], help="undo an import (itself recorded as changes)")
    undo.add_argument(
        "import_id", type=_import_id, metavar="IMPORT_ID", help="the entry's number (see 'register history')"
    )
    history = register_commands.add_parser("history", parents=[db], help="imports and undos, newest first")
    history.add_argument("--limit", type=_count, default=20, metavar="N", help="the newest N entries")
    register_commands.add_parser(
        "init",
        parents=[db],
        help="make every table of the register (seeded with the shipped data if new) or bring it to this "
        "version: as the database's owner, so that the servers may run with a role that only reads and "
        "writes rows (docs/operations.md)",
    )

    editors = commands.add_parser("editors", help="editors' accounts for signing in to the register page")
    editor_commands = editors.add_subparsers(dest="editors_command", required=True, parser_class=_Parser)
    password_help = (
        "the password is asked for at the terminal (twice), or read from --password-file FILE, "
        "--password-stdin or $SID_ATLAS_EDITOR_PASSWORD; never from the command line"
    )
    add = editor_commands.add_parser(
        "add", parents=[creating], help="create an account (name: a-z, 0-9, . _ - @)", description=password_help
    )
    add.add_argument("name", metavar="NAME", help="the account's name, e.g. anna.beispiel")
    passwd = editor_commands.add_parser(
        "passwd", parents=[db], help="set a new password (the account's sign-ins end)", description=password_help
    )
    passwd.add_argument("name", metavar="NAME", help="the account")
    for command in (add, passwd):
        source = command.add_mutually_exclusive_group()
        source.add_argument("--password-file", type=Path, metavar="FILE", help="the first line of FILE")
        source.add_argument("--password-stdin", action="store_true", help="the first line of standard input")
    editor_commands.add_parser("list", parents=[db], help="every account: created, last sign-in, revoked")
    revoke = editor_commands.add_parser(
        "revoke", parents=[db], help="end an account for good (its sign-ins end; the name is never reused)"
    )
    revoke.add_argument("name", metavar="NAME", help="the account")
    unlock = editor_commands.add_parser(
        "unlock", parents=[db], help="lift sign-in lockouts: of one account or address, or all"
    )
    unlock.add_argument(
        "subject", nargs="?", metavar="NAME_OR_ADDRESS", help="an account or a client address; none: every lockout"
    )

    export = commands.add_parser("export", help="press export of a view: map, animation or the data behind it")
    export.add_argument("--date", type=_date, help="Stichtag, YYYY-MM-DD (required except for gif/mp4)")
    export.add_argument("--compare", type=_date, help="earlier day: before/after picture, new units marked")
    export.add_argument("--from", dest="start", type=_date, help="gif/mp4: first day of the animation")
    export.add_argument("--to", dest="end", type=_date, help="gif/mp4: last day of the animation (default --date)")
    export.add_argument(
        "--step",
        choices=("month", "event"),
        default="month",
        help="gif/mp4: one frame per month or per day on which coverage changes",
    )
    export.add_argument("--region", help="Regierungsbezirk key (051, 053, 055, 057 or 059)")
    export.add_argument("--level", choices=VIEW_LEVELS, default="gemeinde", help="the units drawn")
    export.add_argument(
        "--evidence", choices=EVIDENCE_FILTERS, default="all", help="all accessions, or documented ones only"
    )
    export.add_argument("--preset", choices=PRESET_NAMES, default="16x9", help="page size of a map")
    export.add_argument(
        "--title",
        help="title, at most three lines on the page "
        "(default: #sicherimDienst – Beitritte in NRW / im Regierungsbezirk …)",
    )
    export.add_argument("--subtitle", help="pictures: an Unterzeile below the title")
    export.add_argument("--note", help="pictures: a source note above the credits")
    export.add_argument(
        "--picture",
        choices=PICTURES,
        default="map",
        help="png/svg/pdf: the map of the view or its coverage timeline",
    )
    export.add_argument("--lang", choices=LANGUAGES, default="de", help="language of the picture and the data")
    export.add_argument("--members", type=Path, help="accession table in the shipped CSV schema")
    export.add_argument("--format", choices=FORMATS, required=True, help="the kind of file written")
    export.add_argument("--out", type=Path, required=True, help="file to write (replaced atomically)")
    package = export.add_argument_group(
        "open-data package (--format datapackage)",
        "Publisher, contact and base address are required, each from the flag, else "
        "$SID_ATLAS_PUBLISHER_NAME, $SID_ATLAS_PUBLISHER_URL, $SID_ATLAS_CONTACT_EMAIL, $SID_ATLAS_BASE_URL, "
        "else [publisher] in .streamlit/secrets.toml (name, url, contact_email, base_url).",
    )
    package.add_argument("--publisher-name", metavar="NAME", help="the publishing body, e.g. its official name")
    package.add_argument("--publisher-url", metavar="URL", help="the publisher's website (https://…)")
    package.add_argument("--contact-email", metavar="EMAIL", help="contact point for the data")
    package.add_argument(
        "--base-url", metavar="URL", help="address the package's files will be published under (https://…/)"
    )
    package.add_argument(
        "--draft",
        action="store_true",
        help="without a complete publisher: a package marked as a draft in every file (not for publication)",
    )
    return parser


def check_members(members: Path | None) -> None:
    """``--members``: a file that exists (its rows are checked when read)."""
    if members is not None and not members.is_file():
        raise InputError(f"members file not found: {members}")


def check_out(out: Path | None) -> None:
    """``--out``: a file name, not a folder (the file itself is written atomically)."""
    if out is not None and out.is_dir():
        raise InputError(f"--out {out} is a folder; give a file name")


def export_view(args: argparse.Namespace, today: dt.date | None = None) -> ViewState:
    """The view an ``export`` shows, every option checked before anything is loaded."""
    today = today or dt.date.today()
    check_members(args.members)
    view = ViewState.checked(
        date=export_day(args),
        compare=args.compare,
        level=args.level,
        region=args.region,
        evidence=args.evidence,
        lang=args.lang,
        today=today,
    )
    if args.start is not None:
        check_day(args.start, today, "--from")
    if args.format != "datapackage":
        given = [f"--{dest.replace('_', '-')}" for dest in [*PUBLISHER_FLAGS.values(), "draft"] if getattr(args, dest)]
        if given:
            raise InputError(f"{', '.join(given)}: only for --format datapackage, not {args.format}")
    check_out(args.out)
    return view


def publisher_flags(args: argparse.Namespace) -> dict[str, str | None]:
    """The publisher values given on the command line, by field of :class:`exports.publisher.Publisher`."""
    return {field: getattr(args, dest) for field, dest in PUBLISHER_FLAGS.items()}


def export_day(args: argparse.Namespace) -> dt.date:
    """The last day shown: --date, or for an animation --to; animation options only with gif/mp4."""
    if args.format not in ANIMATION_FORMATS:
        if args.start or args.end:
            raise InputError(f"--from/--to make an animation: use --format gif or mp4, not {args.format}")
        if args.date is None:
            raise InputError(f"--format {args.format} needs --date")
        return args.date
    if args.compare is not None:
        raise InputError("--compare is not used by an animation; give --from and --to")
    if args.start is None:
        raise InputError(f"--format {args.format} needs --from (and --to or --date)")
    if args.end is not None and args.date is not None and args.end != args.date:
        raise InputError(f"--to {args.end} and --date {args.date} disagree; give one of them")
    end = args.end or args.date
    if end is None:
        raise InputError(f"--format {args.format} needs --to (the last day of the animation)")
    if args.start >= end:
        raise InputError(f"--from {args.start} must lie before --to {end}")
    return end
