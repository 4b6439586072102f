# Quick start:  make demo   (set up + run the main job on the built-in synthetic data)
#               make test   (set up + run the test suite)
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DATA ?= data/synthetic
WORK ?= work_dirs/demo
PYTEST_ARGS ?=

.PHONY: setup demo test

setup:
	MMDISTILL_VENV=$(VENV) bash tools/setup_env.sh

demo: setup
	$(PYTHON) tools/make_synthetic.py --out $(DATA) --preview
	$(PYTHON) tools/train.py configs/synthetic/td-hm_res18_synthetic-96x96.py --work-dir $(WORK)/teacher

test: setup
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)
