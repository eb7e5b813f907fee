"""The commands, one module per group; each ``cmd_*`` takes the parsed arguments and returns the exit code.

The modules import only light parts of ``loaders`` at the top: a command loads what it needs
(the register's database layer, geopandas, matplotlib) inside its function, so
``sid-atlas coverage`` never pays for plotting or SQLAlchemy (tests/unit/test_process_cost.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from atlas_cli.commands import data, editors, members, press, server

Command = Callable[[argparse.Namespace], int]

COMMANDS: dict[str, Command] = {
    "prepare": data.cmd_prepare,
    "coverage": data.cmd_coverage,
    "serve": server.cmd_serve,
    "export": press.cmd_export,
    "check": members.cmd_check,
    "import": members.cmd_import,
    "register": members.cmd_register,
    "editors": editors.cmd_editors,
}
