# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
ASSETS := src/eventatlas/out/report_assets
ASSET_STAMP := $(ASSETS)/.installed-stamp
# Map libraries and base-map geometry for the self-contained report, from the npm registry;
# inlined into report.html at build time (never fetched when the report opens).
NPM_ASSETS := leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2

.PHONY: install assets demo test test-all lint typecheck unit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(ASSET_STAMP): Makefile
	mkdir -p $(ASSETS)
	npm install --silent --no-save --no-audit --no-fund --prefix $(ASSETS) $(NPM_ASSETS)
	touch $(ASSET_STAMP)

assets: $(ASSET_STAMP)

install: $(STAMP) $(ASSET_STAMP)

demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/eventatlas run examples/ --db demo.db --report report.html
	@echo
	@echo "Articles as JSON Lines: $(BIN)/eventatlas export --what articles --format jsonl --db demo.db"
	@echo "Events as GeoJSON: $(BIN)/eventatlas export --what events --format geojson --db demo.db"

lint: install
	$(BIN)/ruff check src tests scripts benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) $(ASSETS) .mypy_cache .pytest_cache .ruff_cache demo.db*

test-all: install  ## every test, including the slow full-corpus accuracy gates
	$(BIN)/pytest -m ""
