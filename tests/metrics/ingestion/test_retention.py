"""Retention: at most 100 readings a post-year, and what is thinned never changes a roll-up or a score."""

import datetime as dt

import pytest

from campaigns.models import Post
from metrics.ingestion import cadence, retention
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import DailyPostRollup, PostMetricSnapshot, PostScore
from metrics.reporting import rollups
from metrics.scoring import service as scoring_service
from tests.factories import AccountFactory

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ROLLUP_VALUES = ("post_id", "day", "views", "reactions", "comments", "shares", "interactions")
SCORE_VALUES = ("post_id", "timeliness", "authenticity", "format", "interactivity", "overall")


def cadence_reads(published_at, until):
    """When the real cadence reads a post, from publication to `until`."""
    now, out = published_at, []
    while (now := cadence.next_refresh_at(published_at=published_at, now=now)) <= until:
        out.append(now)
    return out


@pytest.mark.parametrize("hour", [0, 7, 13, 23])
def test_a_post_year_of_the_real_cadence_stores_at_most_100_readings(hour):
    published = dt.datetime(2026, 1, 1, hour, 17, tzinfo=dt.UTC)
    reads = cadence_reads(published, published + dt.timedelta(days=365))
    assert len(reads) > 100  # the cadence alone would not do it
    assert len(retention.readings_to_keep(published, reads)) <= 100


def test_the_first_and_last_reading_and_each_days_last_are_kept():
    published = dt.datetime(2026, 1, 1, 5, 30, tzinfo=dt.UTC)
    reads = cadence_reads(published, published + dt.timedelta(days=120))
    kept = retention.readings_to_keep(published, reads)
    assert reads[0] in kept and reads[-1] in kept
    last_of_day = {}
    for r in reads:
        last_of_day[r.date()] = r
    assert set(last_of_day.values()) <= kept
    assert set(reads) - kept  # something was thinned: hourly readings between 12 and 48 hours


def _readings(post, published):
    return [PostReading(post_id=post.pk, captured_at=at, metrics={
        "views": int(1000 * h ** 0.5), "reactions": int(30 * h ** 0.4), "comments": int(3 * h ** 0.3),
        "shares": int(2 * h ** 0.3), "reach": int(800 * h ** 0.5)})
        for at in cadence_reads(published, NOW) if (h := (at - published).total_seconds() / 3600)]


@pytest.mark.django_db
def test_thinning_an_old_post_changes_neither_its_rollups_nor_any_score():
    account = AccountFactory()
    posts = []
    for n in range(6):  # an account's history: baselines compare posts at the same age
        published = NOW - dt.timedelta(days=100 + 3 * n, hours=n)
        post = Post.objects.create(account=account, status="published", published_at=published, title=f"p{n}",
                                   platform_post_id=f"p{n}")
        post_snapshots_upsert(_readings(post, published))
        posts.append(post)
    young = Post.objects.create(account=account, status="published", published_at=NOW - dt.timedelta(days=3),
                                title="young", platform_post_id="young")
    post_snapshots_upsert(_readings(young, young.published_at))
    ids = [p.pk for p in [*posts, young]]
    rollups.post_rollups_recompute(post_ids=ids)
    scoring_service.posts_rescore(post_ids=ids)
    before = (sorted(DailyPostRollup.objects.values_list(*ROLLUP_VALUES)),
              sorted(PostScore.objects.values_list(*SCORE_VALUES)))
    stored = PostMetricSnapshot.objects.count()

    deleted = retention.snapshots_thin_due(now=NOW, window=dt.timedelta(days=30))
    assert deleted > 0 and PostMetricSnapshot.objects.count() == stored - deleted
    assert PostMetricSnapshot.objects.filter(post=young).count() == len(_readings(young, young.published_at))
    assert retention.snapshots_thin_due(now=NOW, window=dt.timedelta(days=30)) == 0  # twice: nothing more

    rollups.post_rollups_recompute(post_ids=ids)
    scoring_service.posts_rescore(post_ids=ids)
    assert (sorted(DailyPostRollup.objects.values_list(*ROLLUP_VALUES)),
            sorted(PostScore.objects.values_list(*SCORE_VALUES))) == before
