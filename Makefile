# Two commands for a new user: `make serve` and `make test`. Everything else is optional.
# Needs Python 3.11+ and make; the rest is installed into .venv from requirements.lock.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build test lint typecheck check-generated generate bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

serve: setup  ## validate the listings, then build and serve the site with live reload
	$(BIN)/c4h validate
	$(BIN)/c4h serve

build: setup  ## build the site into site/
	$(BIN)/c4h build

test: setup lint typecheck check-generated  ## every check and test
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

typecheck: setup
	$(BIN)/mypy

check-generated: setup  ## generated files are current (the schema, the issue form)
	$(BIN)/c4h schema --check
	$(BIN)/c4h form --check

generate: setup  ## rewrite the generated files after editing schema/taxonomy.yml
	$(BIN)/c4h schema
	$(BIN)/c4h form

bench: setup  ## benchmarks (scripts, not tests); figures go to docs/about/benchmarks.md
	$(BIN)/python -m c4h.bench.validate
	$(BIN)/python -m c4h.bench.requests
	$(BIN)/python -m c4h.bench.site

lock:  ## re-pin every dependency (run after editing pyproject.toml)
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --disable-pip-version-check '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude c4h --exclude-editable | sort > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
