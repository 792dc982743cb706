# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# The report's map libraries and base-map geometry (Leaflet, leaflet.markercluster,
# topojson-client, world-atlas) are committed under src/eventatlas/out/vendor at pinned npm
# versions; `make assets` (needs npm) takes them from the npm registry again.

.PHONY: install assets demo test test-all lint typecheck unit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

assets: $(STAMP)
	$(BIN)/python scripts/vendor_report_assets.py

install: $(STAMP)

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
	rm -rf $(VENV) src/eventatlas/out/report_assets .mypy_cache .pytest_cache .ruff_cache demo.db*

test-all: install  ## every test, including the slow full-corpus accuracy gates
	$(BIN)/pytest -m ""
