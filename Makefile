# The README's two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test lint bench bench-large bench-ingest bench-push virtuoso clean browser serve

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

## test: run the test suite (the browser tests install Debian's chromium when it is missing)
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

## browser: Debian's chromium for the browser tests (as root; Playwright drives this one)
browser:
	test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

## serve: build the graph's dumps and serve it on http://127.0.0.1:8000/
serve: $(VENV)/.run-installed
	$(BIN)/legalkg dump
	$(BIN)/legalkg serve

## bench: the pipeline at about 10,000 and 100,000 triples, beside the plain rdflib way; the text loader
bench: $(VENV)/.test-installed
	cd benchmarks && ../$(BIN)/python extraction_speed.py && ../$(BIN)/python extraction_quality.py
	cd benchmarks && ../$(BIN)/python scale.py --sizes 10000 100000

## bench-large: the same at about 1,000,000 triples (reports how long it took)
bench-large: $(VENV)/.test-installed
	cd benchmarks && ../$(BIN)/python scale.py --sizes 1000000

## bench-ingest: ingest end to end (extract, validate, commit, reason) of generated reports
bench-ingest: $(VENV)/.test-installed
	cd benchmarks && ../$(BIN)/python ingest.py --documents $(or $(DOCUMENTS),1000)

## bench-push: push and pull a store of about 300,000 triples to and from a local Oxigraph server
bench-push: $(VENV)/.test-installed
	cd benchmarks && ../$(BIN)/python push.py

## virtuoso: install Virtuoso if need be and start it on 127.0.0.1:8895 (the tests then run on it too)
virtuoso: $(VENV)/.test-installed
	$(BIN)/python scripts/virtuoso.py start --dir .virtuoso --http-port 8895 --sql-port 1115

## lint: ruff and mypy
lint: $(VENV)/.lint-installed
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .legalkg dist build .pytest_cache .mypy_cache .ruff_cache
	@test ! -d .virtuoso || echo "kept .virtuoso (a database): python scripts/virtuoso.py stop, then remove it"
