# Two commands on a fresh machine:  make demo   and   make test
# Both create .venv (Python 3.12, else 3.11) and install the pinned dependencies themselves.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp

# durable-rules builds on 3.11/3.12 only (not 3.13); Lambda runs python3.12.
PYTHON_CANDIDATES := python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
                     $(wildcard /usr/local/bin/python3.12) python3.11 $(wildcard $(HOME)/.pyenv/versions/3.11*/bin/python3.11)
BOOTSTRAP_PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; assert sys.version_info[:2] in ((3,11),(3,12)); print("$(p)")' 2>/dev/null)))

.PHONY: help venv demo test test-fast lint format schemas rules-check rules-test bench clean

help:
	@echo "make demo        screen every example application end to end and print the verdicts"
	@echo "make test        run the whole test suite"
	@echo "make lint        ruff"
	@echo "make schemas     regenerate schemas/ from the pydantic models"
	@echo "make rules-check check every rule file (file:line: problem)"
	@echo "make rules-test  run every rule's examples"
	@echo "make bench       latency, throughput and memory of the screening"

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 or 3.11 is needed (durable-rules does not build on 3.13)"; exit 1; }
	@test -x $(PY) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/screening screen events/applications/*.json

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not browser and not packaging"

lint: $(STAMP)
	$(BIN)/ruff check functions tests benchmarks
	$(BIN)/ruff format --check functions tests benchmarks

format: $(STAMP)
	$(BIN)/ruff check --fix functions tests benchmarks
	$(BIN)/ruff format functions tests benchmarks

schemas: $(STAMP)
	$(BIN)/screening schemas --out schemas

rules-check: $(STAMP)
	$(BIN)/screening rules check

rules-test: $(STAMP)
	$(BIN)/screening rules test

bench: $(STAMP)
	$(PY) benchmarks/bench_screening.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build .aws-sam

# --- reports ---
# Committee reports (docs/reports.md). The browser tests and the screenshots need headless
# Chromium and chromedriver (Debian packages chromium, chromium-driver).
.PHONY: install-browser report-screenshots test-browser

install-browser:
	sh scripts/install-browser.sh

# PNGs (screen and print) and A4 PDFs of an example application report and a round report.
report-screenshots: $(STAMP) install-browser
	$(PY) scripts/report_screenshots.py --out screenshots

test-browser: $(STAMP) install-browser
	$(PY) -m pytest -q -m browser tests/reports
