# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LEAFLET := webparts/map_component/vendor/leaflet/leaflet.js
TOPOJSON := webparts/map_component/vendor/topojson-client/topojson-client.min.js
AXE    := tests/vendor/axe-core/axe.min.js
PORT   ?= 8501
# ESLint for the atlas's own JavaScript, exactly as package-lock.json pins it (integrity-checked by npm ci).
ESLINT := node_modules/.bin/eslint

LOCK   := requirements.lock
# The inner loop leaves out what needs a browser, a server or the deployment, renders press
# exports, runs child processes or builds at full scale (markers in pyproject.toml).
FAST   := not (browser or server or deploy or media or process or slow)
# Tests that must not overlap another (markers in pyproject.toml); `make test` runs them last.
SERIAL := browser or server or deploy or serial
# Parallel workers for the first pass of `make test` (pytest-xdist); JOBS=0: one process.
JOBS   ?= auto

.PHONY: run test test-fast lint fix lock upgrade prepare install assets bench clean audit wheel docs

# Exactly the versions in requirements.lock (hash-checked), then the project itself without
# resolving anything: if pyproject.toml needs a package the lock lacks, the install fails
# (--no-index) instead of quietly taking today's newest.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-index --no-build-isolation -e '.[test,dev]' \
	  || { echo "$(LOCK) does not cover pyproject.toml: run make lock" >&2; exit 1; }
	$(PY) -m pip check
	touch $@

install: $(STAMP) assets $(ESLINT)

# Development only, never shipped: npm ci installs what package-lock.json names, checking each integrity hash.
$(ESLINT): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# Leaflet and topojson-client for the map (and axe-core for the accessibility tests), from the npm
# registry, checked against pinned hashes (never a CDN).
assets: $(LEAFLET) $(TOPOJSON) $(AXE)

$(LEAFLET) $(TOPOJSON) $(AXE) &: scripts/install_leaflet.sh
	scripts/install_leaflet.sh

# The atlas as a wheel in dist/, for a virtual environment anywhere (docs/operations.md): every asset
# inside, Leaflet and topojson-client built in from the npm-installed copy (hence after `assets`).
wheel: install
	rm -rf build dist/sid_atlas-*.whl
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

prepare: install
	$(VENV)/bin/sid-atlas prepare

run: prepare
	$(VENV)/bin/sid-atlas serve --port $(PORT)

# The whole suite in two passes: on both cores what may share the machine (a module stays on
# one worker, so its fixtures are built once), then one by one what starts browsers and
# servers; both passes always run, and make fails if either failed. `make lint` goes first.
test: install lint
	$(PY) -m pytest -n $(JOBS) --dist loadscope -m "not ($(SERIAL))"; first=$$?; \
	$(PY) -m pytest -m "$(SERIAL)"; second=$$?; \
	[ $$first -eq 0 ] && [ $$second -eq 0 ]

# The inner loop: unit tests, doctests and AppTest, serially. No promise in seconds (it depends on the
# machine and its load); the slowest tests sit behind the markers in FAST and still run in `make test`.
test-fast: install
	$(PY) -m pytest -m "$(FAST)"

# ruff (lint, format check), mypy on every package, ESLint on the JavaScript; changes nothing.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(ESLINT) --max-warnings 0 .

# Formats the tree and applies ruff's safe fixes; what remains for `make lint` is by hand.
fix: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# requirements.lock from pyproject.toml: `make lock` keeps the pinned versions and adds or
# drops what pyproject.toml changed; `make upgrade` moves every pin to the newest release;
# one package: `make lock LOCKFLAGS="--upgrade-package streamlit"`.
LOCKFLAGS ?=
lock: $(VENV)/bin/pip-compile
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --extra test --extra dev --extra bench --no-emit-index-url --no-emit-find-links \
	  --output-file $(LOCK) $(LOCKFLAGS) pyproject.toml

upgrade:
	$(MAKE) lock LOCKFLAGS=--upgrade

$(VENV)/bin/pip-compile:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)

# The pinned Python packages and the vendored JavaScript against the known vulnerabilities (pip-audit,
# npm audit). Needs the advisory services; where they do not answer it says "NOT CHECKED" and exits 3.
audit: install
	$(PY) scripts/audit.py

# The atlas beside a one-slider floor app, ratios as medians of pairs (docs/performance.md). QUICK=1: a small run
# of the websocket, sweep and command-line parts (what tests/unit/test_benchmarks.py runs); ONLY="restart cli":
# some parts (python -m benchmarks --only). The bench's own peers (folium, streamlit-folium) come from the `bench` extra, pinned in the lock like the rest
# (so no network beyond `make install`'s); the runtime does not depend on them.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --no-index --no-build-isolation -e '.[bench]' \
	  || { echo "$(LOCK) does not cover the bench extra: run make lock" >&2; exit 1; }
	touch $@

bench: prepare $(BENCH_STAMP)
	$(PY) -m benchmarks $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

# docs/cli.md from the argparse parser (atlas_cli/reference.py); tests/unit/test_docs.py fails while it is stale.
docs: install
	$(PY) -m atlas_cli.reference docs/cli.md

clean:
	rm -rf $(VENV) node_modules cache data artifacts build dist webparts/map_component/vendor tests/vendor \
	  geodata/cache dashboard/map_component/geo dashboard/chart_component/data
