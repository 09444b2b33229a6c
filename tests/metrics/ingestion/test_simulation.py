"""The cadence's cost, by the real tick in simulated time (what `make bench` reports at full size)."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Account, Post
from metrics.ingestion.simulation import youtube_units_per_day
from metrics.models import PostTracking

pytestmark = pytest.mark.django_db


def test_a_simulated_day_costs_at_most_a_call_an_hour_a_channel_and_leaves_nothing_behind():
    cost = youtube_units_per_day(channels=3, posts=300, warmup=dt.timedelta(hours=12), measured=dt.timedelta(days=1))
    assert cost.videos_list_calls_per_day > 0 and cost.syncs_per_day > 0
    # Every band lies on the account's hourly grid: at most one call an hour a channel (100 posts fit in 2-3).
    assert cost.videos_list_calls_per_day <= 3 * 24 * 1.1
    # A sync lists the stored uploads playlist (1 unit); subscribers are read at most every 6 hours.
    assert 0 < cost.stats_reads_per_day <= 3 * 4
    assert cost.units_per_day == cost.videos_list_calls_per_day + cost.syncs_per_day + cost.stats_reads_per_day
    assert not Account.objects.exists() and not Post.objects.exists() and not PostTracking.objects.exists()
