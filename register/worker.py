"""An uploaded file read and checked in a child process, within limits of CPU time, memory and wall-clock time.

Why a child process
    A partner list is made by whoever uploads it. Read inside the web
    process, a file that costs CPU or memory costs every viewer of that
    replica: the process answers no one while it parses, and SIGTERM waits
    for it. Here the parsing runs in ``python -m register.worker``, a process
    of its own with ``RLIMIT_CPU`` (:data:`CPU_SECONDS`) and ``RLIMIT_AS``
    (:data:`MEMORY_MB`), killed after :data:`WALL_SECONDS` and with its parent
    (``PR_SET_PDEATHSIG``). The web process waits for it in the page's own
    script thread, so other sessions are served meanwhile, and a replica told
    to stop takes the child with it. At most :data:`AT_ONCE` children run per
    web process; a further upload waits up to :data:`QUEUE_SECONDS` for a turn.

What crosses
    To the child: the file's name and bytes, the day, and the unit table's
    columns the check needs (so parent and child judge by the same table).
    Back: the :class:`register.reading.Loaded` as JSON (never a pickle: the
    child handles hostile input, the parent trusts no code from it), at most
    :data:`MAX_RESULT_MB`. An :class:`~loaders.errors.InputError` in the
    child comes back as its message; a child killed by a limit becomes an
    InputError saying which.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

from loaders.errors import InputError

LOG = logging.getLogger("sid_atlas.worker")

if TYPE_CHECKING:
    import pandas as pd

    from register.reading import Loaded

CPU_SECONDS = 20
MEMORY_MB = 1024  # address space, not resident memory: Python with pandas maps ~500 MB before reading anything
WALL_SECONDS = 30
AT_ONCE = 2
QUEUE_SECONDS = 30
MAX_RESULT_MB = 64
UNIT_COLUMNS = ("level", "key", "name", "kreis_key", "rb_key")
# One thread per numeric library: no thread pools mapping memory for nothing.
CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

_turns = threading.BoundedSemaphore(AT_ONCE)


def load(name: str, data: bytes, units: pd.DataFrame, today: dt.date) -> Loaded:
    """:func:`register.reading.load` of ``name`` and ``data``, run in a limited child process.

    Raises
    ------
    InputError
        The file is unreadable (the reader's own message), or the child hit a
        limit, or too many files are being read on this server right now.
    """
    header = {
        "name": name,
        "today": today.isoformat(),
        "cpu_seconds": CPU_SECONDS,
        "memory_mb": MEMORY_MB,
        "columns": list(UNIT_COLUMNS),
        "units": [[_text(value) for value in row] for row in units[list(UNIT_COLUMNS)].itertuples(index=False)],
    }
    payload = json.dumps(header).encode("utf-8") + b"\n" + data
    if not _turns.acquire(timeout=QUEUE_SECONDS):
        raise InputError(f"{name}: other files are being checked on this server right now; please try again shortly")
    try:
        out, err, code = _run(payload)
    finally:
        _turns.release()
    if code is None:
        raise InputError(f"{name}: checking it took longer than {WALL_SECONDS} s; not read")
    if code == -signal.SIGXCPU:
        raise InputError(f"{name}: checking it took more than {CPU_SECONDS} s of CPU; not read")
    if code == -signal.SIGKILL:
        raise InputError(f"{name}: checking it was stopped at the limit of CPU time or memory; not read")
    try:
        answer = json.loads(out) if out else {}
    except ValueError:
        answer = {}
    if "error" in answer:
        raise InputError(str(answer["error"]))
    if code != 0 or "loaded" not in answer:
        if b"MemoryError" in err or answer.get("memory"):
            raise InputError(f"{name}: checking it needs more than {MEMORY_MB} MB of memory; not read")
        # A fault of the program, not of the file: its traceback (no file content) goes to the log.
        LOG.error("register.worker ended with %s: %s", code, err.decode("utf-8", "replace").strip()[-2000:])
        raise InputError(f"{name}: the file could not be checked (the checking process ended with {code})")
    return _loaded(answer["loaded"])


def _run(payload: bytes) -> tuple[bytes, bytes, int | None]:
    """Run the child on ``payload``; stdout, stderr and exit code (None: killed after :data:`WALL_SECONDS`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "register.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **CHILD_ENV},
    )
    try:
        out, err = process.communicate(payload, timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return b"", b"", None
    except BaseException:  # interrupted (the server stops): the child goes too
        process.kill()
        process.wait()
        raise
    if len(out) > MAX_RESULT_MB * 1024 * 1024:
        return b"", b"result too large", 1
    return out, err[-4000:], process.returncode


def _text(value) -> str | None:
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _loaded(document: dict) -> Loaded:
    """A :class:`register.reading.Loaded` back from the child's JSON."""
    from register.check import RowReport
    from register.reading import Loaded

    return Loaded(
        file=document["file"],
        sha256=document["sha256"],
        reports=[RowReport(**row) for row in document["reports"]],
        summary=document["summary"],
        records={int(row): record for row, record in document["records"].items()},
        complete=document["complete"],
        today=dt.date.fromisoformat(document["today"]),
        default_source=document["default_source"],
    )


def as_document(loaded: Loaded) -> dict:
    """What the child sends back: :class:`register.reading.Loaded` as plain JSON values."""
    return {
        "file": loaded.file,
        "sha256": loaded.sha256,
        "reports": [dataclasses.asdict(report) for report in loaded.reports],
        "summary": loaded.summary,
        "records": {str(row): record for row, record in loaded.records.items()},
        "complete": loaded.complete,
        "today": loaded.today.isoformat(),
        "default_source": loaded.default_source,
    }


def _limit_self(cpu_seconds: int, memory_mb: int) -> None:
    """In the child, before the file is read: CPU, address space, no core file, and die with the parent."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":
        import ctypes

        # No glibc: the wall-clock timeout and the CPU limit still end the child.
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the line above
            os._exit(1)


def main() -> int:
    """The child: read the header line and the file from stdin, write the result as one JSON document."""
    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline(16 * 1024 * 1024))  # the parent's: name, day, limits, units
    _limit_self(int(header["cpu_seconds"]), int(header["memory_mb"]))
    data = stdin.read()
    try:
        import pandas as pd

        from register import reading

        units = pd.DataFrame(header["units"], columns=header["columns"], dtype="string")
        loaded = reading.load(header["name"], data, units, dt.date.fromisoformat(header["today"]))
        answer: dict = {"loaded": as_document(loaded)}
    except InputError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"memory": True}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
