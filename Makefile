# Every target sets up .venv from the hash-pinned lock file first, so a fresh
# clone needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= samples
HOST ?= 127.0.0.1
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench stress clean install

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsarchive index $(DATA)
	$(BIN)/newsarchive serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check search tests bench
	$(BIN)/mypy search

bench: $(STAMP)
	$(BIN)/python -m bench.speed $(BENCH_ARGS)

# Load and volume figures (minutes): search load with and without rebuilds, a million lines.
stress: $(STAMP)
	$(BIN)/python -m bench.stress

clean:
	rm -rf $(VENV) build *.egg-info
