"""Servers for the benchmark: a Streamlit app, or two behind nginx, on free local ports.

A free port is one the OS hands out for ``bind(("127.0.0.1", 0))``; it is
released before the server binds it, so another process may take it in
between. Rather than pretend that cannot happen, every start that fails
because its address is in use is retried on a fresh port (``PORT_TRIES``
times), and any other failure is reported with the server's log.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from deploy.scaleout import free_port, nginx, stop, wait_healthy

REPO = Path(__file__).resolve().parent.parent
PORT_TRIES = 5


def address_in_use(log_text: str) -> bool:
    """Whether a server's log says it could not bind its port.

    Examples
    --------
    >>> address_in_use("Port 8501 is not available")       # Streamlit's words
    True
    >>> address_in_use("bind() to 127.0.0.1:80 failed (98: Address already in use)")   # nginx's
    True
    >>> address_in_use("ModuleNotFoundError: No module named 'x'")
    False
    """
    text = log_text.lower()
    return any(words in text for words in ("is not available", "address already in use", "eaddrinuse"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@contextlib.contextmanager
def streamlit_server(script: Path, log_path: Path, *, startup_timeout: float = 90.0) -> Iterator[str]:
    """Run ``streamlit run script`` and yield its base URL; see :func:`streamlit_process`."""
    with streamlit_process(script, log_path, startup_timeout=startup_timeout) as (base, _):
        yield base


@contextlib.contextmanager
def streamlit_process(
    script: Path, log_path: Path, *, startup_timeout: float = 90.0, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``streamlit run script`` on a free port; yield its base URL and process; always stop it.

    The process is the server itself (no shell in between), so its pid is the
    one whose CPU time and memory the benchmark reads. The working directory
    is the repository, so ``.streamlit/config.toml`` applies exactly as for
    ``make run``.

    Raises
    ------
    RuntimeError
        When the health endpoint does not answer within ``startup_timeout``
        seconds, the process exits early for another reason than a taken
        port, or every port tried was taken; the log path is in the message.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(PORT_TRIES):
        port = free_port()
        with open(log_path, "w", encoding="utf-8") as log:
            # A new session, so the whole process group is stopped by its id, never by name.
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(script),
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                    "--server.fileWatcherType",
                    "none",
                ],
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **(env or {})},
            )
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_healthy(base, proc, log_path, startup_timeout)
            except RuntimeError:
                if proc.poll() is not None and address_in_use(_read(log_path)):
                    continue  # someone took the port in between: try another one
                raise
            yield base, proc
            return
        finally:
            stop(proc)
    raise RuntimeError(f"no free port after {PORT_TRIES} tries; see {log_path}")


@contextlib.contextmanager
def proxied_replicas(
    script: Path, workdir: Path, replicas: int = 2, *, startup_timeout: float = 90.0
) -> Iterator[tuple[str, list[str]]]:
    """``replicas`` servers of ``script`` behind nginx with ``deploy/nginx.conf.template``.

    The same configuration as ``deploy.scaleout`` (sticky by cookie; a client
    without the cookie, like the load test's, is spread over the replicas).
    No register is involved: the benchmark app reads the shipped data.

    Yields
    ------
    proxy_url, replica_urls
    """
    with contextlib.ExitStack() as stack:
        started = [
            stack.enter_context(
                streamlit_process(script, workdir / f"replica-{i}.log", startup_timeout=startup_timeout)
            )
            for i in range(replicas)
        ]
        ports = [int(base.rsplit(":", 1)[1]) for base, _ in started]
        for attempt in range(PORT_TRIES):
            listen = free_port()
            prefix = workdir / f"nginx-{attempt}"
            try:
                stack.enter_context(nginx(listen, ports, prefix))
            except RuntimeError:
                if address_in_use(_read(prefix / "error.log")) and attempt + 1 < PORT_TRIES:
                    continue
                raise
            yield f"http://127.0.0.1:{listen}", [base for base, _ in started]
            return
        raise RuntimeError(f"nginx found no free port in {PORT_TRIES} tries; see {workdir}")
