"""Softpower settings: one module, every value read from the environment here.

`make run` and the tests need no environment at all (SQLite, a SQLite-file broker, the sandbox);
production sets DATABASE_URL, REDIS_URL, SECRET_KEY and FIELD_ENCRYPTION_KEY.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import csp.constants
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from sqlalchemy.pool import NullPool

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# A relative SOFTPOWER_VAR_DIR is taken from the project root (the tests use var/test, see pyproject).
# Under pytest-xdist each test process gets a folder of its own (var/test/gw0, ...) for its SQLite files
# (the broker's too), and its own Redis key prefix: a Celery worker started by one test process
# never takes another's tasks.
TEST_PROCESS = env.str("PYTEST_XDIST_WORKER", default="")
VAR_DIR = BASE_DIR / env.str("SOFTPOWER_VAR_DIR", default="var") / TEST_PROCESS
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 -- DEBUG only

# Fernet keys (comma-separated, newest first) that encrypt platform access tokens at rest.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEY", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")
    FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHktaW5zZWN1cmUta2V5LTMyLWJ5dGVzLSE="]

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- HTTPS --------------------------------------------------------------------------------------
# Reverse proxies in front of the app (nginx, a load balancer): the client address is then taken
# from X-Forwarded-For, this many hops from the right, and the scheme from X-Forwarded-Proto (which
# the proxy must set). 0: the socket's address, and no header is believed.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NUM_PROXIES else None
# Production is served over HTTPS only: plain HTTP is redirected, cookies are never sent over it, and
# browsers are told (HSTS) to use HTTPS for a year. `make run` (DEBUG) and the tests (HTTPS=False in
# pyproject) run over plain HTTP.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise made for a whole registrable domain (a ministry's, usually), not by one
# application on a subdomain of it: off unless asked, and Django's reminder about it silenced then.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from this site only,
# and no inline script at all: every page's script is a static file, data reaches it in JSON blocks and
# data- attributes. Style *attributes* are allowed (style-src-attr), <style> elements are not: a
# style attribute cannot run script, and the dashboards size bars and charts with them. The API docs
# page (Swagger UI) adds inline style elements for itself (config/api_docs_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "style-src-elem": [csp.constants.SELF],
        "style-src-attr": [csp.constants.UNSAFE_INLINE],
        "img-src": [csp.constants.SELF, "data:"],  # Bootstrap draws its icons with data: SVGs
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "object-src": [csp.constants.NONE],
        "base-uri": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
    },
}
# /healthz is probed over plain HTTP from inside the network (the container's healthcheck).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_countries",  # its catalogs give country names in both UI languages
    "axes",
    "csp",
    "campaigns",
    "metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "campaigns.middleware.UserTimezoneMiddleware",
    "campaigns.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "campaigns.context_processors.memberships",
            ],
        },
    },
]

# SQLite in var/ unless DATABASE_URL says otherwise. The test database is a file too, so that a
# real Celery worker process started by a test sees the same rows.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'softpower.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-softpower.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Throttle and lock-out counters live in the cache. Per process unless CACHE_URL names a shared one
# (production: e.g. redis://redis:6379/1, a database of its own: clearing the cache flushes it).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# --- Brute-force protection -------------------------------------------------------------------
# django-axes locks a username out *from one address* after LOGIN_FAILURE_LIMIT failed logins within
# LOGIN_LOCKOUT_MINUTES, for that long. Not by address alone: a ministry's staff share an office's
# address, and one person's typos must not lock out the team; not by username alone: then anyone
# could lock a colleague out from anywhere. An admin unlocks early (admin "Access attempts", or
# `manage.py axes_reset_username USERNAME`).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USE_ATTEMPT_EXPIRATION = True  # count only the failures of the last LOGIN_LOCKOUT_MINUTES
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "campaigns.views.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "campaigns.authentication.client_address"
# API tokens: after this many failed token authentications from one address within the window,
# every token request from it answers 429 until the window ends (campaigns.authentication).
API_TOKEN_FAILURE_LIMIT = env.int("API_TOKEN_FAILURE_LIMIT", default=20)
API_TOKEN_FAILURE_WINDOW = env.int("API_TOKEN_FAILURE_WINDOW_SECONDS", default=15 * 60)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The language of anyone whose browser asks for neither (and of new users): set LANGUAGE_CODE=zh-hant for a
# Traditional-Chinese-first site. A user's own choice (the navbar switcher) is stored on their profile.
LANGUAGES = [("en", _("English")), ("zh-hant", _("Traditional Chinese"))]
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
# Platforms report Kosovo (XK) in audience data; the reports have always said "United States".
COUNTRIES_OVERRIDE = {"XK": _("Kosovo"), "US": _("United States")}
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_TZ = True
# Shown to users who have not chosen a zone; most teams using Softpower work from Taipei.
DEFAULT_USER_TIMEZONE = env.str("DEFAULT_USER_TIMEZONE", default="Asia/Taipei")

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing directory
# Front-end packages are installed by npm at set-up (package.json) and served from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    # Chart.js's time scale needs a date adapter: luxon (its global build) and chartjs-adapter-luxon.
    ("vendor/luxon", NODE_MODULES / "luxon" / "build" / "global"),
    ("vendor/chartjs-adapter-luxon", NODE_MODULES / "chartjs-adapter-luxon" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="softpower@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery -----------------------------------------------------------------------------------
# With no REDIS_URL the broker is kombu's SQLAlchemy transport on a SQLite file under var/, so
# `make run` needs no server. Not the filesystem transport: a consumer could read a message file
# before its writer had finished it (JSONDecodeError, celery/kombu#1551) and the worker exited;
# here a message is one row, written and taken in a transaction. Results are never read back:
# progress lives in the database.
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_FILE = VAR_DIR / "broker.sqlite3"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    if TEST_PROCESS:
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{TEST_PROCESS}:"
else:
    CELERY_BROKER_URL = f"sqla+sqlite:///{BROKER_FILE}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # The options go to SQLAlchemy's create_engine. No pool: the worker forks its children, and a
        # SQLite connection must never cross a fork. Web, worker and beat all write the one file; wait
        # up to 30 s for its lock rather than fail a publish with "database is locked".
        "poolclass": NullPool,
        "connect_args": {"timeout": 30},
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
# A message is acknowledged only when its task finishes, so a worker killed mid-batch leaves it
# to be delivered again; the tasks are idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat cadences and the claim lease on due posts; the defaults suit production, the drills
# (tests/drills) shorten them to run in minutes.
INGESTION_TICK_SECONDS = env.float("INGESTION_TICK_SECONDS", default=60.0)
FOLLOWUP_SWEEP_SECONDS = env.float("FOLLOWUP_SWEEP_SECONDS", default=60.0)
# A batch renews its claim before every request and every inline wait, so only a dead worker's
# claims lapse: they are claimed again within lease + one tick (under two minutes by default).
INGESTION_CLAIM_LEASE_SECONDS = env.float("INGESTION_CLAIM_LEASE_SECONDS", default=45.0)

# --- Platforms --------------------------------------------------------------------------------
# PLATFORM_API_BASE empty: the real hosts. Set to e.g. http://127.0.0.1:8000/sandbox and every
# https://HOST/... becomes {PLATFORM_API_BASE}/HOST/... (the built-in sandbox).
PLATFORM_API_BASE = env.str("PLATFORM_API_BASE", default="")
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)
PLATFORM_HTTP_TIMEOUT = env.float("PLATFORM_HTTP_TIMEOUT", default=20.0)
if INGESTION_CLAIM_LEASE_SECONDS <= PLATFORM_HTTP_TIMEOUT:
    # A reply could then outlive the claim, and another worker read the same posts meanwhile.
    raise ImproperlyConfigured("INGESTION_CLAIM_LEASE_SECONDS must be longer than PLATFORM_HTTP_TIMEOUT.")
GRAPH_API_VERSION = env.str("GRAPH_API_VERSION", default="v25.0")
# Ingestion budgets (metrics/ingestion/budgets.py). X bills each resource a read returns, in US
# dollars (docs.x.com/x-api/getting-started/pricing, 2026: $0.005 a post, $0.010 a user); Google
# gives a project 10,000 Data API units a day unless it asked for more.
X_PRICE_PER_POST_READ = Decimal(env.str("X_PRICE_PER_POST_READ", default="0.005"))
X_PRICE_PER_USER_READ = Decimal(env.str("X_PRICE_PER_USER_READ", default="0.010"))
YOUTUBE_PROJECT_DAILY_UNITS = env.int("YOUTUBE_PROJECT_DAILY_UNITS", default=10_000)

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.ErrorAwareAutoSchema",
    # Token first: its `WWW-Authenticate: Token` header makes an unauthenticated request a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "campaigns.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["config.api_errors.StrictJSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "campaigns.api.defaults.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Never None: DRF would then take a client's own X-Forwarded-For as its address.
    "NUM_PROXIES": NUM_PROXIES,
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["campaigns.api.defaults.UserThrottle", "campaigns.api.defaults.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER", default="2000/hour"),
        "anon": env.str("API_THROTTLE_ANON", default="100/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Softpower API",
    "DESCRIPTION": "Plan and measure digital-diplomacy campaigns.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Separate request and response components, so write-only fields (an account's token) and
    # read-only ones are documented where they apply.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "campaigns.api.fields.COUNTRY_CODES",
        "TimezoneEnum": "campaigns.api.fields.TIMEZONES",
        "PostStatusEnum": "campaigns.models.Post.Status",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "CollaborationStatusEnum": "campaigns.models.Collaboration.Status",
        "IngestionRunStatusEnum": "metrics.models.IngestionRun.Status",
        "MetricImportStatusEnum": "metrics.models.MetricImport.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line leaves through the one redaction of secrets (tokens in a URL, a header, a traceback).
    "filters": {"redact": {"()": "metrics.connectors.redaction.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
