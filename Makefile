# Offtek: `make run` serves the shop on http://127.0.0.1:8000 (PORT=...), `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := $(VENV)/.stamps
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# The first interpreter that is Python 3.12 or newer (pyenv's shims honour .python-version).
PYTHON ?= $(shell for c in python3.13 python3.12 python3 python; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$c; break; }; done)

.PHONY: run test test-tools env messages migrate lint format audit clean docs screenshots

# `make run PORT=9000` serves on another port; links in e-mails follow it (SITE_URL),
# unless SITE_URL is set in the environment or .env.
PORT ?= 8000
run: env messages migrate
	$(PY) manage.py load_demo_catalog --if-empty
	SITE_URL="$${SITE_URL:-$$(grep -s '^SITE_URL=' .env | cut -d= -f2-)}"; \
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: env messages test-tools
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

# The documentation (Sphinx, docs/), warnings as errors: docs/_build/html/index.html.
docs: env
	$(PY) -m sphinx -W --keep-going -n -q -b html docs docs/_build/html

# The staff guide's screenshots, retaken from the real admin by a browser test.
screenshots: env messages test-tools
	OFFTEK_DOCS_SCREENSHOTS=1 $(PY) -m pytest -q tests/e2e/test_staff_screenshots.py

# Browser-side test tools (axe-core for accessibility checks), from the npm registry.
test-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "warning: npm not found; accessibility tests will be skipped (they fail in CI)." >&2; fi

env: $(STAMPS)/installed .env

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Offtek needs Python 3.12 or newer (3.13 recommended, see .python-version)." >&2; \
		echo "       None of python3.13, python3.12, python3 or python on PATH is new enough." >&2; \
		echo "       Install one (for example 'pyenv install 3.13') or run 'make PYTHON=/path/to/python3.13'." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMPS)/installed: requirements.txt requirements-dev.txt requirements-nodeps.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-nodeps.txt
	@mkdir -p $(STAMPS) && touch $@

.env:
	cp .env.example .env

messages: $(MO_FILES)

%.mo: %.po
	msgfmt --check-format -o $@ $<

migrate: env messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

lint: env
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: env
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Known vulnerabilities in the pinned dependencies. pip-audit lives in its own
# environment so its dependencies never mix with the shop's. AUDIT_SERVICE=osv asks
# OSV instead of PyPI. --strict: a dependency that cannot be checked is a failure.
AUDIT_VENV := .venv-audit
AUDIT_SERVICE ?= pypi

audit: | $(PY)
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON) -m venv $(AUDIT_VENV) \
		&& $(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1; }
	$(AUDIT_VENV)/bin/pip-audit --strict --vulnerability-service $(AUDIT_SERVICE) \
		--requirement requirements-dev.txt

clean:
	rm -rf $(VENV) $(AUDIT_VENV) node_modules staticfiles test-artifacts .pytest_cache .ruff_cache docs/_build
	find . -name '*.mo' -not -path './$(VENV)/*' -delete
