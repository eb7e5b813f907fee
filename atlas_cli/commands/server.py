"""``serve``: the dashboard under Streamlit, with the server's settings (dashboard.webserver)."""

from __future__ import annotations

import argparse
import os

from loaders.errors import InputError


def cmd_serve(args: argparse.Namespace) -> int:
    """The dashboard with sign-in, upload gate, headers and the wire's limits (dashboard/serve.py, dashboard.webserver).

    A wrong setting in the environment (``$SID_ATLAS_FRAME_ANCESTORS``,
    ``$SID_ATLAS_TRUSTED_PROXY``, ``$SID_ATLAS_SERVER_NAMES``) is one line and
    exit code 2, before anything listens. The server's Streamlit settings are
    the package's own (``dashboard/.streamlit/config.toml``, read beside the
    entry script wherever the package is installed); the working directory
    stays where it was started, so its ``.streamlit/secrets.toml`` is the one read.
    """
    from dashboard import webserver

    try:
        settings = webserver.preflight(os.environ, args.address)
    except ValueError as error:
        raise InputError(str(error)) from None
    webserver.run(webserver.LAUNCHER, args.port, args.address, settings)
    return 0
