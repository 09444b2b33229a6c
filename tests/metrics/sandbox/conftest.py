from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

# A fixed "now" so every number the sandbox serves in these tests is reproducible.
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def sandbox_now(settings):
    settings.SANDBOX_NOW = NOW
    cache.clear()
    return NOW


@pytest.fixture
def graph(client):
    """GET a Graph path with a token: graph("v25.0/123/posts", fields=...)."""

    def get(path: str, host: str = "graph.facebook.com", **params):
        params.setdefault("access_token", "sandbox-page-token")
        return client.get(f"/sandbox/{host}/{path}", params)

    return get


@pytest.fixture
def xapi(client):
    def get(path: str, token: str = "user-context-token", host: str = "api.x.com", **params):
        return client.get(f"/sandbox/{host}/{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")

    return get
