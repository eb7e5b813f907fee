# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LEAFLET := dashboard/map_component/vendor/leaflet/leaflet.js
TOPOJSON := dashboard/map_component/vendor/topojson-client/topojson-client.min.js
AXE    := tests/vendor/axe-core/axe.min.js
PORT   ?= 8501

.PHONY: run test prepare install assets bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP) assets

# Leaflet and topojson-client for the map (and axe-core for the accessibility tests), from the npm
# registry, checked against pinned hashes (never a CDN).
assets: $(LEAFLET) $(TOPOJSON) $(AXE)

$(LEAFLET) $(TOPOJSON) $(AXE) &: scripts/install_leaflet.sh
	scripts/install_leaflet.sh

prepare: install
	$(VENV)/bin/sid-atlas prepare

run: prepare
	$(VENV)/bin/sid-atlas serve --port $(PORT)

test: install
	$(PY) -m pytest

# QUICK=1: a small run of the websocket, sweep and command-line parts (what tests/test_benchmarks.py runs).
bench: prepare
	$(PY) -m benchmarks $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV) geodata/cache data artifacts dashboard/map_component/vendor dashboard/map_component/geo tests/vendor
