"""Shared fixtures. Personas are named, as in healthchecks' BaseTestCase:

- alice_admin, erin_editor, aaron_approver and vera_viewer belong to the ministry (`org`);
- oscar_outsider is an editor of another organization (`other_org`) and must see nothing of `org`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

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
