# Two commands on a fresh machine:  make demo   and   make test
# Both create .venv (Python 3.12, else 3.11) and install the pinned dependencies themselves.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
# aws-sam-cli and the SAM-aware cfn-lint (see the service section below).
TOOLS_VENV := .venv-tools
TOOLS_BIN := $(TOOLS_VENV)/bin
TOOLS_STAMP := $(TOOLS_VENV)/.installed-stamp

# durable-rules builds on 3.11/3.12 only (not 3.13); Lambda runs python3.12.
PYTHON_CANDIDATES := python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
                     $(wildcard /usr/local/bin/python3.12) python3.11 $(wildcard $(HOME)/.pyenv/versions/3.11*/bin/python3.11)
BOOTSTRAP_PYTHON ?= $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell $(p) -c 'import sys; assert sys.version_info[:2] in ((3,11),(3,12)); print("$(p)")' 2>/dev/null)))

.PHONY: help venv demo test test-fast lint format schemas rules-check rules-test rules-bump bench clean

help:
	@echo "make demo        screen every example application end to end and print the verdicts"
	@echo "make test        run the whole test suite (core, service, sam build, browser)"
	@echo "make serve       the API on localhost with an embedded DynamoDB (docs/service.md)"
	@echo "make build-check sam build, then screen an example inside the artifact"
	@echo "make report-screenshots  PNGs of the committee's reports"
	@echo "make lint        ruff (lint, format) and mypy --strict on functions/"
	@echo "make schemas     regenerate schemas/ from the pydantic models"
	@echo "make rules-check check every rule file (file:line: problem)"
	@echo "make rules-test  run every rule's examples"
	@echo "make rules-bump  record changed rule files as a new ruleset version"
	@echo "make bench       latency, throughput and memory of the screening"

venv: $(STAMP)

