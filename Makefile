# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: site test lint typecheck pytest browser-deps clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Build the default dossier (content/) into site/.
site: $(VENV)/.installed
	$(BIN)/dossier build --content content --site-dir site

## Chromium for the browser tests, from the system's packages (never a download of its own).
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

## Everything: lint, types, unit, build and browser tests.
test: $(VENV)/.installed-test browser-deps lint
	$(BIN)/python -m pytest -n 2 -q

## Scale benchmark: synthetic dossiers of 100, 1,000 and 10,000 entities → benchmarks/RESULTS.md.
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .dossier build *.egg-info
