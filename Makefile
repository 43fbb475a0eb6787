# Takeroot: `make run` starts everything on SQLite with demo data; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# A Python >= 3.12: PATH first, then pyenv's builds.
PYTHON := $(shell for p in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$p; break; fi; done)
# uv from PATH, or installed once into .tools/ with the Python found above.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
TEST_DATABASE_URL ?= $(or $(TAKEROOT_TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/takeroot)
# Test processes per database pass (pytest-xdist): one per CPU unless told otherwise.
TEST_WORKERS ?= auto

.PHONY: run test test-sqlite test-postgres bench lint messages sync python browser-deps clean

python:
	@if [ -z "$(PYTHON)" ]; then echo "Takeroot needs Python 3.12 or newer (none found on PATH or in ~/.pyenv/versions)." >&2; exit 1; fi

.tools/bin/uv: | python
	@echo "Installing uv into .tools/…"
	@$(PYTHON) -m venv .tools && .tools/bin/pip install --quiet --disable-pip-version-check uv

sync: python $(UV)
	@$(UV) sync --quiet --frozen 2>/dev/null || $(UV) sync --quiet

run: sync
	.venv/bin/takeroot run

# Debian's chromium and a CJK font for browser tests and PDFs, installed only when missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi micro hei"; then \
	  echo "Installing chromium and fonts-wqy-microhei…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
	    || { echo "Could not install chromium; run as root or install it yourself." >&2; exit 1; }; \
	fi

test: sync browser-deps
	@.venv/bin/python bin/check-translations
	@$(MAKE) --no-print-directory test-sqlite
	@if .venv/bin/python bin/pg-reachable "$(TEST_DATABASE_URL)"; then \
	  $(MAKE) --no-print-directory test-postgres && \
	  echo "Databases used: SQLite and PostgreSQL ($(TEST_DATABASE_URL))."; \
	else \
	  echo "PostgreSQL at $(TEST_DATABASE_URL) is not reachable: its pass was SKIPPED. Databases used: SQLite only."; \
	fi

test-sqlite:
	@echo "== Test suite on SQLite =="
	DJANGO_ALLOW_ASYNC_UNSAFE=true TAKEROOT_DATABASE_URL= .venv/bin/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres:
	@echo "== Test suite on PostgreSQL =="
	DJANGO_ALLOW_ASYNC_UNSAFE=true TAKEROOT_DATABASE_URL="$(TEST_DATABASE_URL)" .venv/bin/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: sync
	@for script in bench/[!_]*.py; do .venv/bin/python $$script || exit 1; done

lint: sync
	.venv/bin/ruff check src tests bench
	.venv/bin/python bin/check-translations

messages: sync
	cd src/takeroot && ../../.venv/bin/takeroot makemessages --no-obsolete --no-location -l pl -l sv -l zh_Hans --ignore "*/site-packages/*" && ../../.venv/bin/takeroot compilemessages --ignore "*/site-packages/*"

clean:
	rm -rf .venv .tools var
