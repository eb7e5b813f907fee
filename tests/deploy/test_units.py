"""The shipped systemd units: hardened (``systemd-analyze security`` at most 4.5, the "OK" band) and writable where the server writes.

``systemd-analyze security --offline=true`` reads a unit file without a
running systemd (Debian 12's systemd 252 has it). Without the program the
analysis is skipped with the reason (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard import chartview, datafiles, mapview, webserver
from loaders import paths, store
from register import config

pytestmark = pytest.mark.deploy

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
REPLICA, NGINX = UNITS / "sid-atlas@.service", UNITS / "sid-atlas-nginx.service"
EXPOSURE = re.compile(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)")


def directives(unit: Path, name: str) -> list[str]:
    return [line.split("=", 1)[1] for line in unit.read_text().splitlines() if line.startswith(f"{name}=")]


@pytest.mark.parametrize("unit", [REPLICA, NGINX], ids=lambda unit: unit.name)
def test_systemd_analyze_security_puts_each_unit_in_the_ok_band(unit):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd): the units' exposure was not measured")
    done = subprocess.run(
        [analyze, "security", "--offline=true", "--no-pager", str(unit)], capture_output=True, text=True, timeout=60
    )
    found = EXPOSURE.search(done.stdout + done.stderr)
    assert found, done.stdout + done.stderr
    level, band = float(found.group(1)), found.group(2)
    assert level <= 4.5 and band == "OK", f"{unit.name}: {level} {band}\n{done.stdout}"


@pytest.mark.parametrize("unit", [REPLICA, NGINX], ids=lambda unit: unit.name)
def test_each_unit_bounds_memory_tasks_and_addresses(unit):
    assert directives(unit, "MemoryMax") and directives(unit, "TasksMax")
    assert directives(unit, "IPAddressDeny") == ["any"] and directives(unit, "IPAddressAllow") == ["localhost"]
    assert directives(unit, "ProtectSystem") == ["strict"]


def unit_environment(unit: Path, cache: str = "/var/cache", state: str = "/var/lib") -> dict[str, str]:
    """The ``Environment=`` assignments of a unit, systemd's %C (cache) and %S (state) expanded as for a system service."""
    env = {}
    for line in directives(unit, "Environment"):
        for assignment in line.split():
            name, value = assignment.split("=", 1)
            env[name] = value.replace("%C", cache).replace("%S", state)
    return env


def test_the_replica_may_write_exactly_where_the_server_writes_at_run_time(monkeypatch, tmp_path):
    # The unit's two folders, as systemd makes them for a system service.
    allowed = {Path(p) for line in directives(REPLICA, "ReadWritePaths") for p in line.split()}
    env = unit_environment(REPLICA)
    assert allowed == {Path(env[paths.CACHE_ENV]), Path(env[paths.DATA_ENV])}
    assert allowed == {Path("/var/cache/sid-atlas"), Path("/var/lib/sid-atlas")}
    assert directives(REPLICA, "CacheDirectory") == ["sid-atlas"]
    assert directives(REPLICA, "StateDirectory") == ["sid-atlas"]
    # Every place the server writes, with the unit's environment (its folders moved into tmp_path): inside them.
    for name, value in unit_environment(REPLICA, str(tmp_path / "cache"), str(tmp_path / "state")).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    cache, state = paths.cache_root(), paths.data_root()
    assert webserver.writable_cache() == cache
    written = {
        "prepared data": store.units_cache_path(),
        "source copies": paths.cache_dir() / "sources",
        "the page's data files": datafiles.folder(),
        "matplotlib": Path(os.environ["MPLCONFIGDIR"]),
        "fontconfig": Path(os.environ["XDG_CACHE_HOME"]) / "fontconfig",
        "the SQLite register": config.default_path(),
    }
    outside = {
        what: where for what, where in written.items() if cache not in where.parents and state not in where.parents
    }
    assert not outside, outside
    # No module of the installed atlas names a folder of its own to write in any more.
    for module in (mapview, chartview):
        assert not [name for name in vars(module) if name in ("GEOMETRY_DIR", "DATA_DIR")]
    assert "sid-atlas serve" in directives(REPLICA, "ExecStart")[0]
    # nginx writes pid, logs and temp folders in its prefix, which is its state directory.
    assert (
        directives(NGINX, "StateDirectory") == ["sid-atlas-nginx"]
        and "-p /var/lib/sid-atlas-nginx" in (directives(NGINX, "ExecStart")[0])
    )
