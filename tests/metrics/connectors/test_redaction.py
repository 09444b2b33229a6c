"""The one redaction of error text: known secrets and anything that looks like a credential."""

import logging

import pytest
import requests

from metrics.connectors.base import ConnectorError
from metrics.connectors.redaction import REDACTED, RedactingFilter, redact

TOKEN = "EAAJ-canary+token/Zx81Qm=="  # noqa: S105 -- a canary with characters a URL encodes


@pytest.mark.parametrize("text", [
    "Max retries exceeded with url: /v25.0/1/posts?fields=id&access_token=EAAJZx81Qm&limit=5",
    "POST body: batch=%5B%5D&access_token%3DEAAJZx81Qm",
    "/youtube/v3/videos?part=statistics&key=AIzaSyZx81Qm",
    "/oauth/access_token?client_id=1&client_secret=s3cr3tZx81Qm&fb_exchange_token=EAAJZx81Qm",
    "headers: {'Authorization': 'Bearer ya29.a0AfH6SMZx81Qm'}",
    "Authorization: OAuth EAAJZx81QmEAAJZx81Qm",
    "{'X-Goog-Api-Key': 'AIzaSyZx81Qm'}",
    '{"refresh_token": "1//0gZx81Qm", "expires_in": 3599}',
])
def test_credentials_are_taken_out_by_their_names(text):
    out = redact(text)
    assert "Zx81Qm" not in out and REDACTED in out


def test_known_secrets_go_in_every_encoding_a_url_gives_them():
    for form in [TOKEN, requests.utils.quote(TOKEN, safe=""), "EAAJ-canary%2Btoken%2FZx81Qm%3D%3D",
                 "EAAJ-canary+token/Zx81Qm=="]:
        assert "Zx81Qm" not in redact(f"the reply to {form} was lost", [TOKEN])


@pytest.mark.parametrize("text", [
    "YouTube API: HTTP 401 authError: Expected OAuth 2 access token, login cookie or other valid credential.",
    "Graph API: (#100) Tried accessing nonexisting field (foo) on node type (Page)",
    "X API: HTTP 429 Too Many Requests: Bearer token rate limit",
    "media_keys=3_1,3_2 sort_key=12",
])
def test_platform_messages_are_left_whole(text):
    assert redact(text) == text


def test_a_connector_error_message_never_carries_a_credential():
    error = ConnectorError("connection failed: /me?access_token=EAAJZx81Qm", "network", permanent=False)
    assert "Zx81Qm" not in error.message and "Zx81Qm" not in str(error)
    assert "Zx81Qm" not in error.redact_secrets(["Zx81Qm-unused"]).as_record()["message"]


def test_the_log_filter_cleans_the_message_and_the_chained_traceback(caplog):
    logger = logging.getLogger("tests.redaction")
    handler = logging.Handler()
    formatted = []
    handler.emit = lambda record: formatted.append(logging.Formatter().format(record))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        try:
            try:
                raise OSError("GET /v25.0/1?access_token=EAAJZx81Qm refused")
            except OSError as exc:
                raise RuntimeError("sync failed") from exc
        except RuntimeError:
            logger.exception("url %s", "/v25.0/1?access_token=EAAJZx81Qm")
    finally:
        logger.removeHandler(handler)
    (line,) = formatted
    assert "Traceback" in line and "sync failed" in line and "refused" in line
    assert "Zx81Qm" not in line
