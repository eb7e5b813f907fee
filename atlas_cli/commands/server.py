"""``serve``: the dashboard under Streamlit, this process replaced by it."""

from __future__ import annotations

import argparse
import os
import sys

from loaders.errors import InputError


def cmd_serve(args: argparse.Namespace) -> int:
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
