# The two commands a newcomer needs are `make demo` and `make test`; both start with `make setup`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.setup-complete
COLLECTIONS := $(CURDIR)/$(VENV)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/cloud_dr/ibm_direct_link
# awx.awx (extensions/awx/configure.yml, its lint and tests), unpacked alone from the hash-pinned `ansible` wheel.
AWX_COLLECTION := $(COLLECTIONS)/ansible_collections/awx/awx/MANIFEST.json
PYTEST_WORKERS ?= 2
CHROMIUM := /usr/bin/chromium

export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

SUITES := lint docs sanity unit integration molecule

.PHONY: help setup test demo rehearse bench $(SUITES) clean

help:
	@echo "make demo   set everything up, then run the backup/disaster/recover drill against the simulator"
	@echo "make test   set everything up, then run every suite: $(SUITES)"
	@echo "make setup  create $(VENV) and install the collection, its dependencies and the simulator"
	@echo "make rehearse  rehearse the recovery of REHEARSE_BACKUP with REHEARSE_PLAN in a private simulator"
	@echo "make docs   build the HTML documentation site into tests/output/docs/html and check it in a headless browser"
	@echo "make bench  run the benchmarks (not part of make test) and regenerate docs/performance.md"

setup: $(STAMP) $(COLLECTION_LINK) $(AWX_COLLECTION)

$(STAMP): requirements.txt requirements-test.txt simulator/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt -e simulator
	@touch $@

$(COLLECTION_LINK):
	@mkdir -p $(dir $@)
	ln -sfn ../../../.. $@

$(AWX_COLLECTION): requirements-awx.txt tools/awx_collection.py | $(STAMP)
	$(BIN)/python tools/awx_collection.py $(COLLECTIONS)
	@touch $@

test: setup
	@failed=""; passed=0; for suite in $(SUITES); do \
	  echo "=== $$suite"; \
	  if $(MAKE) --no-print-directory $$suite; then passed=$$((passed + 1)); else failed="$$failed $$suite"; fi; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED suites:$$failed"; fi; \
	echo "suites: $$passed passed, $$(echo $$failed | wc -w) failed"; \
	[ -z "$$failed" ]

lint: setup
	$(BIN)/yamllint --strict .
	$(BIN)/ruff check .
	cd $(COLLECTIONS) && $(BIN)/mypy --config-file $(CURDIR)/mypy.ini -p ansible_collections.cloud_dr.ibm_direct_link.plugins.module_utils
	$(BIN)/ansible-lint
	$(BIN)/antsibull-changelog lint

sanity: setup
	tools/sanity.sh

unit: setup
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) tests/unit

integration: setup
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) tests/integration

molecule: setup
	tools/molecule.sh

# The documentation site (antsibull-docs, then Sphinx; any warning fails it), then its check in a real headless
# browser: Debian's Chromium driven by playwright (tests/docs/conftest.py says why playwright).
docs: setup $(CHROMIUM)
	$(BIN)/python tools/docs/build_site.py
	$(BIN)/pytest -q tests/docs

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "make docs needs Chromium at $@, and apt-get is not there to install Debian's chromium package: install Chromium at $@" >&2; exit 1; }
	@echo "installing Debian's chromium package (for the docs suite's browser check)"
	@DEBIAN_FRONTEND=noninteractive apt-get update -qq
	@DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null

demo: setup
	$(BIN)/python tools/demo.py

# A DR rehearsal of a backup with a plan (by default those of `make demo`): see README.
REHEARSE_BACKUP ?= demo-output/backup
REHEARSE_PLAN ?= tools/demo/dr-plan.yml
rehearse: setup
	$(BIN)/ansible-playbook -i $(REHEARSE_BACKUP) cloud_dr.ibm_direct_link.rehearse -e @$(REHEARSE_PLAN)

# The benchmarks write bench-results/bench.json; docs/performance.md is generated from it (commit it after a run).
bench: setup
	PYTHONPATH=$(COLLECTIONS):$(CURDIR)/tests/support $(BIN)/python tests/perf/bench.py
	$(BIN)/python tools/perf_page.py

clean:
	rm -rf $(VENV) tests/output demo-output bench-results