# Every install is hash-checked against the lock (uv.lock, exported by `make lock`): first what
# builds durable-rules' sdist and this project, then everything else without fetching any
# unpinned build dependency, then the project itself (no dependencies: they are all there).
$(STAMP): pyproject.toml requirements/build.txt requirements/dev.txt
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 or 3.11 is needed (durable-rules does not build on 3.13)"; exit 1; }
	@test -x $(PY) || $(BOOTSTRAP_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements/build.txt
	$(PY) -m pip install --quiet --require-hashes --no-build-isolation -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# The lock: uv.lock (every package, with hashes) from pyproject.toml, and the files exported from
# it: functions/requirements.txt (what sam build ships), requirements/dev.txt (.venv),
# requirements/build.txt; the tools venv's requirements/tools.txt is compiled apart (its pins
# conflict with .venv's). Run after changing a dependency; tests/service/test_dependencies.py
# fails when an export is stale.
UV_VERSION := 0.13.8
UV := $(BIN)/uv
.PHONY: lock
lock: $(STAMP)
	@test -x $(UV) || $(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(UV) lock --python 3.12
	$(UV) export --frozen --no-dev --no-emit-project --format requirements-txt -q -o functions/requirements.txt
	$(UV) export --frozen --no-dev --extra dev --no-emit-project --format requirements-txt -q -o requirements/dev.txt
	$(UV) export --frozen --only-group build --no-emit-project --format requirements-txt -q -o requirements/build.txt
	$(UV) pip compile requirements/tools.in --generate-hashes --python-version 3.12 \
		--python-platform x86_64-manylinux_2_28 -q -o requirements/tools.txt

# The compiled ruleset the service loads (rules/compiled/, not in git): rebuilt when a rule
# file changes. In AWS it is built into the rules layer by `make build`.
# Two rulesets: the screening (rules/) and the follow-up of granted loans (rules/follow-up/).
RULE_FILES := $(shell find rules -name '*.yaml' -not -path '*/compiled/*')
COMPILED_RULES := rules/compiled/ruleset.json rules/follow-up/compiled/ruleset.json
$(COMPILED_RULES): $(STAMP) $(RULE_FILES)
	$(BIN)/screening rules compile
	$(BIN)/screening rules compile --rules rules/follow-up

rules: $(COMPILED_RULES)

# Every example application through the real submit handler (DynamoDB mocked in-process),
# read back through the committee handler, printed as the committee's table.
demo: $(STAMP) $(COMPILED_RULES)
	$(PY) -m workbench.local.demo events/applications/*.json

# Everything: core, service (incl. the SAM-aware template check and sam build of the
# artifact), reports (incl. headless Chromium). The tools venv and the browser are installed
# first; LSH_REQUIRE_TOOLS makes a missing tool a failure, not a skip.
test: $(STAMP) $(TOOLS_STAMP) $(COMPILED_RULES)
	sh scripts/install-browser.sh
	LSH_REQUIRE_TOOLS=1 $(PY) -m pytest -q

test-fast: $(STAMP) $(COMPILED_RULES)
	$(PY) -m pytest -q -m "not slow and not browser and not packaging"  # no tools, no browser

LINTED := functions tools tests benchmarks scripts

# Format, lint, then types: mypy --strict on the deployed code (functions/, see pyproject).
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

schemas: $(STAMP)
	$(BIN)/screening schemas --out schemas

rules-check: $(STAMP)
	$(BIN)/screening rules check
	$(BIN)/screening rules check --rules rules/follow-up

rules-test: $(STAMP)
	$(BIN)/screening rules test
	$(BIN)/screening rules test --rules rules/follow-up

rules-bump: $(STAMP)
	$(BIN)/screening rules bump
	$(BIN)/screening rules bump --rules rules/follow-up

bench: $(STAMP) $(COMPILED_RULES)
	$(PY) -m pip install --quiet --require-hashes -r benchmarks/requirements.txt && $(PY) benchmarks/bench_screening.py

clean:
	rm -rf $(VENV) .venv-tools .pytest_cache .ruff_cache build .aws-sam screenshots rules/compiled rules/follow-up/compiled

# --- service ---
# The serverless service (docs/service.md). aws-sam-cli and the SAM-aware cfn-lint live in
# their own venv: aws-sam-cli 1.170.0 conflicts with .venv's pins (boto3, pydantic).
BUILD_DIR := .aws-sam/build
# sam build needs python3.12 on PATH: .venv/bin has one.
SAM := PATH="$(CURDIR)/$(BIN):$$PATH" SAM_CLI_TELEMETRY=0 $(TOOLS_BIN)/sam
SERVE_PORT ?= 3000

.PHONY: rules tools template-check build build-check serve openapi api-events test-packaging

$(TOOLS_STAMP): requirements/tools.txt
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "Python 3.12 is needed for the tools venv"; exit 1; }
	@test -x $(TOOLS_BIN)/python || $(BOOTSTRAP_PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/tools.txt
	$(TOOLS_BIN)/python -m pip check
	@touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

# SAM-aware template check: cfn-lint 1.53.3 (it still runs the SAM translator), then the
# tests that feed it broken copies of template.yaml and expect failures.
template-check: $(TOOLS_STAMP) $(STAMP)
	$(TOOLS_BIN)/cfn-lint template.yaml
	LSH_REQUIRE_TOOLS=1 $(PY) -m pytest -q -p no:cacheprovider tests/service/test_template.py

# sam build (no container; x86_64, python3.12), then precompiled bytecode into the artifact:
# unchecked-hash .pyc stay valid although the zip changes file times (cold start ~2x faster).
build: $(TOOLS_STAMP) $(STAMP)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 12), "bytecode must be compiled by python3.12 (the Lambda runtime)"'
	$(SAM) build --template-file template.yaml --build-dir $(BUILD_DIR)
	$(BIN)/screening rules compile --out $(BUILD_DIR)/RulesLayer
	$(BIN)/screening rules compile --rules rules/follow-up --out $(BUILD_DIR)/RulesLayer/follow-up
	$(PY) -m compileall -q -j 0 --invalidation-mode unchecked-hash $(BUILD_DIR)

# Packaging smoke test: the artifact imports, loads the rules layer and screens an example in a
# fresh process with nothing else on the path; prints sizes and cold-start times.
build-check: build
	$(PY) -m workbench.local.buildcheck $(BUILD_DIR)

test-packaging: $(TOOLS_STAMP) $(STAMP)
	LSH_REQUIRE_TOOLS=1 $(PY) -m pytest -q -m packaging tests/service

# The same routes on http://127.0.0.1:$(SERVE_PORT), backed by moto's DynamoDB server: no Docker,
# no AWS account. Auth is simulated (docs/service.md).
serve: $(STAMP) $(COMPILED_RULES)
	$(PY) -m workbench.local.server --port $(SERVE_PORT)

openapi: $(STAMP)
	$(PY) -m workbench.local.openapi schemas/openapi.json

api-events: $(STAMP)
	$(PY) -m workbench.local.events events/api

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
