"""The ``sid-atlas`` command line: argument parsing, terminal output and exit codes.

It calls the library (``loaders``, the register, ``viewmodel``, ``exports``) and is
called by nobody in it: no module of ``loaders`` imports this package.

- :mod:`atlas_cli.parser`: the arguments and their checks (a view through
  :meth:`loaders.viewstate.ViewState.checked`, as the dashboard's URL is checked);
- :mod:`atlas_cli.output`: tables, CSV and JSON for the terminal, an error as one line;
- :mod:`atlas_cli.commands`: one module per command group, heavy imports inside them.

Every failure a user can cause ends in one line on stderr and exit code 2;
no traceback reaches the terminal. ``python -m atlas_cli`` is ``sid-atlas``.
"""

from __future__ import annotations

import os
import sys

from atlas_cli.commands import COMMANDS
from atlas_cli.output import one_line
from atlas_cli.parser import PROG, build_parser
from loaders.errors import AtlasError

__all__ = ["PROG", "build_parser", "main", "run"]


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit code: 0 done, 1 rows need attention or a bug, 2 bad input, 130 interrupted."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except AtlasError as error:
        print(f"{PROG}: error: {one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a bug: still one line, details on request
        if os.environ.get("SID_ATLAS_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(error).__name__}: {one_line(error)} (set SID_ATLAS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    """The ``sid-atlas`` console script (and ``python -m atlas_cli``): :func:`main`, then out at once.

    When :func:`main` returns, everything the command writes is written: each
    file through an atomic rename (:func:`loaders.paths.atomic_write`), the
    register committed. What the interpreter would still do is tear down the big
    modules a command imports (matplotlib, pyarrow, geopandas) and run their
    ``atexit`` hooks, none of which writes anything of ours: 0.2-0.5 s after the
    last file, longer than some commands' own work. So the log
    handlers and the standard streams are flushed, then the process ends without
    that teardown. ``SystemExit`` (``--help``, ``serve``) leaves the usual way.
    Tests call :func:`main` in-process and are not affected.
    """
    import contextlib
    import logging

    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader is gone (a closed pipe): nothing to deliver
            stream.flush()
    os._exit(code)
