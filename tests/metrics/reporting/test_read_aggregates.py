"""The API's time series read roll-ups now; the figures are those the raw-snapshot way gave (the old
code is kept here as the reference), on a generated data set and on the demo, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign, Post
from metrics.models import PostMetricSnapshot
from metrics.reporting.rollups import post_rollups_recompute
from metrics.reporting.timeseries import CARRY_WINDOW, buckets, post_series
from metrics.vocabulary import POST_METRICS, interactions_of
from tests.metrics.scale_data import START, build_scale_data

pytestmark = pytest.mark.django_db


# --- the reference: post_series as it was, from raw snapshots -------------------------------------
def old_carry(readings, spans, width):
    latest: dict = {}
    out: list = []
    readings = iter(readings)
    pending = next(readings, None)
    for span in spans:
        while pending is not None and pending[1] < span.end:
            latest[pending[0]] = pending[2:]
            pending = next(readings, None)
        if not latest:
            out.append(None)
            continue
        totals = []
        for index in range(width):
            values = [v[index] for v in latest.values() if v[index] is not None]
            totals.append(sum(values) if values else None)
        out.append(totals)
    return out


def old_post_series(*, post_ids, start, end, interval):
    spans = buckets(start=start, end=end, interval=interval)
    since = dt.datetime.combine(spans[0].start, dt.time(), tzinfo=dt.UTC) - CARRY_WINDOW
    rows = (PostMetricSnapshot.objects.filter(post_id__in=post_ids, slot__gte=since, slot__lt=spans[-1].end)
            .order_by("slot", "captured_at").values_list("post_id", "slot", *POST_METRICS))
    points = []
    for span, values in zip(spans, old_carry(rows.iterator(), spans, len(POST_METRICS)), strict=True):
        point: dict[str, Any] = {"bucket_start": span.start, **dict.fromkeys(POST_METRICS)}
        if values is not None:
            point.update(zip(POST_METRICS, values, strict=True))
        point["interactions"] = interactions_of(point)
        points.append(point)
    return points


def _ranges(first: dt.date):
    return [(first - dt.timedelta(days=3), first + dt.timedelta(days=26), "day"),
            (first + dt.timedelta(days=40), first + dt.timedelta(days=70), "day"),
            (first - dt.timedelta(days=100), first + dt.timedelta(days=264), "day"),
            (first, first + dt.timedelta(days=364), "week")]


def test_the_time_series_from_roll_ups_equals_the_one_from_snapshots_on_generated_data(org):
    data = build_scale_data(org, accounts=3, posts_per_account=25, snapshots_per_post=30, days=60)
    post_rollups_recompute(post_ids=data.post_ids)
    campaign_posts = Post.objects.filter(campaign=data.campaign).values("id")
    for start, end, interval in _ranges(START.date()):
        assert (post_series(post_ids=campaign_posts, start=start, end=end, interval=interval)
                == old_post_series(post_ids=data.post_ids, start=start, end=end, interval=interval))
        for one in data.post_ids[:6]:
            assert (post_series(post_ids=[one], start=start, end=end, interval=interval)
                    == old_post_series(post_ids=[one], start=start, end=end, interval=interval)), one


def test_the_time_series_takes_the_same_queries_for_few_and_many_readings(org):
    small = build_scale_data(org, accounts=1, posts_per_account=3, snapshots_per_post=3, seed=3)
    large = build_scale_data(org, accounts=3, posts_per_account=30, snapshots_per_post=40, seed=4)
    post_rollups_recompute(post_ids=small.post_ids + large.post_ids)
    counts = []
    for data in (small, large):
        with CaptureQueriesContext(connection) as queries:
            post_series(post_ids=Post.objects.filter(campaign=data.campaign).values("id"), start=START.date(),
                        end=START.date() + dt.timedelta(days=364), interval="day")
        counts.append(len(queries))
    assert counts[0] == counts[1] == 2


@pytest.mark.slow
def test_the_time_series_from_roll_ups_equals_the_one_from_snapshots_on_the_demo(settings):
    settings.DEBUG = True
    call_command("load_demo")
    for campaign in Campaign.objects.all():
        ids = list(campaign.posts.values_list("id", flat=True))
        for start, end, interval in _ranges(campaign.start_date):
            assert (post_series(post_ids=campaign.posts.values("id"), start=start, end=end, interval=interval)
                    == old_post_series(post_ids=ids, start=start, end=end, interval=interval)), campaign.name
