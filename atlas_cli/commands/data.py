"""``prepare`` (the data cache) and ``coverage`` (coverage as of a Stichtag)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from atlas_cli.parser import check_members
from atlas_cli.render import GEMEINDE_FIELDS, OUTPUT_FIELDS, coverage_records, render


def cmd_prepare(args: argparse.Namespace) -> int:
    from loaders import store

    report = store.prepare(args.source, download=not args.no_download, rebuild=True)
    for item in report.sources:
        print(f"source  {item.spec.file:<28} {item.origin:<9} {item.path}")
    print(f"cache   {report.units_path}")
    for lod, sizes in report.web_sizes.items():
        print(f"web     {lod:<9} " + "  ".join(f"{level} {size / 1024:.0f} KB" for level, size in sizes.items()))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from loaders import store
    from loaders.viewstate import check_day
    from viewmodel import model, text

    check_members(args.members)
    check_day(args.date, dt.date.today(), "--date")
    cov = store.load_coverage(str(args.members) if args.members else None)
    frame = cov.as_of(args.date, args.level, args.region, args.evidence)
    fields = OUTPUT_FIELDS + (GEMEINDE_FIELDS if args.level == "gemeinde" else [])
    sys.stdout.write(render(coverage_records(frame.to_dict("records"), fields), args.format, fields))
    if args.format == "table":
        # The same figures line as the app and every export, with its documented part.
        print(text.figures_line(cov.summary(args.date, args.region, args.evidence)))
        currency = text.currency(args.date, model.newest_documented(cov))
        if currency:
            print(currency)
    return 0
