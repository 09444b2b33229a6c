# Softpower: `make run` serves the demo, `make test` runs the suite. Both install what they need.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PY := .venv/bin/python
PORT ?= 8000
# supervisord's own log and pid file (the settings' var dir, absolute).
VAR := $(abspath $(or $(SOFTPOWER_VAR_DIR),var))

# The demo runs on SQLite and a SQLite-file broker unless DATABASE_URL / REDIS_URL are set, with
# the platform sandbox standing in for the four platforms' APIs.
# SITE_URL: links in e-mails (notifications, digest) point at the port actually served.
DEMO_ENV := DEBUG=True LANGUAGE_CODE=zh-hant SANDBOX_ENABLED=True PLATFORM_API_BASE=http://127.0.0.1:$(PORT)/sandbox PORT=$(PORT) SITE_URL=http://127.0.0.1:$(PORT)

.PHONY: run test install assets browser lint deploy-check bench load uv migrate drills

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv

# Debian's packages the set-up needs: gettext compiles the translation catalogs, DejaVu and WenQuanYi Micro
# Hei print Arabic and Chinese in the PDF report, poppler-utils reads reports back in the tests.
install: uv
	uv sync --frozen --python python3.11 --quiet
	npm ci --no-audit --no-fund --loglevel=error
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -z "$$missing" ] || { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }
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
	@echo "  Ctrl-C stops the web server, the Celery worker and beat (each restarts alone if it exits)."
	@echo
	@mkdir -p $(VAR)
	$(DEMO_ENV) SOFTPOWER_VAR=$(VAR) .venv/bin/supervisord -c config/supervisord.conf

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

# Django's deployment checklist with a production environment (DEBUG off, throwaway secrets, a real
# host name): any warning fails. Settings' production defaults are what is checked, nothing else set.
deploy-check: install
	DEBUG=False ALLOWED_HOSTS=softpower.example.org \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	FIELD_ENCRYPTION_KEY="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	$(PY) manage.py check --deploy --fail-level WARNING

# Fault drills against real worker, beat, gunicorn, and PostgreSQL and Redis servers of their own
# (temporary, on free ports): kills, restarts, duplicates, a 429 storm, slow replies. Prints one
# table and fails on any lost or duplicated reading or a recovery over 120 s (tests/drills/drills.py).
drills: install
	$(PY) -m tests.drills.drills

# ../shared/BENCH.md: every figure against a floor measured in the same run, in a database of its own;
# on PostgreSQL when DATABASE_URL says so. Sizes: make bench BENCH_ARGS="--posts 100000 --snapshots 10000000".
bench: install
	DEBUG=True $(PY) manage.py bench $(BENCH_ARGS)

# 50 users for 60 s (managers, editors, API clients) against gunicorn on a generated data set.
load: install
	DEBUG=True $(PY) manage.py load $(LOAD_ARGS)
