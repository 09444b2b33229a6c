# Softpower: `make run` serves the demo, `make test` runs the suite. Both install what they need.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PY := .venv/bin/python
PORT ?= 8000

# The demo runs on SQLite and a filesystem broker unless DATABASE_URL / REDIS_URL are set, with
# the platform sandbox standing in for the four platforms' APIs.
DEMO_ENV := DEBUG=True LANGUAGE_CODE=zh-hant SANDBOX_ENABLED=True PLATFORM_API_BASE=http://127.0.0.1:$(PORT)/sandbox PORT=$(PORT)

.PHONY: run test install assets browser lint bench uv migrate

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv

install: uv
	uv sync --frozen --python python3.11 --quiet
	npm ci --no-audit --no-fund --loglevel=error
	@command -v msgfmt >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	DEBUG=True $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v0

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo
	@echo "  Softpower is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password softpower-demo): admin, editor, approver, manager"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo
	$(DEMO_ENV) .venv/bin/honcho start --no-prefix -f Procfile

# In parallel, one test process per core (pytest-xdist); each has its own var dir, SQLite files, broker
# folder and Redis key prefix (config/settings.py). worksteal keeps the few slow tests from queueing up.
test: install browser
	$(PY) -m pytest -q -n auto --dist worksteal

# mypy loads the settings (django-stubs): DEBUG=True lets them start without production secrets.
lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	DEBUG=True .venv/bin/mypy .
	DEBUG=True $(PY) manage.py check
	DEBUG=True $(PY) manage.py makemigrations --check --dry-run

bench: install
	DEBUG=True $(PY) manage.py bench
