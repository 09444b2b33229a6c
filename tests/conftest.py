"""Shared fixtures. Personas are named, as in healthchecks' BaseTestCase:

- alice_admin, erin_editor, aaron_approver and vera_viewer belong to the ministry (`org`);
- oscar_outsider is an editor of another organization (`other_org`) and must see nothing of `org`.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from celery import current_app
from django.core.cache import cache
from rest_framework.test import APIClient

from campaigns import tokens
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    # Hashing passwords slowly buys nothing in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Department of Information Services", slug="dis")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Another City Office", slug="other", kind="city")


@pytest.fixture
def people(org, other_org):
    def member(username: str, role: str, organization):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=organization, role=role)
        return user

    return SimpleNamespace(
        admin=member("alice_admin", "admin", org),
        editor=member("erin_editor", "editor", org),
        approver=member("aaron_approver", "approver", org),
        viewer=member("vera_viewer", "viewer", org),
        outsider=member("oscar_outsider", "editor", other_org),
    )


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Let PostgreSQL drop the test database at the end.

    live_server's request threads can leave an idle connection behind; PostgreSQL refuses to drop
    a database that still has sessions, so end them once every test is done.
    """
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


# --- Headless Chromium (Debian's package) driven by Playwright, for the tests that need a browser ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def browser():
    # Function-scoped on purpose: a sync Playwright left running between tests would break any other
    # test in the same worker that starts its own (it refuses to run inside a live event loop).
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # No skip: `make test` installs Chromium, and a browser test that silently skips proves nothing.
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # ORM calls made while Playwright runs get their own connection (its event loop gives them another
    # context); close it, or PostgreSQL refuses to drop the test database at the end.
    from django.db import connections

    connections.close_all()


@pytest.fixture
def log_in(page, live_server):
    """Sign a user in through the login form, as a person would."""

    def sign_in(user, password: str = "softpower-test") -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def jobs_inline(monkeypatch):
    """Run the tasks the code enqueues (by name, metrics.jobs) in this process, as a worker would."""
    from celery import current_app

    import campaigns.tasks  # noqa: F401  (registers the tasks by name)
    import metrics.tasks  # noqa: F401

    ran: list[tuple[str, list]] = []

    def run(name, args=None, **options):
        ran.append((name, list(args or [])))
        return current_app.tasks[name].apply(args=args, throw=True)

    monkeypatch.setattr(current_app, "send_task", run)
    return ran

@pytest.fixture(autouse=True)
def _api_settings(settings, tmp_path):
    # Throttling has its own test; the rest of the suite must never be throttled. Uploads go to a
    # folder of the test's own.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000000/hour", "anon": "1000000/hour"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def sent_tasks(monkeypatch):
    """Tasks the API enqueues, by name, instead of sending them to a broker no worker reads here."""
    sent: list[tuple[str, list]] = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, **kw: sent.append((name, list(args or []))))
    return sent


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = tokens.token_create(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def clients(people):
    """APIClients authenticated by token as each persona (and `anon` with none)."""

    class Clients:
        anon = client_for(None)
        admin = client_for(people.admin)
        editor = client_for(people.editor)
        approver = client_for(people.approver)
        viewer = client_for(people.viewer)
        outsider = client_for(people.outsider)

    return Clients
