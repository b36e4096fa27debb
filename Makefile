# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup warehouse run test lint typecheck unit browser-deps npm js-deps site-js plotly-basic office-deps nginx-deps clean

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
	$(VENV)/bin/gunicorn -c dashboard/web/gunicorn_conf.py dashboard.app:server

## Debian's Chromium and ChromeDriver, for the headless-browser tests.
browser-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

## Debian's LibreOffice Calc (headless), for the test that it opens our spreadsheets intact.
## Without recommends: about 60 packages, ~45 s here.
office-deps:
	@if ! command -v soffice >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc; \
	fi

## Debian's nginx, for the test that serves two gunicorn replicas through its cache
## (deploy/nginx.conf). Without recommends; the test runs its own nginx, never the service.
nginx-deps:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; \
	fi

## Debian's Node.js and npm, if absent.
npm:
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	fi

## axe-core for the accessibility tests, as package-lock.json pins it.
js-deps: npm
	@if [ ! -d node_modules/axe-core ]; then npm ci --no-audit --no-fund; fi

## plotly.js's basic bundle (scatter, bar, pie), which the site serves in place of plotly's
## full one, as dashboard/web/js/package-lock.json pins it (dashboard/web/plotly_bundle.py).
## Reinstalled whenever the lock changes (npm ci writes node_modules/.package-lock.json).
## The site serves the copy kept in dashboard/web/js/plotly-basic (so a deploy without npm
## does too); the tests check that copy against this install.
SITE_JS := dashboard/web/js/node_modules/.package-lock.json
$(SITE_JS): dashboard/web/js/package-lock.json | npm
	npm ci --prefix dashboard/web/js --no-audit --no-fund

site-js: $(SITE_JS)

## Copy the installed basic bundle (and its licence and package.json) to the served copy;
## then update the size and sha256 in dashboard/web/js/plotly-basic/README.md.
plotly-basic: site-js
	cp dashboard/web/js/node_modules/plotly.js-basic-dist-min/plotly-basic.min.js \
	   dashboard/web/js/node_modules/plotly.js-basic-dist-min/LICENSE \
	   dashboard/web/js/node_modules/plotly.js-basic-dist-min/package.json \
	   dashboard/web/js/plotly-basic/
	sha256sum dashboard/web/js/plotly-basic/plotly-basic.min.js

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

unit: setup browser-deps js-deps site-js office-deps nginx-deps
	$(VENV)/bin/pytest

## Lint, type-check and run every test.
test: lint typecheck unit

clean:
	rm -rf $(VENV) warehouse .pytest_cache .mypy_cache .ruff_cache test-artifacts

## Benchmark: a 5,000,000-row Boston file, our full ingest against a bare DuckDB read.
.PHONY: bench-ingest
bench-ingest: setup
	$(PY) benchmarks/bench_ingest.py

## Time the streamed CSV and xlsx exports against DuckDB's COPY and Datasette (5M rows; several minutes).
.PHONY: bench-export
bench-export: setup
	$(PY) benchmarks/bench_export.py

## Benchmark: a full recompute of every measure over 5,000,000 cases against one days-met query.
.PHONY: bench-metrics
bench-metrics: setup
	$(PY) benchmarks/bench_metrics.py

## A day's file, a no-op run and page p99 over case stores of 1M, 5M and 20M synthetic cases
## (SIZES=1000000,5000000 for fewer).
.PHONY: bench-scale
bench-scale: setup
	$(PY) benchmarks/bench_scale.py $(if $(SIZES),--sizes $(SIZES))

## Load the site: gunicorn (2 workers) on loopback, concurrency 4 and 16, p50/p95/p99 (~30 s).
.PHONY: bench-site
bench-site: warehouse
	$(PY) benchmarks/bench_site.py

## Lighthouse (mobile, simulated throttling) on five pages in Debian's chromium, against the
## targets of issue 14 (~2 min). Lighthouse is pinned in benchmarks/web, installed only here.
.PHONY: bench-web
bench-web: warehouse browser-deps
	@if [ ! -x benchmarks/web/node_modules/.bin/lighthouse ]; then \
	  npm ci --prefix benchmarks/web --no-audit --no-fund; fi
	$(PY) benchmarks/bench_web.py

## nginx (deploy/nginx.conf) caching in front of two gunicorn instances: 256 clients for 20 s
## (requests/s, errors, cache hit share), then a publish served through the cache (~2 min).
.PHONY: bench-proxy
bench-proxy: setup nginx-deps
	$(VENV)/bin/pytest -q -s -p no:cacheprovider tests/test_proxy.py
