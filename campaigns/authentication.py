"""`Authorization: Token <key>` for scripts, with the personal tokens of campaigns.tokens.

Failed token authentications are counted per client address: past settings.API_TOKEN_FAILURE_LIMIT
in one window, every token request from that address answers 429 until the window ends, the right
token included (else guessing would go on, 429s aside, until the answer changed).
"""

from __future__ import annotations

import contextlib
import time
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request

from campaigns import tokens


def client_address(request: HttpRequest) -> str:
    """The client's address, through settings.NUM_PROXIES proxies (DRF's rule; django-axes uses it too)."""
    # get_ident reads only request.META, which Django's request and DRF's both have.
    return throttling.BaseThrottle().get_ident(cast(Request, request)) or ""


def _failure_window(request) -> tuple[str, int]:
    """The cache key counting this address's failures in the current fixed window, and its seconds left."""
    window = settings.API_TOKEN_FAILURE_WINDOW
    now = int(time.time())
    return f"api-token-failures:{client_address(request)}:{now // window}", window - now % window


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format (so the OpenAPI scheme is documented), our hashed, expiring tokens."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        key_name, seconds_left = _failure_window(request)
        if cache.get(key_name, 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise exceptions.Throttled(
                wait=seconds_left, detail=_("Too many failed token authentications from your address.")
            )
        try:
            return self._authenticate_header(header)
        except exceptions.AuthenticationFailed:
            if not cache.add(key_name, 1, timeout=seconds_left + 1):
                with contextlib.suppress(ValueError):  # the window ended in between: nothing to count
                    cache.incr(key_name)
            raise

    def _authenticate_header(self, header: list[bytes]):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: expected “Token <key>”."))
        try:
            key = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the key has invalid characters.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        try:
            token = tokens.token_verify(key)
        except tokens.TokenError as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        return (token.user, token)
