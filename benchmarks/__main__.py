"""``python -m benchmarks`` (``make bench``): ours vs the straightforward build, one run.

Measures, for NRW at Gemeinde level with warm server caches:

- geometry bytes sent to the browser (ours: the TopoJSON files the map
  fetches; baseline: the websocket bytes of one rerun to a new Stichtag,
  which carry the whole folium map);
- server time of a rerun after a Stichtag change (``AppTest``, see
  :mod:`benchmarks.rerun`);
- page open -> map fully drawn, and Stichtag change -> map and figures
  updated, in headless Chromium (see :mod:`benchmarks.browser`);
- the export time of an A4 300-dpi PNG (ours only, see :mod:`benchmarks.export`);
- the "Deutschland" scope: prepare time, geometry bytes and rerun time for
  all German Gemeinden in the files (see :mod:`benchmarks.germany_scope`);

then prints a table with ratios and the issue's targets and writes
``artifacts/bench.json``. Exit status 1 when a measurement failed (not when a
target is missed: that is a result, not an error).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

from benchmarks import apps, report
from benchmarks.report import Series
from benchmarks.server import REPO

ARTIFACTS = REPO / "artifacts"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--opens", type=int, default=5,
                        help="measured page opens per build (each also gives two Stichtag changes; default 5)")
    parser.add_argument("--reruns", type=int, default=9, help="measured AppTest reruns per build (default 9)")
    parser.add_argument("--only", choices=("baseline", "ours"), help="measure one build only")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--no-germany", action="store_true", help="skip the Deutschland scope")
    parser.add_argument("--prepares", type=int, default=3,
                        help="measured cold Germany prepares (default 3)")
    parser.add_argument("--sessions", type=int, default=50,
                        help="concurrent websocket sessions in the load test (0 skips it; default 50)")
    parser.add_argument("--think", type=float, default=3.0,
                        help="mean seconds between one session's Stichtag changes in the load test (default 3)")
    parser.add_argument("--json", type=Path, default=ARTIFACTS / "bench.json", help="where to write the JSON")
    return parser.parse_args(argv)


def failed(exc: BaseException) -> Series:
    """A measurement that could not be taken keeps its reason in the JSON."""
    return Series(error=f"{type(exc).__name__}: {exc}")


def measure_app(app: apps.App, args, notes: list[str], leaflet_dir: Path, leaflet_origin: str) -> dict[str, Series]:
    """All metrics for one build; failures become errors in the series, not crashes."""
    from benchmarks import browser, rerun, server

    out: dict[str, Series] = {}
    if not app.available:
        reason = Series(error=f"{app.script.relative_to(REPO)} not found")
        return {m.key: reason for m in report.METRICS}
    print(f"[{app.name}] server reruns (AppTest) ...", flush=True)
    try:
        out["server_rerun"] = rerun.measure(app, changes=args.reruns)
    except Exception as exc:
        traceback.print_exc()
        out["server_rerun"] = failed(exc)
    if args.no_browser:
        return out
    print(f"[{app.name}] browser ...", flush=True)
    try:
        from playwright.sync_api import sync_playwright

        from benchmarks.leaflet import CdnStandIn

        cdn = CdnStandIn(leaflet_dir) if app is apps.BASELINE else None
        with server.streamlit_server(app.script, ARTIFACTS / "bench" / f"{app.name}-server.log") as base, \
                sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS)
            try:
                result = browser.measure(chromium, base, app, opens=args.opens, cdn=cdn)
            finally:
                chromium.close()
        out.update(page_open=result.page_open, change=result.change, ws_open=result.ws_open,
                   ws_change=result.ws_change)
        if app is apps.BASELINE:
            # folium's geometry travels inside the websocket message of every rerun.
            out["geometry_raw"], out["geometry_gzip"] = result.ws_change, result.ws_change_gzip
            notes.append(
                f"baseline: CDN requests answered locally by the browser: {len(set(cdn.served))} URL(s) with "
                f"Leaflet from {leaflet_origin}, {len(set(cdn.stubbed))} unused helper script/stylesheet URL(s) "
                f"(jQuery, Bootstrap, awesome-markers, ...) with empty bodies, {len(set(cdn.aborted))} other "
                f"request(s) refused. Without this the baseline map stays blank offline; with it the "
                f"baseline pays no network latency for them, which favours it.")
        else:
            out["geometry_raw"], out["geometry_gzip"] = result.geometry_raw, result.geometry_gzip
            notes.append(f"ours: geometry files fetched by the map: {result.geometry_urls or 'none'}")
            refused = sorted(set(result.external.get("refused", [])))
            notes.append(f"ours: requests to hosts other than the app: {len(refused)} {refused[:5]}")
        notes.append(f"{app.name}: largest websocket messages of one Stichtag change: "
                     f"{'; '.join(result.largest_change_frames) or 'none over 10 KB'}")
    except Exception as exc:
        traceback.print_exc()
        for key in ("page_open", "change", "ws_open", "ws_change", "geometry_raw", "geometry_gzip"):
            out[key] = failed(exc)
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    machine = report.machine_info()
    notes = [
        "View: NRW, Gemeinde level; Stichtag 2024-01-31 <-> 2024-02-01 (Detmold's accession: 70 Gemeinden "
        "change); server caches warm (first run / first open discarded).",
        "server_rerun: streamlit.testing.v1.AppTest, time of at.run() after moving the Stichtag slider one "
        "day to a day not shown before (in-process script run, no websocket).",
        "page_open: fresh browser context (empty HTTP cache) -> map iframe reports all 396 Gemeinden drawn "
        "(ours: window.sidMap.drawn; baseline: 396 path.leaflet-interactive).",
        "change: keyboard ArrowRight/ArrowLeft on the 'Stichtag' slider -> map restyled/redrawn with the new "
        "states AND the st.metric figures changed; polled every 10 ms from Python.",
        "gzip sizes: gzip level 6 of the payload bytes, computed by the harness (whatever the transport negotiates is not counted).",
        "KB = 1000 bytes.",
    ]
    settings = {"opens": args.opens, "reruns": args.reruns, "only": args.only, "browser": not args.no_browser,
                "germany": not args.no_germany, "prepares": args.prepares, "sessions": args.sessions,
                "think_s": args.think}
    chosen = [a for a in (apps.BASELINE, apps.OURS) if args.only in (None, a.name)]
    started = time.perf_counter()
    results: dict[str, dict[str, Series]] = {}
    from benchmarks.leaflet import leaflet_dist

    with leaflet_dist() as (dist, origin):
        for app in chosen:
            for key, series in measure_app(app, args, notes, dist, origin).items():
                results.setdefault(key, {})[app.name] = series
    if args.only in (None, "ours"):
        print("[ours] A4 300-dpi PNG export ...", flush=True)
        try:
            from benchmarks import export

            results["export_a4_png"] = {"ours": export.measure()}
            notes.append(f"export_a4_png: exports.render.export(view, 'png', preset='a4') for NRW at Gemeinde "
                         f"level on {export.VIEW_DAY}, 2480 x 3508 px; first export discarded. The baseline "
                         "has no export.")
        except Exception as exc:
            traceback.print_exc()
            results["export_a4_png"] = {"ours": failed(exc)}
    if args.only in (None, "ours") and not args.no_germany:
        print("[ours] Deutschland scope ...", flush=True)
        try:
            from benchmarks import germany_scope

            results.update(germany_scope.measure(prepares=args.prepares, reruns=args.reruns))
            notes.append("de_*: all VG250-EW Gemeinden in the files (8,750 without Bayern). de_prepare: "
                         "loaders.germany.prepare(rebuild=True), cold build into the cache. de_geometry: ours the "
                         "TopoJSON the map fetches (coverage-simplified, 0.02°); baseline the same Gemeinden at "
                         "full source resolution, what a folium GeoJson embeds and resends per rerun (not timed). "
                         "de_server_rerun: AppTest reruns of benchmarks/germany_app.py (render_map, NRW statuses, "
                         "the rest not_yet) after a Stichtag change.")
        except Exception as exc:
            traceback.print_exc()
            for key in ("de_prepare", "de_geometry_raw", "de_geometry_gzip", "de_server_rerun"):
                results[key] = {"ours": failed(exc)}
    if args.only in (None, "ours") and args.sessions > 0:
        # Ours only: the straightforward build needs about 1 s of server time per change, so 50
        # sessions would only measure its queue.
        print(f"[ours] {args.sessions} concurrent sessions ...", flush=True)
        try:
            from benchmarks import sessions

            for key, series in sessions.bench(apps.OURS.script, ARTIFACTS / "bench" / "load-server.log",
                                              sessions=args.sessions, changes=sessions.CHANGES,
                                              think_s=args.think, ramp_s=sessions.RAMP_S, notes=notes).items():
                results[key] = {"ours": series}
        except Exception as exc:
            traceback.print_exc()
            for metric in report.METRICS:
                if metric.key.startswith("load_"):
                    results[metric.key] = {"ours": failed(exc)}
    rows = report.rows(results)
    print()
    print(report.format_table(rows))
    print()
    for note in notes:
        print("note:", note)
    print(f"machine: {machine['cores']} cores, {machine['cpu_model']}, Python {machine['python']}, "
          f"load {machine['loadavg_at_start']}")
    doc = report.to_json(rows, machine=machine, notes=notes, settings=settings)
    doc["elapsed_s"] = round(time.perf_counter() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    errors = [(key, name, s.error) for key, sides in results.items() for name, s in sides.items() if s.error]
    for key, name, error in errors:
        print(f"error: {name} {key}: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
