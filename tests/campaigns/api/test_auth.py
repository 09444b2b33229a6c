"""Personal API tokens: the services, the header, the page, the command; session auth with CSRF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from campaigns import tokens
from campaigns.models import ApiToken


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_a_token_is_stored_hashed_and_authenticates(people):
    token, key = tokens.token_create(user=people.editor, name="weekly report")
    assert key.startswith("sp_") and len(key) > 40
    assert key not in token.key_hash and token.key_hash == tokens.hash_key(key)
    assert token.prefix == key[:10]
    response = token_client(key).get("/api/v1/organizations/")
    assert response.status_code == 200
    assert [o["my_role"] for o in response.json()["results"]] == ["editor"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(people):
    token, key = tokens.token_create(user=people.editor, name="x")
    tokens.token_verify(key)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    tokens.token_verify(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    tokens.token_verify(key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - dt.timedelta(minutes=2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token sp_not-a-real-key", "Invalid token."),
        ("Token", "Invalid token header"),
        ("Token a b", "Invalid token header"),
    ],
)
def test_bad_tokens_answer_401_in_the_error_shape(people, header, message):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert message in response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_expired_and_revoked_tokens_say_why(people):
    expired, expired_key = tokens.token_create(user=people.editor, name="old", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = token_client(expired_key).get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]

    revoked, revoked_key = tokens.token_create(user=people.editor, name="leaked")
    assert token_client(revoked_key).get("/api/v1/campaigns/").status_code == 200
    tokens.token_revoke(token=revoked)
    response = token_client(revoked_key).get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_anonymous_gets_401_with_the_token_challenge():
    response = APIClient().get("/api/v1/posts/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_session_auth_needs_csrf_for_writes(people, org):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people.editor)
    assert client.get("/api/v1/campaigns/").status_code == 200
    payload = {"organization": org.pk, "name": "Night markets", "start_date": "2026-12-01", "end_date": "2026-12-07"}
    response = client.post("/api/v1/campaigns/", payload, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_the_command_prints_a_working_token(people):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "erin_editor", "--name", "cron", "--days", "7", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert token_client(key).get("/api/v1/campaigns/").status_code == 200
    token = ApiToken.objects.get(name="cron")
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)


@pytest.mark.django_db
def test_the_command_refuses_unknown_users_and_lifetimes(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("create_api_token", "erin_editor", "--days", "0")


@pytest.mark.django_db
def test_the_tokens_page_shows_a_key_once_lists_and_revokes(client, people):
    client.force_login(people.editor)
    url = reverse("api_tokens")
    page = client.post(url, {"name": "dashboard sync", "days": "30"})
    assert page.status_code == 200
    key = page.context["new_key"]
    assert key and key in page.content.decode()
    token = ApiToken.objects.get(user=people.editor, name="dashboard sync")
    assert token_client(key).get("/api/v1/posts/").status_code == 200

    listing = client.get(url).content.decode()
    assert "dashboard sync" in listing and token.prefix in listing and key not in listing

    # Someone else's token cannot be revoked from here.
    other, _ = tokens.token_create(user=people.approver, name="theirs")
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404

    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert token_client(key).get("/api/v1/posts/").status_code == 401


@pytest.mark.django_db
def test_the_tokens_page_validates_its_form(client, people):
    client.force_login(people.editor)
    page = client.post(reverse("api_tokens"), {"name": "", "days": "9999"})
    assert page.status_code == 200 and page.context["new_key"] is None
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_throttling_applies_and_answers_429_in_the_error_shape(settings, people):
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/min", "anon": "2/min"}}
    cache.clear()
    _, key = tokens.token_create(user=people.viewer, name="x")
    client = token_client(key)
    codes = [client.get("/api/v1/campaigns/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/campaigns/").json()["error"]["code"] == "throttled"


@pytest.mark.django_db
def test_failed_token_authentication_is_throttled_per_address_with_retry_after(settings, people):
    settings.API_TOKEN_FAILURE_LIMIT = 10
    _, right_key = tokens.token_create(user=people.viewer, name="x")
    attacker = APIClient(REMOTE_ADDR="203.0.113.7")
    codes = []
    for n in range(120):
        attacker.credentials(HTTP_AUTHORIZATION=f"Token sp_wrong{n:04d}")
        codes.append(attacker.get("/api/v1/campaigns/").status_code)
    assert codes == [401] * 10 + [429] * 110

    # Blocked means blocked: the right token from that address is refused too, in the API's error shape.
    attacker.credentials(HTTP_AUTHORIZATION=f"Token {right_key}")
    refused = attacker.get("/api/v1/campaigns/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.API_TOKEN_FAILURE_WINDOW
    assert refused.json()["error"]["code"] == "throttled"
    assert "Too many failed token authentications" in refused.json()["error"]["message"]
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="198.51.100.20")
    other.credentials(HTTP_AUTHORIZATION=f"Token {right_key}")
    assert other.get("/api/v1/campaigns/").status_code == 200


@pytest.mark.django_db
def test_the_failure_count_ends_with_its_window(settings, people, monkeypatch):
    import time

    settings.API_TOKEN_FAILURE_LIMIT = 2
    settings.API_TOKEN_FAILURE_WINDOW = 60
    clock = [6_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    client = token_client("sp_wrong")
    assert [client.get("/api/v1/campaigns/").status_code for _ in range(3)] == [401, 401, 429]
    clock[0] += 60
    assert client.get("/api/v1/campaigns/").status_code == 401


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_count(settings, people):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    codes = []
    for n in range(5):
        client = APIClient(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        client.credentials(HTTP_AUTHORIZATION="Token sp_wrong")
        codes.append(client.get("/api/v1/campaigns/").status_code)
    assert codes == [401, 401, 401, 429, 429]
