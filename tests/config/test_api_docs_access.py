"""The API schema and its docs page are for members only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import client_for


@pytest.mark.django_db
def test_anonymous_visitors_get_neither_the_schema_nor_the_docs(client):
    assert client.get(reverse("api_schema")).status_code == 401
    schema = client.get(reverse("api_schema"), {"format": "json"})
    assert schema.status_code == 401 and schema.json()["error"]["code"] == "not_authenticated"
    docs = client.get(reverse("api_docs"))
    assert docs.status_code == 302 and docs.url.startswith(reverse("login"))
    assert client.get(reverse("api_docs"), {"script": ""}).status_code == 302


@pytest.mark.django_db
def test_members_get_the_schema_by_token_or_session_and_the_docs_page(client, people):
    by_token = client_for(people.viewer).get(reverse("api_schema"), {"format": "json"})
    assert by_token.status_code == 200 and "/api/v1/posts/" in by_token.json()["paths"]
    client.force_login(people.viewer)
    assert client.get(reverse("api_schema"), {"format": "json"}).status_code == 200
    page = client.get(reverse("api_docs"))
    assert page.status_code == 200
    # Swagger UI's start-up script is a file of its own, not inline in the page.
    assert "?script=" in page.content.decode()
    script = client.get(reverse("api_docs"), {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
