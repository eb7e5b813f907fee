"""The ``sid-atlas`` command line.

Every failure a user can cause ends in one line on stderr and exit code 2;
no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import io
import json
import math
import os
import sys
from pathlib import Path

from loaders.boundaries import LEVELS
from loaders.coverage import EVIDENCE_FILTERS
from loaders.dates import parse_iso_day
from loaders.errors import AtlasError, InputError
from loaders.tables import csv_safe
from loaders.viewstate import LANGUAGES, VIEW_LEVELS

PROG = "sid-atlas"
# Mirrors exports.style.PRESETS and exports.render.FORMATS, kept here so that
# --help does not import matplotlib; tests/test_exports.py checks they agree.
EXPORT_PRESETS = ("16x9", "square", "a4", "a4-landscape")
EXPORT_FORMATS = ("png", "svg", "pdf", "html", "gif", "mp4", "csv", "xlsx", "geojson", "datapackage")
EXPORT_PICTURES = ("map", "timeline")
# Formats that are pictures: their alt text is written beside them as NAME.alt.txt.
ALT_TEXT_FORMATS = ("png", "svg", "pdf", "gif", "mp4")
ANIMATION_FORMATS = ("gif", "mp4")
OUTPUT_FIELDS = [
    "key",
    "name",
    "level",
    "status",
    "evidence",
    "member",
    "member_since",
    "member_precision",
    "member_evidence",
    "member_source",
    "gemeinden_total",
    "gemeinden_covered",
    "gemeinden_covered_documented",
    "population_total",
    "population_covered",
    "population_covered_documented",
    "area_km2_total",
    "area_km2_covered",
    "area_km2_covered_documented",
    "body_member",
    "body_member_since",
    "body_member_precision",
    "body_member_evidence",
    "body_member_source",
]
GEMEINDE_FIELDS = ["kreis_key", "via"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        raise InputError(f"{message} (see {self.prog} --help)")


def _date(text: str) -> dt.date:
    try:
        return parse_iso_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# The register's ids are SQL INTEGER (32 bits on PostgreSQL): a larger number names no import.
MAX_IMPORT_ID = 2**31 - 1


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
    parser = _Parser(prog=PROG, description="Coverage atlas of #sicherimDienst in NRW.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    prepare = commands.add_parser("prepare", help="build the data cache and report what was used")
    prepare.add_argument("--source", type=Path, help="folder holding dvg2_EPSG25832_Shape.zip and de-05.geojson")
    prepare.add_argument("--no-download", action="store_true", help="never try the official download places")

    coverage = commands.add_parser("coverage", help="coverage as of a Stichtag")
    coverage.add_argument("--date", type=_date, required=True, help="Stichtag, YYYY-MM-DD")
    coverage.add_argument("--level", choices=LEVELS, default="regierungsbezirk")
    coverage.add_argument("--region", help="Regierungsbezirk (e.g. 057) or Kreis key (e.g. 05766)")
    coverage.add_argument("--evidence", choices=EVIDENCE_FILTERS, default="all")
    coverage.add_argument("--members", type=Path, help="accession table in the shipped CSV schema")
    coverage.add_argument("--format", choices=("table", "csv", "json"), default="table")

    serve = commands.add_parser("serve", help="start the dashboard")
    serve.add_argument("--port", type=_port, default=8501)
    serve.add_argument(
        "--address",
        default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for all)",
    )

    check = commands.add_parser("check", help="per-row report on a partner list (CSV or XLSX) before import")
    check.add_argument("file", type=Path, help="partner list: CSV (comma/semicolon) or XLSX")
    check.add_argument("--format", choices=("text", "json"), default="text")

    db = _Parser(add_help=False)
    db.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL of the register (default: $SID_ATLAS_REGISTER_URL, "
        "[connections.register] in .streamlit/secrets.toml, else data/register.sqlite)",
    )
    imp = commands.add_parser("import", parents=[db], help="import a partner list (CSV/XLSX) or a register export")
    imp.add_argument("file", type=Path, help="partner list, or a dump written by 'register export'")
    imp.add_argument("--dry-run", action="store_true", help="report what the import would change; change nothing")
    imp.add_argument(
        "--no-seed",
        action="store_true",
        help="a register created now starts empty, not with the shipped data (to restore a dump)",
    )
    register = commands.add_parser("register", help="the membership register: export, undo, history")
    register_commands = register.add_subparsers(dest="register_command", required=True, parser_class=_Parser)
    dump = register_commands.add_parser(
        "export",
        parents=[db],
        help="full dump in the shipped accession CSV schema; re-imports into an empty register identically",
    )
    dump.add_argument("--out", type=Path, help="file to write (replaced atomically); default: standard output")
    dump.add_argument("--at", type=_date, help="the register as it stood at the end of this day (UTC)")
    undo = register_commands.add_parser("undo", parents=[db], help="undo an import (itself recorded as changes)")
    undo.add_argument("import_id", type=_import_id, metavar="IMPORT_ID")
    history = register_commands.add_parser("history", parents=[db], help="imports and undos, newest first")
    history.add_argument("--limit", type=_count, default=20, metavar="N")

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
    export.add_argument("--level", choices=VIEW_LEVELS, default="gemeinde")
    export.add_argument("--evidence", choices=EVIDENCE_FILTERS, default="all")
    export.add_argument("--preset", choices=EXPORT_PRESETS, default="16x9", help="page size of a map")
    export.add_argument(
        "--title",
        help="title, at most three lines on the page "
        "(default: #sicherimDienst – Beitritte in NRW / im Regierungsbezirk …)",
    )
    export.add_argument("--subtitle", help="pictures: an Unterzeile below the title")
    export.add_argument("--note", help="pictures: a source note above the credits")
    export.add_argument(
        "--picture",
        choices=EXPORT_PICTURES,
        default="map",
        help="png/svg/pdf: the map of the view or its coverage timeline",
    )
    export.add_argument("--lang", choices=LANGUAGES, default="de", help="language of the picture and the data")
    export.add_argument("--members", type=Path, help="accession table in the shipped CSV schema")
    export.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, help="file to write (replaced atomically)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except AtlasError as error:
        print(f"{PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: still one line, details on request
        if os.environ.get("SID_ATLAS_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(error).__name__}: {_one_line(error)} (set SID_ATLAS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


def _one_line(error: BaseException) -> str:
    """A message as one line, cut to a length a terminal shows: file content can end up in it."""
    text = " ".join(str(error).split())
    return text if len(text) <= 500 else text[:499] + "…"


def cmd_prepare(args) -> int:
    from loaders import store

    report = store.prepare(args.source, download=not args.no_download, rebuild=True)
    for item in report.sources:
        print(f"source  {item.spec.file:<28} {item.origin:<9} {item.path}")
    print(f"cache   {report.units_path}")
    for lod, sizes in report.web_sizes.items():
        print(f"web     {lod:<9} " + "  ".join(f"{level} {size / 1024:.0f} KB" for level, size in sizes.items()))
    return 0


def cmd_coverage(args) -> int:
    from loaders import store
    from loaders.viewstate import check_day
    from viewmodel import model, text

    if args.members is not None and not args.members.is_file():
        raise InputError(f"members file not found: {args.members}")
    check_day(args.date, dt.date.today(), "--date")
    cov = store.load_coverage(str(args.members) if args.members else None)
    frame = cov.as_of(args.date, args.level, args.region, args.evidence)
    fields = OUTPUT_FIELDS + (GEMEINDE_FIELDS if args.level == "gemeinde" else [])
    records = [{f: _plain(row[f]) for f in fields} for row in frame.to_dict("records")]
    sys.stdout.write(render(records, args.format, fields))
    if args.format == "table":
        # The same figures line as the app and every export, with its documented part.
        print(text.figures_line(cov.summary(args.date, args.region, args.evidence)))
        currency = text.currency(args.date, model.newest_documented(cov))
        if currency:
            print(currency)
    return 0


def cmd_serve(args) -> int:
    """The dashboard with sign-in, upload gate and headers (dashboard/serve.py, see dashboard.webserver)."""
    from loaders.paths import PROJECT_ROOT

    launcher = PROJECT_ROOT / "dashboard" / "serve.py"
    if not launcher.is_file():
        raise InputError("the dashboard is not installed in this checkout")
    # Streamlit reads .streamlit/config.toml from the working directory; run from the
    # project root so its settings (no usage statistics, static serving) always apply.
    os.chdir(PROJECT_ROOT)
    os.execvp(
        sys.executable,
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(launcher),
            "--server.port",
            str(args.port),
            "--server.address",
            args.address,
            "--browser.gatherUsageStats",
            "false",
        ],
    )
    return 0


def cmd_export(args) -> int:
    from loaders import store
    from loaders.paths import atomic_write
    from loaders.viewstate import ViewState, check_day

    if args.members is not None and not args.members.is_file():
        raise InputError(f"members file not found: {args.members}")
    day = _export_day(args)
    view = ViewState.checked(
        date=day, compare=args.compare, level=args.level, region=args.region, evidence=args.evidence, lang=args.lang
    )
    if args.start is not None:
        check_day(args.start, dt.date.today(), "--from")
    if args.out.is_dir():
        raise InputError(f"--out {args.out} is a folder; give a file name")
    # matplotlib is loaded only for this command, never with the loaders package.
    from exports.render import export

    cov = store.load_coverage(str(args.members) if args.members else None)
    data = export(
        cov,
        view,
        args.format,
        preset=args.preset,
        title=args.title,
        start=args.start,
        step=args.step,
        subtitle=args.subtitle,
        note=args.note,
        picture=args.picture,
    )
    written = [(args.out, data)]
    if args.format in ALT_TEXT_FORMATS:
        from exports.render import alt_text

        alt = alt_text(cov, view, start=args.start if args.format in ANIMATION_FORMATS else None, picture=args.picture)
        # karte.png -> karte.alt.txt: the text a content system asks for beside the picture.
        written.append((args.out.with_suffix(".alt.txt"), (alt + "\n").encode("utf-8")))
    for path, content in written:
        try:
            with atomic_write(path) as handle:
                handle.write(content)
        except OSError as error:
            raise InputError(f"cannot write {path}: {error.strerror or error}") from None
    print(
        f"{args.out} ({args.format}, {len(data) / 1024:.0f} KB)"
        + (f"; alt text: {written[1][0]}" if len(written) > 1 else "")
    )
    return 0


def _export_day(args) -> dt.date:
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


def cmd_check(args) -> int:
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


def cmd_import(args) -> int:
    """Exit 0 when every row was imported, 1 when any needs attention (2: unreadable, via main)."""
    import register
    from register import check

    with register.Register(register.configured_url(args.db), seed=not args.no_seed) as reg:
        result = reg.preview(args.file) if args.dry_run else reg.commit_import(args.file, _cli_user())
    sys.stdout.write(check.render_text(result.reports, result.summary))
    sys.stdout.write(register.render_text(result))
    return 0 if result.summary["needs_attention"] == 0 else 1


def cmd_register(args) -> int:
    """``register export|undo|history``: the register's dump, an undo, the import history."""
    import register
    from loaders.paths import atomic_write

    if args.register_command == "export" and args.out is not None and args.out.is_dir():
        raise InputError(f"--out {args.out} is a folder; give a file name")
    with register.Register(register.configured_url(args.db)) as reg:
        if args.register_command == "export":
            text = reg.export(at=args.at)
            if args.out is None:
                sys.stdout.write(text)
                return 0
            try:
                with atomic_write(args.out) as handle:
                    handle.write(text.encode("utf-8"))
            except OSError as error:
                raise InputError(f"cannot write {args.out}: {error.strerror or error}") from None
            print(f"{args.out} (register export, {len(text.encode()) / 1024:.0f} KB)")
        elif args.register_command == "undo":
            undo_id = reg.undo_import(args.import_id, _cli_user())
            print(f"Import {args.import_id} rückgängig gemacht (Eintrag #{undo_id})")
        else:
            sys.stdout.write(register.render_history(reg.history(args.limit)))
    return 0


