# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test lint bench bench-large clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs are redone only when the dependencies change.
$(VENV)/.run-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@

$(VENV)/.lint-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[test,lint]'
	touch $@

## run: build the graph from the sample documents, on the embedded store
run: $(VENV)/.run-installed
	$(BIN)/legalkg build data/documents

## test: run the test suite
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

## lint: ruff and mypy
lint: $(VENV)/.lint-installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .legalkg dist build .pytest_cache .mypy_cache .ruff_cache
