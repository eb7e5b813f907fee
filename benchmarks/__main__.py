"""``python -m benchmarks`` (``make bench``): the dashboard beside Streamlit's floor, in one run.

Measured side by side in one run, each figure with the load average before
and after it and the run with its commit (see :mod:`benchmarks.report` for the
rows and the targets in docs/performance.md). The yardstick is the floor, a one-slider,
one-text app (:mod:`benchmarks.floor_app`); the ten-widget trivial app stays
as context. Every ratio is a median of pairs measured in turn:

- a Stichtag change on real servers over the websocket, floor, trivial app,
  map alone and dashboard interleaved in one server lifetime: server CPU,
  latency, payload raw and on the wire, elements per change
  (:mod:`benchmarks.floor`); AppTest as a second, in-process figure for the
  dashboard (:mod:`benchmarks.rerun`);
- page open -> drawn and click -> restyled in headless Chromium, floor,
  trivial app and dashboard taking turns; browser script time per change
  (:mod:`benchmarks.browser`);
- restart -> first page computed, floor and atlas alternately with fresh
  servers (:mod:`benchmarks.restart`);
- two replicas behind nginx: bytes of a first and a returning visit (raw and
  on the wire), and the load sweep (10 … 600 sessions until p95 passes 1 s;
  the knee); the same sweep against one process, with memory per session as a
  slope (:mod:`benchmarks.sweep`);
- whole-process command-line costs, in pairs (:mod:`benchmarks.cli_cost`);
- the Deutschland scope: cold prepare, first session after it, geometry
  bytes, CPU per change (:mod:`benchmarks.germany_scope`);
- separate hosts (network namespaces, root only; ``--only hosts``): how soon
  one replica host follows an import made on another, sessions per replica
  host at p95 ≤ 1 s, and the failover time when a host is lost
  (:mod:`benchmarks.hosts`).

Writes ``artifacts/bench.json``; ``python -m benchmarks.report --readme
docs/performance.md`` puts its table into the performance page. ``--quick`` (``make bench
QUICK=1``) runs a small version of the websocket, sweep and command-line
parts only, for the test suite. Exit status 1 when a measurement failed (not
when a target is missed: that is a result, not an error).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import apps, report
from benchmarks.report import Series
from benchmarks.server import REPO

ARTIFACTS = REPO / "artifacts"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a small run of the websocket, sweep and command-line parts (for tests)"
    )
    parser.add_argument("--opens", type=int, default=5, help="measured page opens per app (default 5)")
    parser.add_argument(
        "--batches", type=int, default=5, help="CPU samples per app, each a batch of --batch changes (default 5)"
    )
    parser.add_argument("--batch", type=int, default=8, help="changes per CPU sample (default 8)")
    parser.add_argument("--reruns", type=int, default=9, help="AppTest reruns of the dashboard (default 9)")
    parser.add_argument(
        "--counts",
        type=int,
        nargs="+",
        default=list(report_counts()),
        help="session counts of the load sweep (default 10 20 50 100 200)",
    )
    parser.add_argument("--changes", type=int, default=3, help="Stichtag moves per viewer in the sweep (default 3)")
    parser.add_argument(
        "--think", type=float, default=3.0, help="mean seconds between one viewer's moves in the sweep (default 3)"
    )
    parser.add_argument("--cli-repeats", type=int, default=5, help="whole-process pairs per command (default 5)")
    parser.add_argument("--prepares", type=int, default=2, help="cold Germany prepares (default 2)")
    parser.add_argument(
        "--restarts", type=int, default=3, help="fresh-server turns per app for restart -> first page (default 3)"
    )
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also measure the straightforward folium build over the websocket (slow)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium (page open, visit bytes)")
    parser.add_argument("--no-nginx", action="store_true", help="skip the two replicas behind nginx")
    parser.add_argument("--no-germany", action="store_true", help="skip the Deutschland scope")
    parser.add_argument("--no-export", action="store_true", help="skip the A4 PNG export process")
    parser.add_argument(
        "--no-hosts", action="store_true", help="skip the separate hosts (network namespaces; needs root)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        metavar="PART",
        help=f"run only these parts ({', '.join(PARTS)}); the --no-* flags still apply within them",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="where to write the JSON (default artifacts/bench.json; with --only artifacts/bench-PART….json)",
    )
    args = parser.parse_args(argv)
    if args.json is None:
        # A part run alone never replaces the full run's file, which the performance page's table is made from.
        args.json = ARTIFACTS / ("bench.json" if args.only is None else f"bench-{'-'.join(args.only)}.json")
    if args.quick:
        args.batches, args.batch, args.counts, args.changes, args.think = 1, 2, [2], 1, 0.2
        args.cli_repeats, args.no_browser, args.no_nginx, args.no_germany, args.no_export = 1, True, True, True, True
        args.no_hosts = True
        args.reruns, args.restarts = 0, 0
    return args


# The parts of a run, in the order they run; ``--only`` picks some of them.
PARTS = ("websocket", "apptest", "browser", "restart", "nginx", "sweep", "cli", "press", "germany", "hosts")


def wanted(args: argparse.Namespace, part: str) -> bool:
    """Whether ``part`` runs: every part unless ``--only`` names others, minus what a ``--no-*`` flag skips.

    Examples
    --------
    >>> wanted(parse_args([]), "nginx"), wanted(parse_args(["--no-nginx"]), "nginx")
    (True, False)
    >>> wanted(parse_args(["--only", "cli"]), "cli"), wanted(parse_args(["--only", "cli"]), "sweep")
    (True, False)
    >>> wanted(parse_args(["--only", "germany", "--no-germany"]), "germany")
    False
    """
    skipped = {
        "apptest": not args.reruns,
        "browser": args.no_browser,
        "nginx": args.no_nginx,
        "germany": args.no_germany,
        "hosts": args.no_hosts,
        "restart": not args.restarts,
    }
    return (args.only is None or part in args.only) and not skipped.get(part, False)


def report_counts():
    from benchmarks.sweep import COUNTS

    return COUNTS


class Run:
    """Collects series, sweeps and notes; a failing part becomes errors in its rows, not a crash."""

    def __init__(self):
        self.results: dict[str, Series] = {}
        self.sweeps: dict[str, list[dict]] = {}
        self.notes: list[str] = []

    def part(self, title: str, keys: tuple[str, ...], measure: Callable[[], dict[str, Series]]) -> None:
        print(f"[{title}] ...", flush=True)
        before = report.load_average()
        try:
            got = measure()
        except Exception as exc:
            traceback.print_exc()
            got = {key: Series(error=f"{type(exc).__name__}: {exc}") for key in keys}
        self.results.update(report.stamp(got, before, report.load_average()))


def main(argv=None) -> int:
    args = parse_args(argv)
    machine = report.machine_info()
    run = Run()
    logs = ARTIFACTS / "bench"
    started = time.perf_counter()

    from benchmarks import floor

    floor_apps = [apps.FLOOR, apps.TRIVIAL, apps.MAP_ONLY, apps.OURS] + ([apps.BASELINE] if args.baseline else [])
    if args.quick:
        floor_apps = [apps.FLOOR, apps.OURS]
    if wanted(args, "websocket"):
        kinds = ("cpu", "latency", "payload_new", "wire_new", "elements", "payload_seen", "first_open")

        def over_websocket():
            scripts = {app.name: app.script for app in floor_apps}
            return floor.measure(scripts, logs, batches=args.batches, batch=args.batch)

        run.part(
            "Stichtag changes over the websocket, every app interleaved",
            tuple(f"{k}_{app.name}" for app in floor_apps for k in kinds),
            over_websocket,
        )
        run.notes.append(
            "cpu_*/latency_*/payload_*/wire_*/elements_*: one server per app, all up at once; one viewer each "
            "(the browser's protocol: first run with the address, the slider's change as a rerun of its fragment, "
            "the message cache) moves the Stichtag to a day not shown before, across four coverage periods in turn; "
            f"{args.batches} batches of {args.batch} changes per app after 3 warm-up changes, the apps taking turns "
            "batch by batch (who goes first rotates), so ratios are medians of batch pairs. CPU = the server "
            "process's user+system time (/proc/<pid>/stat) per change; payload raw = websocket messages after "
            "decompression, on the wire = bytes read from the socket (compressed frames); elements = delta "
            "messages per change."
        )
    if args.baseline:
        run.notes.append(
            "*_baseline: the straightforward build (benchmarks/baseline_app.py, folium, from the bench extra); its "
            "payload per change is its geometry, resent on every rerun."
        )

    if wanted(args, "apptest"):
        from benchmarks import rerun

        run.part(
            "dashboard: AppTest reruns",
            ("apptest_ours",),
            lambda: {"apptest_ours": rerun.measure(apps.OURS, changes=args.reruns)},
        )
        run.notes.append(
            "apptest_ours: streamlit.testing AppTest, at.run() after a one-day move, in this process "
            "(no websocket; AppTest recompiles the script on every run, so it overstates a rerun): "
            "a second figure only."
        )

    if wanted(args, "browser"):
        browser_apps = (apps.FLOOR, apps.TRIVIAL, apps.OURS)
        run.part(
            "Chromium, every app interleaved",
            tuple(f"{k}_{app.name}" for app in browser_apps for k in ("open", "change", "script", "frames")),
            lambda: browser_part(browser_apps, args, logs),
        )
        run.notes.append(
            "open_*/change_*/script_*: one server per app as `sid-atlas serve` serves (benchmarks/served_app.py), all "
            "up at once; the apps' page opens take turns (A B C, B C A …), so open_i of two apps form a pair. Fresh "
            "browser context (empty HTTP cache), page open -> the app's map reports all 396 Gemeinden drawn (floor "
            "and trivial app: their figure shows); first open discarded. change_*: keyboard on the Stichtag slider "
            "-> map restyled and figures changed; script_*: Chromium's ScriptDuration (CDP Performance) from the "
            "key press until the socket was quiet for 0.75 s, for the change to a day not shown before."
        )

    if wanted(args, "restart"):
        from benchmarks import restart

        run.part(
            "restart -> first page",
            ("restart_floor", "restart_ours", "first_visit_ours", "second_visit_ours"),
            lambda: restart.measure({"floor": apps.FLOOR.script, "ours": apps.SERVED}, logs, rounds=args.restarts),
        )
        run.notes.append(
            "restart_*: a fresh server process, its health polled every 0.25 s; when it says ok a first viewer opens "
            "the page, then a second; restart = process start -> the first viewer's page run finished. The atlas as "
            "`sid-atlas serve` runs it (its health warms the first page), the floor as a bare `streamlit run`; "
            f"{args.restarts} turns of each, alternately with fresh servers (after one unmeasured turn each), "
            "ratios pair by pair."
        )

    if wanted(args, "nginx"):
        run.part(
            "two replicas behind nginx",
            ("cold_open_bytes", "cold_open_raw", "warm_open_bytes", "warm_open_ws", "knee_two"),
            lambda: nginx_part(args, logs, run),
        )
    from benchmarks import sweep

    if wanted(args, "sweep"):
        run.part("one process: load sweep", ("knee_one", "load_memory"), lambda: sweep_part(args, logs, run))
    if wanted(args, "sweep") or wanted(args, "nginx"):
        run.notes.append(
            f"Sweeps: per session count, all viewers open (0.1 s apart) and stay connected, then each moves the "
            f"Stichtag {args.changes} times across Detmold's accession, {0.5 * args.think:g}-{1.5 * args.think:g} s "
            f"apart; knee = largest count with p95 (change -> page sent) <= {sweep.P95_LIMIT_MS / 1000:g} s and no "
            "errors, counting up to the first failing count; larger counts are not run."
        )

    from benchmarks import cli_cost

    if wanted(args, "cli"):
        run.part(
            "command line",
            ("cli_coverage", "cli_geopandas", "cli_coverage_ratio")
            + (() if args.no_export else ("cli_export", "export_ratio")),
            lambda: cli_cost.measure(args.cli_repeats, export=not args.no_export),
        )
        run.notes.append(
            "cli_*: whole processes timed from outside, A and yardstick in turn, ratios pair by pair; "
            "coverage: `sid-atlas coverage --date 2024-02-01` (NRW, Regierungsbezirk level); export: "
            "`sid-atlas export --date 2024-02-01 --format png --preset a4` (2480 x 3508 px)."
        )

    from benchmarks import press

    if wanted(args, "press"):
        run.part("press files", ("svg_nrw", "svg_region_compare", "pdf_nrw", "datapackage_nrw"), press.measure)
        run.notes.append(
            "press files: bytes of `sid-atlas export` for 2024-02-01 (deterministic, one sample): SVG "
            "16:9 of NRW, SVG of RB Detmold compared with 2024-01-31, PDF 16:9 of NRW, datapackage of NRW."
        )

    if wanted(args, "germany"):
        from benchmarks import germany_scope

        run.part(
            "Deutschland",
            ("de_prepare", "de_first_session", "de_scope_read", "de_geometry_raw", "de_geometry_gzip", "de_cpu"),
            lambda: germany_scope.measure(
                prepares=args.prepares, batches=max(1, args.batches // 2), batch=args.batch, log_dir=logs
            ),
        )
        run.notes.append(
            "de_*: all VG250-EW Gemeinden in ../shared (8,750 without Bayern); NRW's carry their "
            "status, the rest not_yet (benchmarks/germany_app.py). de_first_session is a fresh "
            "server's first page run: it includes importing the app's modules and building the NRW "
            "model, which any first session pays (compare the map-only app's first page run); "
            "de_scope_read is the Deutschland data alone."
        )

    if wanted(args, "hosts"):
        run.part(
            "separate hosts",
            ("hosts_failover", "hosts_follow_click", "hosts_follow_idle", "hosts_sessions_per_replica"),
            lambda: hosts_part(args, logs, run),
        )

    rows = report.rows(run.results)
    print()
    print(report.format_table(rows))
    print()
    for note in run.notes:
        print("note:", note)
    print(
        f"machine: {machine['cores']} cores, {machine['cpu_model']}, Python {machine['python']}, "
        f"load {machine['loadavg_at_start']} at start, {report.load_average()} at the end"
    )
    settings = {k: v for k, v in vars(args).items() if k != "json"}
    doc = report.to_json(
        rows, machine=machine, notes=run.notes, settings=settings, results=run.results, sweeps=run.sweeps
    )
    doc["elapsed_s"] = round(time.perf_counter() - started, 1)
    doc["machine"]["loadavg_at_end"] = report.load_average()
    from loaders.paths import atomic_write

    with atomic_write(args.json, "w") as handle:
        handle.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(
        f"wrote {args.json} ({doc['elapsed_s']:.0f} s); table: python -m benchmarks.report --readme docs/performance.md"
    )
    errors = [(key, s.error) for key, s in run.results.items() if s.error]
    for key, error in errors:
        print(f"error: {key}: {error}", file=sys.stderr)
    return 1 if errors else 0


def browser_part(browser_apps, args, logs: Path) -> dict[str, Series]:
    import contextlib

    from playwright.sync_api import sync_playwright

    from benchmarks import browser, server

    # Every app behind sid-atlas serve's routes (the page's data files come from one of them): benchmarks/served_app.py.
    with contextlib.ExitStack() as stack:
        servers = {}
        for app in browser_apps:
            served = server.streamlit_process(
                server.REPO / "benchmarks" / "served_app.py",
                logs / f"{app.name}-browser.log",
                env={"SID_BENCH_SCRIPT": str(app.script)},
            )
            base, _ = stack.enter_context(served)
            servers[app.name] = (base, app)
        pw = stack.enter_context(sync_playwright())
        chromium = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
        try:
            results = browser.measure_interleaved(chromium, servers, opens=args.opens)
        finally:
            chromium.close()
    out: dict[str, Series] = {}
    for name, result in results.items():
        out.update(
            {
                f"open_{name}": result.page_open,
                f"change_{name}": result.change,
                f"script_{name}": result.script,
                f"frames_{name}": result.frames,
            }
        )
    ours = results.get(apps.OURS.name)
    if ours is not None:
        out.update(geometry_raw=ours.geometry_raw, geometry_gzip=ours.geometry_gzip)
    return out


def nginx_part(args, logs: Path, run: Run) -> dict[str, Series]:
    from benchmarks import sessions, sweep
    from benchmarks.server import proxied_replicas

    out: dict[str, Series] = {}
    # The replicas as deployed (deploy/scaleout.py): `sid-atlas serve`'s server, whose cache headers a returning visit meets.
    with proxied_replicas(apps.SERVED, logs / "replicas") as (proxy, replicas):
        for base in replicas:
            sessions.run_sync(sessions.warm_up(base))
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            from benchmarks import browser

            try:
                with sync_playwright() as pw:
                    chromium = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
                    try:
                        cold, warm = browser.open_bytes(chromium, proxy, apps.OURS)
                    finally:
                        chromium.close()
                print(
                    f"  visit bytes on the wire (HTTP + websocket): first {cold.http_wire} + {cold.ws_wire}, "
                    f"returning {warm.http_wire} + {warm.ws_wire}; raw first {cold.http_raw} + {cold.ws_raw}"
                )
                out.update(
                    cold_open_bytes=Series([float(cold.wire)]),
                    cold_open_raw=Series([float(cold.raw)]),
                    warm_open_bytes=Series([float(warm.wire)]),
                    warm_open_ws=Series([float(warm.ws_wire)]),
                )
            except Exception as exc:  # the sweep below still runs
                traceback.print_exc()
                reason = f"{type(exc).__name__}: {exc}"
                out.update(
                    cold_open_bytes=Series(error=reason),
                    cold_open_raw=Series(error=reason),
                    warm_open_bytes=Series(error=reason),
                    warm_open_ws=Series(error=reason),
                )
            run.notes.append(
                "cold/warm_open_*: the dashboard as `sid-atlas serve` runs it (dashboard/serve.py), two replicas "
                "through nginx (deploy/nginx.conf.template), a first visit in a fresh browser context, then a new "
                "tab in the same context; HTTP and websocket counted alike: on the wire = HTTP as transferred "
                "(encoded body + headers) plus the websocket's messages as permessage-deflate sends them (computed "
                "from the decompressed messages Chromium reports); raw = decoded bodies plus decompressed messages."
            )
        steps = sweep.run(
            proxy, None, counts=args.counts, changes=args.changes, think_s=args.think, ramp_s=sessions.RAMP_S
        )
    run.sweeps["two replicas behind nginx"] = [vars(s) for s in steps]
    run.notes.extend(filter(None, [sweep.knee_note("knee_two", steps)]))
    out["knee_two"] = Series([float(sweep.knee(steps))])
    return out


def sweep_part(args, logs: Path, run: Run) -> dict[str, Series]:
    from benchmarks import sessions, sweep

    steps = sweep.one_process(
        apps.SERVED,  # as `sid-atlas serve` runs it, like the replicas behind nginx
        logs / "sweep-one.log",
        counts=args.counts,
        changes=args.changes,
        think_s=args.think,
        ramp_s=sessions.RAMP_S,
    )
    run.sweeps["one process"] = [vars(s) for s in steps]
    run.notes.extend(filter(None, [sweep.knee_note("knee_one", steps)]))
    out = {"knee_one": Series([float(sweep.knee(steps))])}
    per_session = sweep.memory_per_session(steps)
    out["load_memory"] = (
        Series([per_session]) if per_session is not None else Series(error="fewer than two session counts measured")
    )
    return out


def hosts_part(args, logs: Path, run: Run) -> dict[str, Series]:
    """Replicas on separate hosts (benchmarks/hosts.py): follow times, sessions per replica, failover."""
    import shutil
    import tempfile

    from benchmarks import hosts, sweep
    from loaders import paths

    reason = hosts.missing()
    if reason:
        raise RuntimeError(reason)
    geodata = os.environ.get(paths.GEODATA_ENV) or paths.SHARED_GEODATA_DIR
    if geodata is None:
        raise RuntimeError("no official geodata folder (../shared/geodata or $SID_ATLAS_GEODATA)")
    root = Path(tempfile.mkdtemp(prefix="sidh-bench-", dir="/tmp"))
    root.chmod(0o755)
    out: dict[str, Series] = {}
    try:
        # The idle check at its production period (dashboard/freshness.py), so the idle figure is the real one.
        with hosts.site(root, Path(geodata), follow=60) as site:
            lists = site.workdir / "lists"
            lists.mkdir()
            follows = [hosts.follow_times(site, lists, idle=not args.no_browser)]
            follows += [hosts.follow_times(site, lists, idle=False) for _ in range(2)]
            out["hosts_follow_click"] = Series([f["click"] * 1000 for f in follows])
            out["hosts_follow_idle"] = (
                Series([f["idle"] * 1000 for f in follows if "idle" in f])
                if not args.no_browser
                else Series(error="--no-browser")
            )
            # People behind addresses of their own (one address may hold 50 websockets at nginx).
            sources = site.net.more_addresses("client", 64)
            passing = 0
            for count in sorted(c for c in args.counts if c <= 200):
                load = hosts.sessions_load(site, count, changes=args.changes, think_s=args.think, sources=sources)
                p95 = report.percentile(load.change_ms, 95)
                ok = not load.errors and p95 is not None and p95 <= sweep.P95_LIMIT_MS
                print(f"  {count} sessions {load.per_replica()}: p95 {p95 or 0:.0f} ms, {len(load.errors)} errors")
                if not ok:
                    break
                passing = count
            out["hosts_sessions_per_replica"] = Series([passing / len(hosts.REPLICAS)])
            moved = hosts.failover(site, 40, down="a", sources=sources)
            if moved.errors or moved.untouched_errors:
                out["hosts_failover"] = Series(error=(moved.errors + moved.untouched_errors)[0])
            else:
                out["hosts_failover"] = Series([s * 1000 for s in moved.moved_s])
    finally:
        hosts.writable(root)
        shutil.rmtree(root, ignore_errors=True)
    run.notes.append(
        "hosts_*: benchmarks/hosts.py — nginx, two replica hosts (the wheel installed read-only, run as nobody) "
        "and PostgreSQL as Linux network namespaces. follow: `sid-atlas import` on host a, then host b's page at a "
        "viewer's next run (3 samples) and on an idle Chromium page (the fragment's 60 s check); sessions per "
        "replica: the largest count of the sweep with p95 (change -> page sent) <= 1 s and no errors, halved "
        "(viewers from 64 addresses; a lower bound when the sweep's largest count passed); failover: 40 sessions "
        "moving every second, host a's cable pulled, seconds until each of its sessions ran a page on host b (p95)."
    )
    return out


if __name__ == "__main__":
    sys.exit(main())
