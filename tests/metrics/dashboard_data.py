"""A campaign with a known history, for the dashboard, export, report and digest tests.

Every post gains 1,000 views and 50 interactions a day (reactions 30, comments 10, shares 10) from
its publication; the influencer's post gains twice that. Snapshots are written through the real
snapshot service and rolled up by the real roll-up service.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from campaigns.models import KPITarget, Post
from metrics.ingestion.snapshots import PostReading, account_snapshot_upsert, post_snapshots_upsert
from metrics.models import AudienceCountrySlice, PostScore
from metrics.reporting.rollups import account_rollups_recompute, post_rollups_recompute
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    CollaborationFactory,
    InfluencerFactory,
    KPITargetFactory,
    PostFactory,
    SeriesFactory,
)

DAYS = 10


def build_campaign(org, *, n_posts: int = 5, today: dt.date | None = None, name: str = "Health for all"):
    today = today or timezone.now().date()
    start = today - dt.timedelta(days=DAYS)
    campaign = CampaignFactory(organization=org, name=name, start_date=start, end_date=today + dt.timedelta(days=10),
                               target_countries=["VN", "US"])
    fb = AccountFactory(organization=org, platform="facebook", handle="MOFA.Taiwan")
    yt = AccountFactory(organization=org, platform="youtube", handle="TrendingTaiwan")
    influencer = InfluencerFactory(organization=org, name="Kuwaiti creator")
    ig = AccountFactory(organization=org, platform="instagram", handle="custard.apple.fan", influencer=influencer)
    series = SeriesFactory(campaign=campaign, name="Q&A week", start_date=start, end_date=today)
    KPITargetFactory(campaign=campaign, metric=KPITarget.Metric.VIEWS, target_value=1_000_000)
    KPITargetFactory(campaign=campaign, metric=KPITarget.Metric.INTERACTIONS, target_value=100)
    KPITargetFactory(campaign=campaign, metric=KPITarget.Metric.COUNTRY_VIEW_SHARE, country="VN", target_value=5)

    posts = []
    for n in range(n_posts):
        account = yt if n % 2 else fb
        published = dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC)
        posts.append(PostFactory(
            campaign=campaign, account=account, status=Post.Status.PUBLISHED, published_at=published,
            planned_at=published, format="video" if account is yt else "image", title=f"Post number {n}",
            language="en" if n % 3 else "zh-hant", series=series if n % 2 == 0 else None,
        ))
    original = posts[0]
    arabic = PostFactory(campaign=campaign, account=ig, status=Post.Status.PUBLISHED, format="short_video",
                         published_at=dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC), language="ar",
                         title="An SDG a Day (Arabic)", variant_of=original)
    collab = CollaborationFactory(campaign=campaign, influencer=influencer, title="SDG video in Arabic",
                                  compensation_amount=500, compensation_currency="USD")
    collab.deliverables.add(arabic)

    readings = []
    for post in [*posts, arabic]:
        factor = 2 if post is arabic else 1
        for d in range(1, DAYS + 1):
            at = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(12), tzinfo=dt.UTC)
            readings.append(PostReading(post_id=post.id, captured_at=at, metrics={
                "views": 1000 * d * factor, "reach": 800 * d * factor, "reactions": 30 * d * factor,
                "comments": 10 * d * factor, "shares": 10 * d * factor,
            }))
    post_snapshots_upsert(readings)
    for d in range(DAYS + 1):
        at = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(6), tzinfo=dt.UTC)
        account_snapshot_upsert(account_id=fb.id, captured_at=at, followers=10_000 + 100 * d)
        account_snapshot_upsert(account_id=yt.id, captured_at=at, followers=5_000 + 50 * d)
        account_snapshot_upsert(account_id=ig.id, captured_at=at, followers=40_000)
    # YouTube gives views by country for its videos: one tenth from Vietnam.
    for post in posts:
        if post.account_id == yt.id:
            for country, value in {"VN": 1000, "TW": 6000, "US": 3000}.items():
                AudienceCountrySlice.objects.create(account=yt, post=post, measure="views", day=today,
                                                    country=country, value=value)
    for i, post in enumerate([*posts, arabic]):
        PostScore.objects.create(post=post, method_version="v1", timeliness=80, authenticity=70, format=60 + i % 3,
                                 interactivity=40, overall=62.5, explanation={"timeliness": {"reason": "on time"}})
    post_rollups_recompute(post_ids=[p.id for p in [*posts, arabic]])
    account_rollups_recompute(account_ids=[fb.id, yt.id, ig.id])
    return campaign
