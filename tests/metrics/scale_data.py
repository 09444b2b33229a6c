"""A generated data set for the scale tests: accounts with many posts, each read many times.

Deterministic (a seeded random), written with bulk_create, with curves that rise fast and flatten
the way real posts do. Varied on purpose: several platforms and formats, languages written several
ways (en, en-US, en-GB, EN), readings that skip metrics a platform does not give, a few posts never
read, and readings at irregular ages so the nearest-reading search has ties and gaps to get right.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from campaigns.models import Account, Campaign, Organization, Post
from metrics.models import PostMetricSnapshot
from tests.factories import AccountFactory, CampaignFactory

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
PLATFORMS = ["facebook", "instagram", "x", "youtube"]
FORMATS = ["image", "video", "reel", "text", "live", "carousel"]
LANGUAGES = ["en", "en-US", "en-GB", "EN", "fr", "zh-Hant", "ja", ""]
# Hours after publication: the cadence's shape (hourly, then six-hourly, daily, weekly), with jitter.
BASE_AGES = [1, 2, 3, 5, 8, 12, 18, 24, 30, 36, 48, 72, 96, 120, 144, 168, 192, 240, 336, 504, 720, 1080, 1440]


@dataclass
class ScaleData:
    campaign: Campaign
    accounts: list[Account]
    post_ids: list[int]
    snapshots: int


def _ages(rng: random.Random, n: int) -> list[float]:
    ages = [a + rng.uniform(-0.4, 0.4) for a in BASE_AGES]
    while len(ages) < n:
        ages.append(ages[-1] + rng.choice([24.0, 168.0, 6.0, 1.0]))
    return sorted(max(0.01, a) for a in ages[:n])


def build_scale_data(org: Organization, *, accounts: int = 4, posts_per_account: int = 50,
                     snapshots_per_post: int = 30, seed: int = 10, days: int = 60) -> ScaleData:
    rng = random.Random(seed)
    campaign = CampaignFactory(organization=org, start_date=START.date(),
                               end_date=(START + dt.timedelta(days=days)).date(),
                               target_countries=["JP", "VN"], languages=["en", "ja"])
    accs = [AccountFactory(organization=org, platform=PLATFORMS[i % len(PLATFORMS)]) for i in range(accounts)]
    posts = []
    for acc in accs:
        for _ in range(posts_per_account):
            published = START + dt.timedelta(minutes=rng.randrange(days * 24 * 60))
            posts.append(Post(campaign=campaign, account=acc, status=Post.Status.PUBLISHED, planned_at=published,
                              published_at=published, format=rng.choice(FORMATS), language=rng.choice(LANGUAGES),
                              title=f"post {len(posts)}", traits=rng.sample(["question", "poll", "local_voice"],
                                                                            rng.randrange(3))))
    posts = Post.objects.bulk_create(posts, batch_size=500)
    rows = []
    for post in posts:
        if rng.random() < 0.03:
            continue  # never read yet
        platform = post.account.platform
        views = reactions = comments = shares = 0
        scale = rng.lognormvariate(6, 1.2)
        for age in _ages(rng, snapshots_per_post):
            at = post.published_at + dt.timedelta(hours=age)
            grow = scale * (1.0 / (1 + age)) * rng.uniform(0.5, 1.5)
            views += int(grow * 20)
            reactions += int(grow)
            comments += int(grow / 8)
            shares += int(grow / 12)
            rows.append(PostMetricSnapshot(
                post=post, slot=at.replace(minute=0, second=0, microsecond=0), captured_at=at,
                views=views, reactions=reactions, comments=comments,
                shares=None if platform == "youtube" else shares,
                quotes=rng.randrange(3) if platform == "x" else None,
                reach=int(views * 0.7) if platform in ("facebook", "instagram") else None,
                impressions=int(views * 1.3) if platform != "youtube" else None,
                saves=int(reactions / 10) if platform == "instagram" else None,
            ))
    # Hourly slots are unique per post: drop a second reading that fell into the same hour.
    seen, unique = set(), []
    for r in rows:
        if (r.post.pk, r.slot) not in seen:
            seen.add((r.post.pk, r.slot))
            unique.append(r)
    PostMetricSnapshot.objects.bulk_create(unique, batch_size=2000)
    return ScaleData(campaign=campaign, accounts=accs, post_ids=[p.pk for p in posts], snapshots=len(unique))