def _cli_user() -> str:
    """Who changes the register from the command line, as the change log records it."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry, e.g. in a container
        name = str(os.getuid())
    return f"cli:{name}"


def _plain(value):
    """numpy / pandas scalars to JSON-friendly Python values."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    return value


def render(records: list[dict], fmt: str, fields: list[str]) -> str:
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_safe(v) for k, v in r.items()} for r in records)
        return buffer.getvalue()
    columns = ["key", "name", "member_since", "gemeinden", "davon belegt", "population", "share"]
    rows = [
        [
            r["key"],
            r["name"],
            r["member_since"] or ("unbekannt" if r["member"] is None and r["level"] != "land" else "–"),
            f"{r['gemeinden_covered']}/{r['gemeinden_total']}",
            str(r["gemeinden_covered_documented"]),
            f"{r['population_covered']:,}/{r['population_total']:,}",
            f"{100 * r['population_covered'] / r['population_total']:.1f} %",
        ]
        for r in records
    ]
    widths = [max(len(str(x)) for x in [c] + [row[i] for row in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip() for line in [columns] + rows]
    return "\n".join(lines) + "\n"


COMMANDS = {
    "prepare": cmd_prepare,
    "check": cmd_check,
    "coverage": cmd_coverage,
    "serve": cmd_serve,
    "export": cmd_export,
    "import": cmd_import,
    "register": cmd_register,
}

if __name__ == "__main__":
    sys.exit(main())
