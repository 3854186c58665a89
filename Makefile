# MIP: two commands on a fresh machine -> `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
VENV_BIN := .venv/bin

.PHONY: demo test setup lint typecheck pytest openapi openapi-check services clean web web-test

$(UV):
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-groups
	touch $@

setup: .venv/.synced

## Run the platform on embedded defaults with a simulated factory (dashboard at http://127.0.0.1:8000).
demo: setup web
	$(VENV_BIN)/mip demo

## Install everything, start what the tests need, lint, type-check and run the whole suite.
test: setup services lint typecheck openapi-check web web-test pytest

web/node_modules/.mip-installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

## The dashboard: typed client drift check, tsc, Vite production build into web/dist (served by `mip serve`).
web: web/node_modules/.mip-installed
	cd web && npm run build

## Dashboard component tests (Vitest); the browser end-to-end test runs in pytest (tests/e2e).
web-test: web/node_modules/.mip-installed
	cd web && npx vitest run

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
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache web/node_modules web/dist web/test-results
