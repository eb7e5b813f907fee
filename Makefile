# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test prepare install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

prepare: install
	$(VENV)/bin/sid-atlas prepare

run: prepare
	$(VENV)/bin/sid-atlas coverage --date $$(date +%F)

test: install
	$(PY) -m pytest

bench: prepare
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) geodata/cache data artifacts
