"""Personal API tokens: created by their owner, shown once, stored as a SHA-256 hash.

The key is `sp_` + 43 random URL-safe characters. Only its hash and a short prefix (to tell
tokens apart in the list) are stored, so a database leak does not leak working keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import ApiToken

KEY_PREFIX = "sp_"
PREFIX_LENGTH = 10  # "sp_" + 7 characters: enough to recognise a token in a list
MAX_DAYS = 366
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(Exception):
    """A presented key that does not authenticate; the message says why."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user, name: str, days: int | None = 90) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the plain key, which is never retrievable again."""
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValueError(_("A token lives between 1 and %(max)d days.") % {"max": MAX_DAYS})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or _("API token"),
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=timezone.now() + dt.timedelta(days=days) if days is not None else None,
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_verify(key: str) -> ApiToken:
    """The active token for `key`, or TokenError saying why it is refused."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        raise TokenError(_("Invalid token."))
    try:
        token = ApiToken.objects.select_related("user").get(key_hash=hash_key(key))
    except ApiToken.DoesNotExist:
        raise TokenError(_("Invalid token.")) from None
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenError(_("This token was revoked on %(date)s.") % {"date": token.revoked_at.date().isoformat()})
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenError(_("This token expired on %(date)s.") % {"date": token.expires_at.date().isoformat()})
    if not token.user.is_active:
        raise TokenError(_("The user of this token is inactive."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A conditional update: concurrent requests write at most once per minute.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
