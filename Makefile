# Quick start:  make demo   (set up + run the main job on the built-in synthetic data)
#               make test   (set up + run the test suite)
VENV ?= .venv
PYTHON := $(VENV)/bin/python
# on 2 cores the oracle trains beside the student
DEMO_ARGS ?= --jobs 2
PYTEST_ARGS ?=
TEST_WORKERS ?= auto

.PHONY: setup demo test

setup:
	MMDISTILL_VENV=$(VENV) bash tools/setup_env.sh

demo: setup
	$(PYTHON) tools/distill.py $(DEMO_ARGS)

test: setup
	$(PYTHON) -m pytest tests -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)
