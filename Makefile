# MIP: two commands on a fresh machine -> `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
VENV_BIN := .venv/bin

.PHONY: demo test setup lint typecheck pytest openapi openapi-check services clean

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-groups
	touch $@

setup: .venv/.synced

## Run the platform on embedded defaults with a simulated factory.
demo: setup
	$(VENV_BIN)/mip demo

## Install everything, start what the tests need, lint, type-check and run the whole suite.
test: setup services lint typecheck openapi-check pytest

services:
	@bash scripts/services.sh

lint: setup
	$(VENV_BIN)/ruff check src tests
	$(VENV_BIN)/ruff format --check src tests

typecheck: setup
	$(VENV_BIN)/mypy src

openapi: setup
	$(VENV_BIN)/mip openapi --output openapi.json

openapi-check: setup
	@$(VENV_BIN)/mip openapi > /tmp/mip-openapi.json && diff -q openapi.json /tmp/mip-openapi.json \
	  || (echo "openapi.json drifted from the code: run 'make openapi' and commit it" && exit 1)

pytest: setup
	$(VENV_BIN)/pytest -q

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache
