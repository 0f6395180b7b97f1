# Sujarit. `make run` runs the whole service; `make test` runs the whole test suite.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: env run test test-store lint typecheck bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

# The environment, exactly as locked in uv.lock.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-groups
	touch $@

env: $(VENV)/.synced

run: env
	$(VENV)/bin/sujarit run

test: env
	$(PY) -m pytest $(PYTEST_ARGS)

# The event-store and tenancy integration tests only (CI runs them against a second server).
test-store: env
	$(PY) -m pytest -m store $(PYTEST_ARGS)

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: env
	$(VENV)/bin/mypy

NAME ?=
bench: env
	$(PY) -m bench $(NAME)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
