import datetime as dt

import pytest

from metrics.ingestion.cadence import (
    account_phase,
    account_sync_interval,
    aligned,
    next_refresh_at,
    refresh_interval,
    top_up_eligible,
)

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
    following = next_refresh_at(published_at=NOW - age, now=NOW, account_id=7)
    assert NOW + interval / 2 <= following < NOW + interval * 3 / 2
    # Read on the account's grid, the next wait is exactly one interval (of the band it is in by then).
    later = refresh_interval(following - (NOW - age))
    if later == interval:
        assert next_refresh_at(published_at=NOW - age, now=following, account_id=7) - following == interval


def test_an_accounts_posts_of_every_band_share_its_hourly_grid_and_accounts_are_spread():
    young, older, oldest = (next_refresh_at(published_at=NOW - age, now=NOW + dt.timedelta(minutes=m), account_id=3)
                            for age, m in ((H, 1), (3 * D, 17), (60 * D, 42)))
    phase = account_phase(3)
    assert all((t - dt.datetime(1970, 1, 1, tzinfo=dt.UTC) - phase) % H == dt.timedelta(0)
               for t in (young, older, oldest))
    assert young == next_refresh_at(published_at=NOW - 5 * H, now=NOW + dt.timedelta(minutes=20), account_id=3)
    phases = sorted(account_phase(a).total_seconds() for a in range(1, 11))
    assert min(b - a for a, b in zip(phases, phases[1:], strict=False)) > 60  # ten accounts, ten minutes apart
    assert aligned(young, interval=H, account_id=3) == young


def test_a_post_may_fill_a_batch_once_half_its_wait_has_passed():
    last = NOW - 10 * H
    assert not top_up_eligible(now=NOW, last_refreshed_at=last, next_refresh_at=last + 24 * H)
    assert top_up_eligible(now=NOW + 2 * H, last_refreshed_at=last, next_refresh_at=last + 24 * H)
    assert top_up_eligible(now=NOW, last_refreshed_at=None, next_refresh_at=NOW + D)


def test_quiet_accounts_are_synced_less_often():
    assert account_sync_interval(newest_published_at=None, now=NOW) == dt.timedelta(minutes=30)
    assert account_sync_interval(newest_published_at=NOW - H, now=NOW) == dt.timedelta(minutes=30)
    assert account_sync_interval(newest_published_at=NOW - 5 * D, now=NOW) == 2 * H
    assert account_sync_interval(newest_published_at=NOW - 40 * D, now=NOW) == 6 * H


def test_archived_campaign_posts_are_never_read_again():
    assert next_refresh_at(published_at=NOW - H, now=NOW, archived=True) is None


def test_unknown_or_future_publication_counts_as_brand_new():
    assert next_refresh_at(published_at=None, now=NOW) == next_refresh_at(published_at=NOW, now=NOW)
    assert next_refresh_at(published_at=NOW + D, now=NOW) == next_refresh_at(published_at=NOW, now=NOW)
