"""``serve``: the dashboard under Streamlit, with the server's settings (dashboard.webserver)."""

from __future__ import annotations

import argparse
import os

from loaders.errors import InputError


def cmd_serve(args: argparse.Namespace) -> int:
    """The dashboard with sign-in, upload gate, headers and the wire's limits (dashboard/serve.py, dashboard.webserver).

    A wrong setting in the environment (``$SID_ATLAS_FRAME_ANCESTORS``,
    ``$SID_ATLAS_TRUSTED_PROXY``, ``$SID_ATLAS_SERVER_NAMES``) is one line and
    exit code 2, before anything listens.
    """
    from loaders.paths import PROJECT_ROOT

    launcher = PROJECT_ROOT / "dashboard" / "serve.py"
    if not launcher.is_file():
        raise InputError("the dashboard is not installed in this checkout")
    from dashboard import webserver

    try:
        settings = webserver.preflight(os.environ, args.address)
    except ValueError as error:
        raise InputError(str(error)) from None
    # Streamlit reads .streamlit/config.toml from the working directory; run from the
    # project root so its settings (no usage statistics, static serving) always apply.
    os.chdir(PROJECT_ROOT)
    webserver.run(launcher, args.port, args.address, settings)
    return 0
