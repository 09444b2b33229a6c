"""Does the page talk with people? Reply rate to questions, median response time, and what is still unanswered."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from campaigns.models import Account
from metrics.models import PostComment

UNANSWERED_SHOWN = 100


@dataclass
class ReplyStats:
    comments: int = 0  # top-level comments by others
    questions: int = 0
    answered: int = 0  # questions the account replied to
    replied: int = 0  # top-level comments (questions or not) the account replied to
    median_response_hours: float | None = None  # over answered questions

    @property
    def reply_rate(self) -> float | None:
        """Share of questions answered; None without questions."""
        return self.answered / self.questions if self.questions else None


def reply_stats(comments: Iterable[PostComment]) -> ReplyStats:
    stats = ReplyStats()
    delays = []
    for c in comments:
        if c.by_owner or c.parent_platform_id:
            continue
        stats.comments += 1
        stats.replied += c.answered_at is not None
        if c.is_question:
            stats.questions += 1
            if c.answered_at is not None and c.created_at is not None:
                stats.answered += 1
                delays.append((c.answered_at - c.created_at).total_seconds() / 3600)
    stats.median_response_hours = statistics.median(delays) if delays else None
    return stats


def _top_level(queryset: QuerySet) -> QuerySet:
    return queryset.filter(by_owner=False, parent_platform_id="").only(
        "by_owner", "parent_platform_id", "is_question", "answered_at", "created_at")


def post_reply_stats(*, post_id: int) -> ReplyStats:
    return reply_stats(_top_level(PostComment.objects.filter(post_id=post_id)))


def account_reply_stats(*, accounts: QuerySet, since: dt.datetime) -> list[tuple[Account, ReplyStats]]:
    """Per account, over comments made since `since` (one query)."""
    rows: dict[int, list[PostComment]] = {}
    comments = _top_level(PostComment.objects.filter(post__account__in=accounts, created_at__gte=since))
    for c in comments.only("post__account_id", "by_owner", "parent_platform_id", "is_question", "answered_at",
                           "created_at").select_related("post"):
        rows.setdefault(c.post.account_id, []).append(c)
    return [(account, reply_stats(rows.get(account.pk, []))) for account in accounts]


def unanswered_questions(*, accounts: QuerySet, limit: int = UNANSWERED_SHOWN) -> list[PostComment]:
    return list(
        PostComment.objects.filter(post__account__in=accounts, is_question=True, answered_at__isnull=True,
                                   by_owner=False, parent_platform_id="")
        .select_related("post__account").order_by("-created_at")[:limit]
    )
