"""``prepare`` (the data cache) and ``coverage`` (coverage as of a Stichtag)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from atlas_cli.output import coverage_records, render, table_text
from atlas_cli.parser import check_members

if TYPE_CHECKING:  # the CLI imports pandas and the model only for the commands that need them
    from loaders.coverage import Coverage


def cmd_prepare(args: argparse.Namespace) -> int:
    """``sid-atlas prepare``: the boundaries from source, joined and cached; prints what it wrote."""
    from loaders import store

    report = store.prepare(args.source, download=not args.no_download, rebuild=True)
    for item in report.sources:
        print(f"source  {item.spec.file:<28} {item.origin:<9} {item.path}")
    print(f"cache   {report.units_path}")
    for lod, sizes in report.web_sizes.items():
        print(f"web     {lod:<9} " + "  ".join(f"{level} {size / 1024:.0f} KB" for level, size in sizes.items()))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Coverage as of a Stichtag: the view model's unit rows, as every data export writes them."""
    from loaders import provenance
    from loaders.viewstate import check_day
    from register import atlasdata
    from viewmodel import model, text
    from viewmodel.rows import data_rows, unit_rows

    check_members(args.members)
    check_day(args.date, dt.date.today(), "--date")
    cov: Coverage = atlasdata.load_coverage(str(args.members) if args.members else None)
    units = unit_rows(cov, args.date, args.level, args.region, args.evidence, args.lang)
    if args.format != "table":
        rows = data_rows(cov, units, args.date, None, args.evidence)
        sys.stdout.write(
            render(coverage_records(rows.to_dict("records"), list(rows.columns)), args.format, list(rows.columns))
        )
        return 0
    words = text.Words(args.level, args.evidence, args.lang, events=model.events(cov))
    sys.stdout.write(table_text(units, words))
    # The same figures line as the app and every export, with its documented part; then the Datenstand.
    now: text.Figures = {**cov.summary(args.date, args.region, args.evidence), **model.documented_split(units)}
    print(text.figures_line(now, None, args.lang, args.evidence))
    print(text.currency(args.date, provenance.data_as_of(cov), args.lang))
    print(text.version_text(model.data_version(cov), args.lang))
    return 0
