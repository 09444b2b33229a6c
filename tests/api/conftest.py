"""API test helpers: token clients for the personas, generous throttles, recorded task sends."""

from __future__ import annotations

import pytest
from celery import current_app
from django.core.cache import cache
from rest_framework.test import APIClient

from campaigns import tokens


@pytest.fixture(autouse=True)
def _api_settings(settings, tmp_path):
    # Throttling has its own test; the rest of the suite must never be throttled.
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
