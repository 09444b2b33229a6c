"""Posts found on an account (by the API or in a CSV export) become posts in Softpower.

A found post is matched to a planned one by platform id first, then by permalink; only what
matches nothing is created, as a published post outside any campaign.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from campaigns.models import Account, Post
from metrics.connectors.base import RemotePost


@transaction.atomic
def posts_match_or_create(*, account: Account, found: Sequence[RemotePost], by: User | None = None,
                          _retry: bool = True) -> dict[str, Post]:
    """platform_post_id → Post for every found post, linking planned posts and creating the rest.

    New posts are created in one bulk insert (with their history rows): a 100,000-row CSV export
    creating them one by one spent most of its time on 200,000 single-row inserts.
    """
    ids = [f.platform_post_id for f in found]
    links = [f.permalink for f in found if f.permalink]
    known = Post.objects.filter(account=account).filter(Q(platform_post_id__in=ids) | Q(permalink__in=links))
    by_id = {p.platform_post_id: p for p in known if p.platform_post_id}
    by_link = {p.permalink: p for p in known if p.permalink}
    result: dict[str, Post] = {}
    new: dict[str, Post] = {}
    for f in found:
        if f.platform_post_id in result or f.platform_post_id in new:
            continue
        post = by_id.get(f.platform_post_id) or (by_link.get(f.permalink) if f.permalink else None)
        if post is None:
            new[f.platform_post_id] = Post(
                account=account, status=Post.Status.PUBLISHED, platform_post_id=f.platform_post_id,
                permalink=f.permalink, published_at=f.published_at, format=f.format, title=f.title[:300],
                body=f.body, language=f.language or account.language,
            )
            continue
        _link(post, f)
        result[f.platform_post_id] = post
        by_id[f.platform_post_id] = post
    if new:
        try:
            with transaction.atomic():
                created = bulk_create_with_history(list(new.values()), Post, batch_size=500, default_user=by)
        except IntegrityError:
            if not _retry:
                raise
            # Another run created some of these meanwhile: match again, and they are found this time.
            return posts_match_or_create(account=account, found=found, by=by, _retry=False)
        result.update({post.platform_post_id: post for post in created})
    return result


def _link(post: Post, f: RemotePost) -> None:
    """Fill in what the platform says about a known post; the planning status follows the facts."""
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
        post.status = Post.Status.PUBLISHED
        changed.append("status")
    if changed:
        post.save(update_fields=[*changed, "updated_at"])
