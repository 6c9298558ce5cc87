# Task runner. `make site` builds the site from the seeds; `make test` runs what CI runs.
# Both create .venv and node_modules/ and install the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# npm ci writes this file; Pagefind (the site's search index) is pinned in package-lock.json.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: site docs test fuzz corpus lint check serve clean node

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	command -v npm >/dev/null || scripts/ensure-system-packages nodejs npm
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node: $(NODE_STAMP)  ## install Pagefind from the npm registry (package-lock.json)

# The package's byte code, written even where PYTHONDONTWRITEBYTECODE is set (as pip writes
# an installed package's): a build after one change would otherwise spend a tenth of a second
# compiling every module. Only modules changed since are compiled again.
BYTECODE := $(BIN)/python -m compileall -q policy_archive hooks

docs: $(STAMP)  ## repair the seeds and write pages and dataset into docs/
	$(BYTECODE)
	$(BIN)/python build_archive.py

site: docs $(NODE_STAMP)  ## docs/ → site/ with MkDocs (both scripts, search)
	$(BIN)/mkdocs build --strict

serve: docs $(NODE_STAMP)
	$(BIN)/mkdocs serve

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)  ## fail if the committed docs/ is not what the seeds and corrections produce
	$(BIN)/python build_archive.py --check

test: $(STAMP) $(NODE_STAMP) lint check  ## deterministic: the same examples on every run (profile `ci`)
	scripts/ensure-system-packages
	$(BIN)/python -m pytest --hypothesis-profile=ci

FUZZ_EXAMPLES ?= 5000
fuzz: $(STAMP)  ## property tests at random, many examples; found failures kept in .hypothesis/
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -m hypothesis \
		--hypothesis-profile=fuzz --hypothesis-show-statistics tests

CORPUS ?= ../shared/corpus
corpus: $(STAMP)  ## build the shared corpus of real texts into a scratch folder and print its score
	$(BIN)/python benchmarks/corpus.py $(CORPUS)

clean:
	rm -rf site tests/_artifacts
