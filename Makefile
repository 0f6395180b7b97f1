# Sujarit. `make run` runs the whole service; `make test` runs the whole test suite.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: env run test browser test-store test-ha lint typecheck bench clean

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

test: env browser
	$(PY) -m pytest $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (never a browser download) and poppler-utils
# (pdftotext, pdffonts) to read the generated PDFs; a missing one is an error.
CHROMIUM := /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium and poppler-utils for the tests"; \
	    (apt-get install -y -q chromium poppler-utils >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q chromium poppler-utils >/dev/null)); \
	  fi; \
	  [ -x $(CHROMIUM) ] || { echo "$(CHROMIUM) is missing: sudo apt-get install chromium" >&2; exit 1; }; \
	  command -v pdftotext >/dev/null || { echo "pdftotext is missing: sudo apt-get install poppler-utils" >&2; exit 1; }; \
	fi

# The event-store and tenancy integration tests only (CI runs them against a second server).
test-store: env
	$(PY) -m pytest -m store $(PYTEST_ARGS)

# The failover drill: a pg_auto_failover monitor and two nodes on 127.0.0.1 (Debian's
# postgresql-15-auto-failover, installed when root), the primary killed under writes (~1 min).
test-ha: env
	$(PY) -m pytest -m ha tests/ha $(PYTEST_ARGS)

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: env
	$(VENV)/bin/mypy

NAME ?=
# wrk is the api, province and clerks benchmarks' load generator: apt-get installs it when root.
bench: env
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing wrk (the benchmarks' load generator)"; \
	    (apt-get install -y -q wrk >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null)); \
	  fi; \
	  command -v wrk >/dev/null || { echo "wrk is missing (the api, province and clerks benchmarks' load generator): sudo apt-get install wrk" >&2; exit 1; }; \
	fi
	$(PY) -m bench $(NAME)

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
