"""Builders for scoring tests that need the database: an account with history and snapshots."""

from __future__ import annotations

import datetime as dt

from campaigns.models import Post
from metrics.models import PostMetricSnapshot
from tests.factories import AccountFactory, CampaignFactory, EventFactory, PostFactory

WHA = dt.datetime(2026, 5, 18, 8, 0, tzinfo=dt.UTC)


def snapshot(post: Post, age_h: float, **metrics) -> PostMetricSnapshot:
    at = post.published_at + dt.timedelta(hours=age_h)
    return PostMetricSnapshot.objects.create(post=post, slot=at.replace(minute=0, second=0, microsecond=0),
                                             captured_at=at, **metrics)


def published_post(*, campaign, account, at: dt.datetime, **kw) -> Post:
    return PostFactory(campaign=campaign, account=account, status=Post.Status.PUBLISHED, planned_at=at,
                       published_at=at, **kw)


def account_with_history(org, *, reactions=(10, 20, 30, 40, 50), platform="facebook"):
    """A campaign and an account whose earlier posts had 1 %..5 % interaction rates at 7 days (reach 1000)."""
    campaign = CampaignFactory(organization=org, target_countries=["VN"], languages=["en"])
    account = AccountFactory(organization=org, platform=platform)
    history = []
    for i, n in enumerate(reactions):
        p = published_post(campaign=campaign, account=account, at=WHA - dt.timedelta(days=20 - i), format="image")
        snapshot(p, 24, reactions=n // 2, reach=800)
        snapshot(p, 168, reactions=n, comments=n // 5, reach=1000)
        history.append(p)
    event = EventFactory(organization=org, name="WHA opening", starts_at=WHA)
    return campaign, account, event, history
