"""Read the conversations under our posts: who commented, which comments ask something, and whether (and how fast)
the account answered. "Interactivity: building community" is the fourth principle; this is its evidence.

A post's conversation is read again only when its comment count (from its latest reading) grew since the last
read, so quiet posts cost nothing. X's recent search reaches seven days back, so X posts are read for a week;
the other platforms for WATCH_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from campaigns.crypto import TokenUnreadable
from campaigns.models import Account, Post
from metrics.connectors.base import ConnectorError, RemoteComment
from metrics.connectors.registry import connector_for
from metrics.models import ConversationCheck, IngestionRun, PostComment, PostMetricSnapshot

log = logging.getLogger(__name__)

WATCH_DAYS = 30
X_SEARCH_DAYS = 7  # recent search; older replies need full-archive access
TEXT_KEPT = 2000


@dataclass
class ConversationPass:
    accounts: int = 0
    posts_read: int = 0
    requests: int = 0
    comments: int = 0


def _posts_grown(account: Account, now: dt.datetime) -> list[tuple[Post, int]]:
    days = X_SEARCH_DAYS if account.platform == "x" else WATCH_DAYS
    latest = PostMetricSnapshot.objects.filter(post=OuterRef("pk")).order_by("-slot")
    posts = (
        Post.objects.filter(account=account, status=Post.Status.PUBLISHED,
                            published_at__gte=now - dt.timedelta(days=days))
        .exclude(platform_post_id="")
        .annotate(comments_now=Subquery(latest.values("comments")[:1]))
        .select_related("conversation_check")
    )
    grown: list[tuple[Post, int]] = []
    for post in posts:
        check = getattr(post, "conversation_check", None)
        count = post.comments_now or 0
        if count > (check.comments_seen if check else 0):
            grown.append((post, count))
    return grown


@transaction.atomic
def conversation_store(*, post: Post, comments: list[RemoteComment], count: int, now: dt.datetime) -> int:
    """Upsert the thread; each top-level comment by someone else learns when we first answered it."""
    first_answer: dict[str, dt.datetime] = {}
    for c in comments:
        if c.by_owner and c.parent_id and c.created_at:
            known = first_answer.get(c.parent_id)
            first_answer[c.parent_id] = min(known, c.created_at) if known else c.created_at
    rows = [
        PostComment(
            post=post, platform_comment_id=c.comment_id[:100], parent_platform_id=c.parent_id[:100],
            author_name=c.author_name[:200], text=c.text[:TEXT_KEPT], created_at=c.created_at, by_owner=c.by_owner,
            is_question=not c.by_owner and not c.parent_id and PostComment.looks_like_question(c.text),
            answered_at=None if c.by_owner or c.parent_id else first_answer.get(c.comment_id), read_at=now,
        )
        for c in comments if c.comment_id
    ]
    PostComment.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["post", "platform_comment_id"],
        update_fields=["text", "answered_at", "is_question", "read_at"],
    )
    ConversationCheck.objects.update_or_create(post=post, defaults={"comments_seen": count, "checked_at": now})
    return len(rows)


def account_conversations_read(*, account: Account, now: dt.datetime) -> ConversationPass:
    result = ConversationPass(accounts=1)
    grown = _posts_grown(account, now)
    if not grown:
        return result
    try:
        conn = connector_for(account.platform, account_platform_id=account.platform_id,
                             access_token=account.get_access_token())
    except TokenUnreadable:
        return result  # the refresh marks the account for reconnecting
    run = IngestionRun.objects.create(platform=account.platform, account=account, kind="conversations")
    try:
        for post, count in grown:
            comments = conn.comments(post.platform_post_id, owner_name=account.handle)
            result.comments += conversation_store(post=post, comments=comments, count=count, now=now)
            result.posts_read += 1
        run.status = IngestionRun.Status.SUCCESS
    except ConnectorError as error:
        # A limit or an outage ends this account's pass; the posts not read yet are read on the next one.
        log.warning("conversation pass for account %s stopped: %s", account.pk, error.code)
        run.errors = [error.as_record()]
        run.status = IngestionRun.Status.FAILED
    run.requests_made = result.requests = conn.requests_made
    run.posts_refreshed = result.posts_read
    run.finished_at = timezone.now()
    run.save()
    return result


def conversations_read(*, now: dt.datetime | None = None) -> ConversationPass:
    """One pass over every connected account."""
    now = now or timezone.now()
    total = ConversationPass()
    for account in Account.objects.filter(connection_state=Account.Connection.CONNECTED):
        part = account_conversations_read(account=account, now=now)
        total.accounts += part.accounts
        total.posts_read += part.posts_read
        total.requests += part.requests
        total.comments += part.comments
    return total
