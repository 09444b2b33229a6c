import datetime as dt

import pytest

from metrics.ingestion.cadence import next_refresh_at, refresh_interval

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@pytest.mark.parametrize(("age", "interval"), [
    (dt.timedelta(0), H),
    (dt.timedelta(hours=47, minutes=59), H),
    (2 * D, 6 * H),
    (6 * D + 23 * H, 6 * H),
    (7 * D, D),
    (29 * D, D),
    (30 * D, 7 * D),
    (89 * D, 7 * D),
    (90 * D, 28 * D),
    (400 * D, 28 * D),
])
def test_interval_grows_with_age(age, interval):
    assert refresh_interval(age) == interval
    assert next_refresh_at(published_at=NOW - age, now=NOW) == NOW + interval


def test_archived_campaign_posts_are_never_read_again():
    assert next_refresh_at(published_at=NOW - H, now=NOW, archived=True) is None


def test_unknown_or_future_publication_counts_as_brand_new():
    assert next_refresh_at(published_at=None, now=NOW) == NOW + H
    assert next_refresh_at(published_at=NOW + D, now=NOW) == NOW + H
