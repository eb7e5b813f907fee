"""``export``: a view as a press file (map, timeline, animation, the data behind it) and its alt text."""

from __future__ import annotations

import argparse

from atlas_cli.files import write_file
from atlas_cli.parser import export_view, publisher_flags
from exports.formats import ANIMATION_FORMATS, PICTURE_FORMATS
from loaders.errors import InputError


def cmd_export(args: argparse.Namespace) -> int:
    """``sid-atlas export``: one view as a press file, written whole or not at all."""
    from register import atlasdata

    view = export_view(args)
    publisher = None
    if args.format == "datapackage":
        # Checked before anything is loaded: a package without its publisher is refused in one line.
        from exports.publisher import configured, missing_message

        publisher = configured(publisher_flags(args))
        if not publisher.complete and not args.draft:
            raise InputError(missing_message(publisher))
    # matplotlib is loaded only for this command, never with the loaders package.
    from exports.dispatch import alt_text, export

    cov = atlasdata.load_coverage(str(args.members) if args.members else None)
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
        publisher=publisher,
        draft=args.draft,
    )
    written = [(args.out, data)]
    if args.format in PICTURE_FORMATS:  # the alt text beside it as NAME.alt.txt
        alt = alt_text(cov, view, start=args.start if args.format in ANIMATION_FORMATS else None, picture=args.picture)
        # karte.png -> karte.alt.txt: the text a content system asks for beside the picture.
        written.append((args.out.with_suffix(".alt.txt"), (alt + "\n").encode("utf-8")))
    for path, content in written:
        write_file(path, content)
    print(
        f"{args.out} ({args.format}, {len(data) / 1024:.0f} KB)"
        + (f"; alt text: {written[1][0]}" if len(written) > 1 else "")
    )
    return 0
