"""Scoring at scale gives the scores it gave before: the old way (kept here as the reference) and
the new one on a generated data set, and the nearest reading by binary search against the old scan."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Post
from metrics import scoring
from metrics.models import PostMetricSnapshot, PostScore
from metrics.scoring import service
from tests.metrics.scale_data import build_scale_data


# --- the reference: the code as it was before scoring at scale ------------------------------------
def old_reading_nearest(published_at, readings, age, tolerance=None):
    best, best_key = None, None
    for r in readings:
        own_age = (r.captured_at - published_at).total_seconds() / 3600.0
        if own_age < 0:
            continue
        key = (abs(own_age - age), r.captured_at)
        if best_key is None or key < best_key:
            best, best_key = r, key
    if best_key is None or (tolerance is not None and best_key[0] > tolerance):
        return None
    return best


def _old_reading(row):
    shares = row["shares"]
    if row["quotes"] is not None:
        shares = (shares or 0) + row["quotes"]
    return scoring.Reading(captured_at=row["captured_at"], reactions=row["reactions"], comments=row["comments"],
                           shares=shares, saves=row["saves"], reach=row["reach"], impressions=row["impressions"],
                           views=row["views"])


def old_scoring_inputs(post_ids):
    posts = list(Post.objects.filter(id__in=list(post_ids), published_at__isnull=False)
                 .select_related("account", "campaign", "series", "event").order_by("account_id", "published_at", "id"))
    by_account = defaultdict(list)
    for post in posts:
        by_account[post.account_id].append(post)
    history_rows = defaultdict(dict)
    for account_id, targets in by_account.items():
        first, last = targets[0].published_at, targets[-1].published_at
        window = Post.objects.filter(
            account_id=account_id, published_at__gte=first - dt.timedelta(days=scoring.NOVELTY_WINDOW_DAYS),
            published_at__lt=last).values("id", "published_at", "format")
        older = (Post.objects.filter(account_id=account_id, published_at__lt=first)
                 .order_by("-published_at", "-id").values("id", "published_at", "format")[:scoring.BASELINE_POSTS])
        for row in [*window, *older]:
            history_rows[account_id][row["id"]] = row
    all_ids = {p.id for p in posts} | {pid for rows in history_rows.values() for pid in rows}
    found = defaultdict(list)
    for row in PostMetricSnapshot.objects.filter(post_id__in=all_ids).values(
            "post_id", "captured_at", "reactions", "comments", "shares", "quotes", "saves", "reach", "impressions",
            "views"):
        found[row["post_id"]].append(_old_reading(row))
    readings = {pid: tuple(sorted(rs, key=lambda r: r.captured_at)) for pid, rs in found.items()}
    weights = service._weights_by_org(p.account.organization_id for p in posts)
    inputs = []
    for account_id, targets in by_account.items():
        rows = sorted(history_rows[account_id].values(), key=lambda r: (r["published_at"], r["id"]))
        past = [scoring.PastPost(r["published_at"], r["format"], readings.get(r["id"], ())) for r in rows]
        times = [r["published_at"] for r in rows]
        for post in targets:
            end = bisect.bisect_left(times, post.published_at)
            window_start = post.published_at - dt.timedelta(days=scoring.NOVELTY_WINDOW_DAYS)
            start = min(bisect.bisect_left(times, window_start), max(0, end - scoring.BASELINE_POSTS))
            inputs.append((post.id, service._post_facts(post, readings.get(post.id, ())), tuple(past[start:end]),
                           weights[post.account.organization_id]))
    return inputs


# --- the tests ------------------------------------------------------------------------------------
def test_the_nearest_reading_by_binary_search_is_the_one_the_scan_found():
    rng = random.Random(7)
    published = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    hours = [-2, 0, 1, 2, 3, 5, 24, 24, 48, 167, 168, 169]  # before publication, at it, and ties
    for _ in range(3000):
        readings = [scoring.Reading(published + dt.timedelta(hours=rng.choice(hours) + rng.choice([0, 0, 0.5])),
                                    reactions=rng.randrange(5)) for _ in range(rng.randrange(8))]
        curve = scoring.Curve.of(published, readings)
        for age in (0, 1, 1.25, 2.5, 3.5, 23.75, 24, 100, 168, 168.5, 1000):
            tolerance = rng.choice([None, 0.25, 1, 6])
            assert curve.nearest(age, tolerance) is old_reading_nearest(published, readings, age, tolerance)


@pytest.mark.django_db
def test_rescoring_a_generated_data_set_gives_the_scores_of_the_old_way(org):
    data = build_scale_data(org, accounts=3, posts_per_account=40, snapshots_per_post=25, days=90)
    expected = {pid: scoring.score_post(facts, history, weights).as_dict()
                for pid, facts, history, weights in old_scoring_inputs(data.post_ids)}
    # Small batches, so that accounts span batches and history is carried from one to the next.
    assert service.posts_rescore(post_ids=data.post_ids, batch_size=7) == len(data.post_ids)
    stored = dict(PostScore.objects.values_list("post_id", "explanation"))
    assert stored == expected
    # The same inputs: nothing to do; a new reading: that post and the later ones whose baseline it is in.
    assert service.posts_rescore(post_ids=data.post_ids, batch_size=7) == 0
    post = Post.objects.filter(id__in=data.post_ids, snapshots__isnull=False).order_by("published_at").first()
    PostMetricSnapshot.objects.filter(post=post).update(reactions=10**6)
    again = service.posts_rescore(post_ids=data.post_ids, batch_size=7)
    assert 1 < again < len(data.post_ids)
    expected = {pid: scoring.score_post(facts, history, weights).as_dict()
                for pid, facts, history, weights in old_scoring_inputs(data.post_ids)}
    assert dict(PostScore.objects.values_list("post_id", "explanation")) == expected


@pytest.mark.django_db
def test_rescoring_costs_the_same_queries_per_batch_whatever_the_history(org):
    small = build_scale_data(org, accounts=1, posts_per_account=10, snapshots_per_post=5, seed=1)
    with CaptureQueriesContext(connection) as few:
        service.posts_rescore(post_ids=small.post_ids, batch_size=10)
    large = build_scale_data(org, accounts=1, posts_per_account=10, snapshots_per_post=40, seed=2)
    with CaptureQueriesContext(connection) as many:
        service.posts_rescore(post_ids=large.post_ids, batch_size=10)
    assert len(few) == len(many)
