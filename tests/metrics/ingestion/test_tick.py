"""Which posts a tick claims together: due ones, topped up where a request is what costs."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import Post
from metrics.ingestion import tick
from metrics.models import AccountIngestionState, PostTracking
from tests.factories import AccountFactory, PostFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def _account_with_posts(platform: str, *, due: int, waiting: int, early: int):
    """`due` posts due now; `waiting` read an hour ago and due in a day; `early` half-way through a day's wait."""
    acc = AccountFactory(platform=platform)
    acc.set_access_token("token")
    acc.save()
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
    groups = {"due": (due, NOW - hour, None), "waiting": (waiting, NOW + day, NOW - hour),
              "early": (early, NOW + 2 * hour, NOW - 22 * hour)}
    ids = {}
    for name, (n, following, last) in groups.items():
        posts = [PostFactory(account=acc, campaign__organization=acc.organization, status=Post.Status.PUBLISHED,
                             published_at=NOW - dt.timedelta(days=10), platform_post_id=f"{name}{i}")
                 for i in range(n)]
        PostTracking.objects.bulk_create([PostTracking(post=p, next_refresh_at=following, last_refreshed_at=last)
                                          for p in posts])
        ids[name] = {p.pk for p in posts}
    return acc, ids


def test_a_youtube_batch_tops_up_with_the_soonest_due_posts_past_half_their_wait():
    acc, ids = _account_with_posts("youtube", due=3, waiting=5, early=60)
    batches = tick.claim_due_batches(now=NOW, account_ids=[acc.pk])
    assert [b.size for b in batches] == [50]  # one full videos.list, not a call for 3 videos
    claimed = set(PostTracking.objects.filter(claim_id=batches[0].claim_id).values_list("post_id", flat=True))
    assert ids["due"] <= claimed and not claimed & ids["waiting"]  # just read: never pulled forward
    assert len(claimed & ids["early"]) == 47


def test_x_reads_only_what_is_due_because_each_post_read_is_charged():
    acc, ids = _account_with_posts("x", due=3, waiting=0, early=20)
    batches = tick.claim_due_batches(now=NOW, account_ids=[acc.pk])
    assert [b.size for b in batches] == [3]
    claimed = set(PostTracking.objects.filter(claim_id=batches[0].claim_id).values_list("post_id", flat=True))
    assert claimed == ids["due"]


def test_a_quiet_account_is_synced_less_often():
    acc, _ = _account_with_posts("youtube", due=1, waiting=0, early=0)
    assert tick.claim_due_accounts(now=NOW, account_ids=[acc.pk]) == [acc.pk]
    state = AccountIngestionState.objects.get(account=acc)
    assert state.next_account_refresh_at - NOW == dt.timedelta(hours=2)  # its newest post is 10 days old
    later = NOW + dt.timedelta(days=30)
    assert tick.claim_due_accounts(now=later, account_ids=[acc.pk]) == [acc.pk]
    state.refresh_from_db()
    assert state.next_account_refresh_at - later == dt.timedelta(hours=6)
