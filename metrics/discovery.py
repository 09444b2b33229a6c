"""Posts found on an account (by the API or in a CSV export) become posts in Softpower.

A found post is matched to a planned one by platform id first, then by permalink; only what
matches nothing is created, as a published post outside any campaign.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from campaigns.models import Account, Post


@dataclass(frozen=True)
class FoundPost:
    platform_post_id: str
    published_at: dt.datetime | None
    permalink: str = ""
    format: str = "text"  # campaigns.models.PostFormat value
    title: str = ""
    body: str = ""
    language: str = ""


@transaction.atomic
def posts_match_or_create(*, account: Account, found: Sequence[FoundPost]) -> dict[str, Post]:
    """platform_post_id → Post for every found post, linking planned posts and creating the rest."""
    ids = [f.platform_post_id for f in found]
    links = [f.permalink for f in found if f.permalink]
    known = Post.objects.filter(account=account).filter(Q(platform_post_id__in=ids) | Q(permalink__in=links))
    by_id = {p.platform_post_id: p for p in known if p.platform_post_id}
    by_link = {p.permalink: p for p in known if p.permalink}
    result: dict[str, Post] = {}
    for f in found:
        post = by_id.get(f.platform_post_id) or (by_link.get(f.permalink) if f.permalink else None)
        if post is None:
            post = Post.objects.create(
                account=account, status=Post.Status.PUBLISHED, platform_post_id=f.platform_post_id,
                permalink=f.permalink, published_at=f.published_at, format=f.format, title=f.title[:300],
                body=f.body, language=f.language or account.language,
            )
        else:
            changed = []
            if not post.platform_post_id:
                post.platform_post_id = f.platform_post_id
                changed.append("platform_post_id")
            if f.permalink and not post.permalink:
                post.permalink = f.permalink
                changed.append("permalink")
            if f.published_at and not post.published_at:
                post.published_at = f.published_at
                changed.append("published_at")
            if post.status != Post.Status.PUBLISHED:
                # The platform says it is out: the planning status follows the facts.
                post.status = Post.Status.PUBLISHED
                changed.append("status")
            if changed:
                post.save(update_fields=[*changed, "updated_at"])
        result[f.platform_post_id] = post
        by_id[f.platform_post_id] = post
    return result
