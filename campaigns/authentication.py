"""`Authorization: Token <key>` for scripts, with the personal tokens of campaigns.tokens."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from campaigns import tokens


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format (so the OpenAPI scheme is documented), our hashed, expiring tokens."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
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
