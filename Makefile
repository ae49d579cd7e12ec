# Two entry points on a fresh machine: `make build` and `make test`.
# Each creates .venv itself; nothing depends on packages installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: build test lint golden bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make the install step re-run when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-mutate: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

build: $(VENV)/.installed
	$(BIN)/cachec build specs/prod.yaml

test: $(VENV)/.installed-test
	$(BIN)/ruff check compiler tests bench mutation
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto

golden: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/test_golden.py tests/test_diffs.py --update-golden
	$(BIN)/python -m pytest tests/test_version.py --update-golden

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# Mutation testing (mutation/README.md): a periodic check, not CI; hours for
# every module. `make mutate MODULES="compiler/local_store.py compiler/store/reuse.py"`
# runs some of [tool.mutmut] only_mutate (pyproject.toml), the one list;
# TESTS="tests/test_a.py ..." records (and runs) only those test files.
MODULES ?=
TESTS ?=
mutate: $(VENV)/.installed-mutate
	nice -n 10 $(BIN)/python mutation/run.py $(MODULES) $(if $(TESTS),--tests $(TESTS))

clean:
	rm -rf $(VENV) build *.egg-info mutants
