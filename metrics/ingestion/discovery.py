"""Posts found on an account (by the API or in a CSV export) become posts in Softpower.

campaigns owns the matching and the writes (campaigns.services.posts_record_found); this module
hands it the connectors' finds as campaigns' plain FoundPost values.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User

from campaigns.models import Account, Post
from campaigns.services import FoundPost, posts_record_found
from metrics.connectors.base import RemotePost


def posts_match_or_create(*, account: Account, found: Sequence[RemotePost], by: User | None = None,
                          max_new: int | None = None) -> dict[str, Post]:
    """platform_post_id → Post for every found post, linking planned posts and creating the rest
    (at most `max_new` of them: the others are left out)."""
    return posts_record_found(account=account, found=[_as_found(f) for f in found], by=by, max_new=max_new)


def _as_found(f: RemotePost) -> FoundPost:
    return FoundPost(platform_post_id=f.platform_post_id, published_at=f.published_at, permalink=f.permalink,
                     format=f.format, title=f.title, body=f.body, language=f.language)
