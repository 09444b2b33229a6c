"""Budgets: spend recorded from real replies, the projection against the simulated cadence, the
planner slowing the oldest posts first, and a spent budget pausing its accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from campaigns.models import Post
from metrics.ingestion import budgets, cadence, runs, tick
from metrics.ingestion.simulation import youtube_units_per_day
from metrics.models import IngestionBudget, IngestionSpend, PostTracking
from tests.factories import AccountFactory, OrganizationFactory, PostFactory
from tests.metrics.ingest_support import (  # noqa: F401 (sandbox is a fixture)
    FB_PAGE,
    IG_USER,
    TOKEN,
    X_USER,
    YT_CHANNEL,
    Outbox,
    account,
    sandbox,
)

DAY = dt.timedelta(days=1)


def _spend(acc, column):
    return IngestionSpend.objects.filter(account=acc).aggregate(n=Sum(column))["n"] or 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sandbox")
def test_x_spend_is_what_x_bills_for_the_reads_the_sandbox_returned(monkeypatch, settings):
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=3))
    acc = account("x", X_USER)
    runs.account_sync(account_id=acc.pk)
    listed = Post.objects.filter(account=acc).count()
    assert listed > 0
    # The sync listed every post once and read the profile (a user) once.
    assert (_spend(acc, "posts_read"), _spend(acc, "users_read")) == (listed, 1)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    for account_id, claim_id in outbox.batches():
        runs.batch_refresh(account_id=account_id, claim_id=claim_id)
    assert _spend(acc, "posts_read") == 2 * listed
    expected = 2 * listed * settings.X_PRICE_PER_POST_READ + settings.X_PRICE_PER_USER_READ
    assert budgets.spent(organization_id=acc.organization_id, platform="x", now=timezone.now()) == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sandbox")
@pytest.mark.parametrize(("platform", "platform_id", "column", "per_sync"), [
    ("youtube", YT_CHANNEL, "units", None), ("facebook", FB_PAGE, "calls", 2), ("instagram", IG_USER, "calls", 3),
])
def test_a_sync_costs_what_the_projection_counts_for_one(platform, platform_id, column, per_sync, monkeypatch):
    from metrics.connectors.youtube import LISTING_UNITS as SYNC_UNITS  # a steady-state sync: one listing page

    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(hours=1))
    acc = account(platform, platform_id)
    # A second sync is the steady state: the YouTube reporting job exists, the listing stops early.
    runs.account_sync(account_id=acc.pk)
    IngestionSpend.objects.all().delete()
    runs.account_sync(account_id=acc.pk)
    assert _spend(acc, column) == (per_sync or SYNC_UNITS)
    assert budgets.SYNC_CALLS.get(platform, SYNC_UNITS) == (per_sync or SYNC_UNITS)


@pytest.mark.django_db
def test_the_projection_is_close_to_the_simulated_day():
    cost = youtube_units_per_day(channels=4, posts=400, warmup=DAY / 2, measured=DAY)
    assert cost.units_per_day > 0
    # Measured at larger sizes: +4.4 % (10 channels), -5.0 % (30); a small world is noisier.
    assert abs(cost.projected_units_per_day - cost.units_per_day) / cost.units_per_day < 0.15


# --- planning (no HTTP: the projection replays the cadence) ----------------------------------------
def _x_posts(org, now, ages_days):
    acc = AccountFactory(organization=org, platform="x")
    acc.set_access_token(TOKEN)
    acc.save()
    for n, age in enumerate(ages_days):
        published = now - dt.timedelta(days=age)
        PostFactory(account=acc, campaign=None, status=Post.Status.PUBLISHED, platform_post_id=f"9{n:05d}",
                    published_at=published)
    tick.tracking_sync(now=now)
    for tracking in PostTracking.objects.select_related("post"):
        if now - tracking.post.published_at > 90 * DAY:  # read 27 days ago: due within the hour
            tracking.last_refreshed_at, tracking.next_refresh_at = now - 27 * DAY, now + dt.timedelta(hours=1)
        else:
            tracking.last_refreshed_at = now - dt.timedelta(minutes=10)
            tracking.next_refresh_at = cadence.next_refresh_at(published_at=tracking.post.published_at,
                                                               now=tracking.last_refreshed_at, account_id=acc.pk)
        tracking.save()
    return acc


@pytest.fixture
def x_world(db):
    now = timezone.now()
    org = OrganizationFactory()
    acc = _x_posts(org, now, [0.5] * 20 + [3] * 20 + [10] * 20 + [60] * 20 + [200] * 100)
    return org, acc, now


def test_within_budget_nothing_changes(x_world):
    org, acc, now = x_world
    before = dict(PostTracking.objects.values_list("pk", "next_refresh_at"))
    budget = budgets.budget_set(organization_id=org.pk, platform="x", limit=Decimal(1000), now=now)
    assert budget.status == IngestionBudget.Status.WITHIN and budget.slow_factor == 1
    assert budget.projected == budgets.project(organization_id=org.pk, platform="x", now=now).total > 0
    assert dict(PostTracking.objects.values_list("pk", "next_refresh_at")) == before


def test_over_budget_the_oldest_posts_are_slowed_first_and_the_young_keep_their_readings(x_world):
    org, acc, now = x_world
    plain = budgets.project(organization_id=org.pk, platform="x", now=now)
    gentlest = budgets.project(organization_id=org.pk, platform="x", now=now, slow=budgets.PLANS[0])
    assert gentlest.total < plain.total
    young = dict(PostTracking.objects.filter(post__published_at__gt=now - 2 * DAY)
                 .values_list("pk", "next_refresh_at"))
    budget = budgets.budget_set(organization_id=org.pk, platform="x", limit=(plain.total + gentlest.total) / 2,
                                now=now)
    assert budget.status == IngestionBudget.Status.SLOWED
    assert (budget.slow_from_age, budget.slow_factor) == (dt.timedelta(days=90), 2)
    assert budget.projected <= budget.limit
    # The 200-day-old posts wait 56 days after their last reading now; younger ones are untouched.
    old = PostTracking.objects.filter(post__published_at__lt=now - 90 * DAY)
    assert {t.next_refresh_at - t.last_refreshed_at for t in old} == {56 * DAY}
    assert dict(PostTracking.objects.filter(pk__in=young).values_list("pk", "next_refresh_at")) == young
    # The next reading of an old post keeps the slower cadence.
    assert budgets.slowdown_for(organization_id=org.pk, platform="x") == budgets.PLANS[0]


def test_a_budget_no_plan_meets_says_so_and_drops_nothing(x_world):
    org, acc, now = x_world
    tracked = PostTracking.objects.count()
    budget = budgets.budget_set(organization_id=org.pk, platform="x", limit=Decimal("0.01"), now=now)
    assert budget.status == IngestionBudget.Status.OVER and budget.projected > budget.limit
    assert (budget.slow_from_age, budget.slow_factor) == (2 * DAY, 8)
    assert PostTracking.objects.count() == tracked
    # Removing the budget puts every post back on the plain cadence.
    budgets.budget_set(organization_id=org.pk, platform="x", limit=None, now=now)
    old = PostTracking.objects.filter(post__published_at__lt=now - 90 * DAY)
    assert {t.next_refresh_at - t.last_refreshed_at for t in old} == {28 * DAY}


def test_a_spent_budget_pauses_its_accounts_until_the_period_ends(x_world):
    org, acc, now = x_world
    IngestionSpend.objects.create(account=acc, platform="x", hour=now.replace(minute=0, second=0, microsecond=0),
                                  requests=1, posts_read=2000, cost=Decimal(10))
    budget = budgets.budget_set(organization_id=org.pk, platform="x", limit=Decimal(10), now=now)
    assert budget.status == IngestionBudget.Status.EXHAUSTED
    PostTracking.objects.update(next_refresh_at=now)
    assert tick.claim_due_batches(now=now) == [] and tick.claim_due_accounts(now=now) == []
    next_month = budgets.period_bounds("x", now)[1] + dt.timedelta(minutes=1)
    assert budgets.budget_plan(budget, now=next_month).status != IngestionBudget.Status.EXHAUSTED
    assert tick.claim_due_batches(now=next_month)


def test_periods_are_each_platforms_own():
    at = dt.datetime(2026, 3, 15, 9, 30, tzinfo=dt.UTC)
    assert budgets.period_bounds("facebook", at) == (at.replace(minute=0), at.replace(hour=10, minute=0))
    assert budgets.period_bounds("x", at) == (dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                                              dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    # YouTube's quota day runs midnight to midnight Pacific (PDT from 8 March 2026).
    assert budgets.period_bounds("youtube", at) == (dt.datetime(2026, 3, 15, 7, tzinfo=dt.UTC),
                                                    dt.datetime(2026, 3, 16, 7, tzinfo=dt.UTC))
