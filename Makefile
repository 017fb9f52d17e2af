# One entry point for people and CI. `make run` and `make test` work on a fresh machine with
# Python 3.11+; the first call creates .venv and installs bumpwise with its dev extras.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint typecheck unit validate-data bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bumpwise demo

lint: install
	$(BIN)/ruff check src tests bench

typecheck: install
	$(BIN)/mypy src

validate-data: install
	$(BIN)/bumpwise validate-data

unit: install
	$(BIN)/pytest

test: lint typecheck validate-data unit

bench: install
	$(BIN)/python bench/cli_start.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
