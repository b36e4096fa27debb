# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup warehouse run test lint typecheck unit browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Build the warehouse from the bundled real data if there is none yet.
warehouse: setup
	$(PY) -m ingest ensure

## Serve the site at http://127.0.0.1:8050 with gunicorn.
run: warehouse
	$(VENV)/bin/gunicorn -c dashboard/gunicorn_conf.py dashboard.app:server

## Debian's Chromium and ChromeDriver, for the headless-browser tests.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

unit: setup browser-deps
	$(VENV)/bin/pytest

## Lint, type-check and run every test.
test: lint typecheck unit

clean:
	rm -rf $(VENV) warehouse .pytest_cache .mypy_cache .ruff_cache test-artifacts
