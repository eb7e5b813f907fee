"""Start a Streamlit app on a free local port for the length of a ``with`` block."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from deploy.scaleout import wait_healthy

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port the OS just handed out; the tiny race until Streamlit binds it is acceptable here."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: Path, log_path: Path, *, startup_timeout: float = 90.0) -> Iterator[str]:
    """Run ``streamlit run script`` and yield its base URL; see :func:`streamlit_process`."""
    with streamlit_process(script, log_path, startup_timeout=startup_timeout) as (base, _):
        yield base


@contextlib.contextmanager
def streamlit_process(script: Path, log_path: Path, *,
                      startup_timeout: float = 90.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``streamlit run script`` and yield its base URL and process; always stop it afterwards.

    The process is the server itself (no shell in between), so its pid is the
    one whose memory the load test reads.

    The working directory is the repository, so ``.streamlit/config.toml``
    (usage statistics off, headless) applies exactly as for ``make run``.

    Raises
    ------
    RuntimeError
        When the health endpoint does not answer within ``startup_timeout``
        seconds or the process exits early; the log path is in the message.
    """
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        # A new session, so the whole process group (Streamlit and anything it
        # spawns) is stopped by its id, never by name.
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, proc, log_path, startup_timeout)
            yield base, proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)
