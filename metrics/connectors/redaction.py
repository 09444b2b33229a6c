"""One place that takes secrets out of error text before it is kept, shown or logged.

Connectors send tokens in headers, but an exception's text can still carry a URL, a form body or a
header a library chose to print. Every connector error message and every log record passes
through `redact()`: the known secret values go, and so does whatever follows a credential's name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"

# Query and form parameters that carry credentials on the four platforms and in OAuth (RFC 6749).
_SECRET_PARAMS = (
    "access_token", "refresh_token", "fb_exchange_token", "input_token", "client_secret", "appsecret_proof",
    "api_key", "key", "password",
)
# name=value (a URL or a form body, also percent-encoded as name%3Dvalue) and "name": "value" (JSON).
_PARAM = re.compile(
    r"(?<![\w-])(?P<name>" + "|".join(_SECRET_PARAMS) + r")(?P<sep>=|%3D)(?P<value>[^&\s'\"<>)\],;]+)",
    re.IGNORECASE,
)
_JSON_FIELD = re.compile(
    r"(?P<name>[\"'](?:" + "|".join(_SECRET_PARAMS) + r")[\"']\s*:\s*)[\"'][^\"']*[\"']",
    re.IGNORECASE,
)
# Authorization schemes (RFC 6750 Bearer, Graph's OAuth, Basic) and Google's API key header. A
# credential is long and has a digit, so prose such as "Expected OAuth 2 access token" stays whole.
_SCHEME = re.compile(r"\b(?P<name>Bearer|OAuth|Basic)\s+(?P<value>[A-Za-z0-9\-._~+/|%]{12,}=*)", re.IGNORECASE)
_HEADER = re.compile(r"(?P<name>x-goog-api-key[\"']?\s*[:=]\s*[\"']?)(?P<value>[^\s'\",}]+)", re.IGNORECASE)

# Shorter values are not treated as secrets: stripping every "1" or "ab" would garble messages.
MIN_SECRET_LENGTH = 6


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret value, and anything that looks like a credential, replaced."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH:
            for form in {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}:
                text = text.replace(form, REDACTED)
    text = _PARAM.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text)
    text = _JSON_FIELD.sub(lambda m: f"{m['name']}\"{REDACTED}\"", text)
    text = _SCHEME.sub(lambda m: f"{m['name']} {REDACTED}" if _has_digit(m["value"]) else m[0], text)
    return _HEADER.sub(lambda m: f"{m['name']}{REDACTED}", text)


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


class RedactingFilter(logging.Filter):
    """A handler filter: a record's message and traceback leave through `redact()`.

    The last line of defence for what no connector formats itself: a library's debug line, or a
    traceback whose chained exception prints a URL.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
