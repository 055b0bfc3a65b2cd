# Two commands on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

.PHONY: site test lint browser-deps clean bench

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

## Chromium for the browser tests and `dossier pdf`, poppler-utils (pdftotext) for the PDF
## tests, and fonts for the scripts a book prints (DejaVu, Noto; WenQuanYi Micro Hei for
## Chinese, Japanese and Korean, 1.6 MB where fonts-noto-cjk is 57 MB), from the system's
## packages (never a download of its own).
BROWSER_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-noto-core fonts-wqy-microhei
browser-deps:
	@if [ ! -x "$(CHROMIUM)" ] || ! command -v pdftotext >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  echo "Installing Debian's $(BROWSER_PACKAGES) for the browser and PDF tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

## Packages from the npm registry, installed under .venv/npm: axe-core for the accessibility
## check in the browser tests, yaml-language-server for tests/test_schema_editor_lsp.py (the
## schemas as VS Code's YAML extension reads them), and the exact versions of the libraries the site ships (their
## files are committed under site_config/docs/assets/javascripts/, so building a site needs
## no npm; tests/test_vendored.py checks the shipped bytes are the registry's).
NPM_PACKAGES := axe-core@4 iframe-worker@1.0.4 minisearch@7.2.0 cytoscape@3.35.0 yaml-language-server@1.15.0
NPM_STAMP := $(VENV)/npm/.installed
AXE := $(NPM_STAMP)
$(NPM_STAMP): Makefile
	@if command -v npm >/dev/null; then \
	  npm install --prefix $(VENV)/npm --no-audit --no-fund --silent $(NPM_PACKAGES) && touch $@; \
	else echo "npm not found: the axe-core browser test and the vendored-copy check will be skipped"; fi

## Zensical, for tests/test_zensical.py (a rendered tree must build with it too; MkDocs +
## Material stays the default): a venv of its own, so that its dependencies never move the
## MkDocs venv's (0.0.73 would only add deepmerge and tomli there today). 0.0.73 is the
## newest that installs from this machine's index; without it the test is skipped.
ZENSICAL_VERSION := 0.0.73
ZENSICAL := $(VENV)/zensical/.installed
$(ZENSICAL): Makefile
	@$(PYTHON) -m venv $(VENV)/zensical && \
	  $(VENV)/zensical/bin/python -m pip install --quiet zensical==$(ZENSICAL_VERSION) && touch $@ || \
	  echo "zensical==$(ZENSICAL_VERSION) could not be installed: tests/test_zensical.py will be skipped"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

## Everything: lint, types, unit, build and browser tests.
test: $(VENV)/.installed-test browser-deps $(AXE) $(ZENSICAL) lint
	$(BIN)/python -m pytest -n 2 -q

## Scale benchmark: synthetic dossiers of 100, 1,000 and 10,000 entities → benchmarks/RESULTS.md.
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .dossier build *.egg-info
