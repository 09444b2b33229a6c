"""Ingestion budgets: what ingestion spends per organization and platform, what the cadence will
have spent by the end of the period, and the plan that keeps it within the budget.

Spend is what the connectors counted on every reply (Connector.spend_of), recorded per account and
UTC hour when a run ends. Each platform has its own unit and period (models.PLATFORM_TERMS): X money
per month (a price per post and per user read), YouTube Data API units per Pacific day, Graph calls
per hour.

The projection replays the real cadence (cadence.next_refresh_at) for every tracked post from its
next due time to the end of the period, groups the reads that come due together per account as the
tick batches them, adds the account syncs and the posts each account will publish meanwhile at its
recent pace, and prices it all in the platform's unit.

When the projection passes the budget, the planner slows the oldest posts first: every post of at
least 90 days read 2, 4 then 8 times less often, then from 30 days, then 7, then 2 days. Posts
younger than two days always keep their hourly readings. Nothing is dropped: a budget the slowest
plan cannot meet says so (OVER), and one already spent pauses its accounts until the period ends
(EXHAUSTED), both on the ingestion health page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from campaigns.models import Account, Post
from metrics.connectors.registry import connector_class
from metrics.connectors.youtube import LISTING_UNITS, PACIFIC, STATS_INTERVAL, STATS_UNITS
from metrics.ingestion import cadence
from metrics.ingestion.tick import accounts_ingestable, posts_trackable
from metrics.models import (
    PLATFORM_TERMS,
    AccountIngestionState,
    BudgetPeriod,
    IngestionBudget,
    IngestionSpend,
    PostTracking,
)

# The IngestionSpend column that is each platform's budget unit.
UNIT_COLUMN = {"x": "cost", "youtube": "units", "facebook": "calls", "instagram": "calls"}
# Graph calls of one account sync beside the reads: the listing's first page and the profile;
# Instagram also asks for its followers' countries (measured against the sandbox in the tests).
SYNC_CALLS = {"facebook": 2, "instagram": 3}
# From the oldest posts down, each slowed 2, 4, then 8 times before younger ones are touched.
PLANS: tuple[cadence.Slowdown, ...] = tuple(
    cadence.Slowdown(dt.timedelta(days=days), factor) for days in (90, 30, 7, 2) for factor in (2, 4, 8)
)
CENT = Decimal("0.01")


# --- spend ----------------------------------------------------------------------------------------
def read_cost(*, posts_read: int, users_read: int) -> Decimal:
    """What X bills for these reads (per resource returned, docs.x.com/x-api/getting-started/pricing)."""
    return posts_read * settings.X_PRICE_PER_POST_READ + users_read * settings.X_PRICE_PER_USER_READ


def spend_record(*, account: Account, spend: Mapping[str, int], at: dt.datetime) -> None:
    """Add one run's spend to the account's row for the hour: one insert-if-missing, one UPDATE."""
    if not spend.get("requests"):
        return
    hour = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    cost = read_cost(posts_read=spend.get("posts_read", 0), users_read=spend.get("users_read", 0)) \
        if account.platform == "x" else Decimal(0)
    IngestionSpend.objects.bulk_create([IngestionSpend(account=account, platform=account.platform, hour=hour)],
                                       ignore_conflicts=True)
    IngestionSpend.objects.filter(account=account, hour=hour).update(
        requests=F("requests") + spend.get("requests", 0), calls=F("calls") + spend.get("calls", 0),
        units=F("units") + spend.get("units", 0), posts_read=F("posts_read") + spend.get("posts_read", 0),
        users_read=F("users_read") + spend.get("users_read", 0), cost=F("cost") + cost,
    )


def period_bounds(platform: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The budget period `now` falls in: the UTC hour, the Pacific day (YouTube's quota day), the UTC month."""
    period = IngestionBudget(platform=platform).period
    if period == BudgetPeriod.HOUR:
        start = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
        return start, start + dt.timedelta(hours=1)
    if period == BudgetPeriod.DAY:
        day = now.astimezone(PACIFIC).date()
        start = dt.datetime.combine(day, dt.time(), tzinfo=PACIFIC)
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=PACIFIC)
        return start.astimezone(dt.UTC), following.astimezone(dt.UTC)
    first = now.astimezone(dt.UTC).date().replace(day=1)
    following_month = (first + dt.timedelta(days=32)).replace(day=1)
    return (dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC),
            dt.datetime.combine(following_month, dt.time(), tzinfo=dt.UTC))


def spent(*, organization_id: int, platform: str, now: dt.datetime) -> Decimal:
    """What the organization's accounts spent on the platform so far in the current period."""
    start, end = period_bounds(platform, now)
    total = IngestionSpend.objects.filter(
        account__organization_id=organization_id, platform=platform, hour__gte=start, hour__lt=end,
    ).aggregate(total=Sum(UNIT_COLUMN[platform]))["total"]
    return Decimal(total or 0)


# --- projection -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Projection:
    spent: Decimal
    rest: Decimal
    reads: int
    syncs: int

    @property
    def total(self) -> Decimal:
        return (self.spent + self.rest).quantize(CENT)


def project(*, organization_id: int, platform: str, now: dt.datetime,
            slow: cadence.Slowdown | None = None, current: cadence.Slowdown | None = None) -> Projection:
    """The period's spend: spent so far plus what the cadence (slowed by `slow`) will spend by its end.

    `current` is the plan the trackings follow now; when `slow` differs, the planner reschedules them
    (_reschedule), and the projection starts each post from where that would put it.
    """
    _, end = period_bounds(platform, now)
    accounts = accounts_ingestable(now).filter(organization_id=organization_id, platform=platform)
    rest, reads, syncs = cost_between(accounts, platform=platform, now=now, end=end, slow=slow,
                                      rescheduled=slow != current)
    return Projection(spent=spent(organization_id=organization_id, platform=platform, now=now), rest=rest,
                      reads=reads, syncs=syncs)


def cost_between(accounts: QuerySet[Account], *, platform: str, now: dt.datetime, end: dt.datetime,
                 slow: cadence.Slowdown | None = None, rescheduled: bool = False) -> tuple[Decimal, int, int]:
    """(cost in the platform's unit, post reads, account syncs) of these accounts from now to `end`."""
    moments = _read_moments(accounts, now=now, end=end, slow=slow, rescheduled=rescheduled)
    pace = _publishing_pace(accounts, now=now)
    syncs = _syncs(accounts, now=now, end=end, pace=pace)
    reads = sum(sum(at.values()) for at in moments.values())
    size = connector_class(platform).batch_size
    # Posts still to come, at each account's pace of the last four weeks, published mid-span: on
    # X each costs its reads (and its listing); elsewhere only the calls it adds to the batches.
    extra = 0.0
    for account_id, per_day in pace.items():
        expected = per_day * (end - now) / dt.timedelta(days=1)
        published = now + (end - now) / 2
        own = moments.get(account_id, Counter())
        at: dt.datetime | None = published
        added = 1 if platform == "x" else 0
        while at is not None and at < end:
            added += 1 if platform == "x" else math.ceil((own[at] + 1) / size) - math.ceil(own[at] / size)
            at = cadence.next_refresh_at(published_at=published, now=at, account_id=account_id, slow=slow)
        extra += expected * added
    if platform == "x":
        cost = read_cost(posts_read=0, users_read=1) * Decimal(syncs) + (reads + Decimal(extra)) * \
            settings.X_PRICE_PER_POST_READ
        return cost.quantize(CENT), reads + round(extra), round(syncs)
    requests = sum(math.ceil(n / size) for at in moments.values() for n in at.values())
    per_sync = LISTING_UNITS if platform == "youtube" else SYNC_CALLS[platform]
    # YouTube reads subscriber counts apart from the listing, once a channel per STATS_INTERVAL.
    stats = accounts.count() * ((end - now) / STATS_INTERVAL) * STATS_UNITS if platform == "youtube" else 0
    return Decimal(requests + syncs * per_sync + extra + stats).quantize(CENT), reads + round(extra), round(syncs)


def _publishing_pace(accounts: QuerySet[Account], *, now: dt.datetime) -> dict[int, float]:
    """Posts a day each account published over the last four weeks."""
    window = dt.timedelta(days=28)
    counts = (Post.objects.filter(account__in=accounts, status=Post.Status.PUBLISHED, published_at__gt=now - window,
                                  published_at__lte=now).values("account_id").annotate(n=Count("id")))
    return {row["account_id"]: row["n"] / window.days for row in counts}


def _first_read(*, published: dt.datetime | None, last: dt.datetime | None, due: dt.datetime, now: dt.datetime,
                slow: cadence.Slowdown | None, rescheduled: bool) -> dt.datetime:
    if rescheduled and published is not None and last is not None and now - published >= cadence.YOUNG:
        return max(now, last + cadence.refresh_interval(now - published, slow))
    return max(now, due)


def _read_moments(accounts: QuerySet[Account], *, now: dt.datetime, end: dt.datetime,
                  slow: cadence.Slowdown | None, rescheduled: bool) -> dict[int, Counter[dt.datetime]]:
    """Per account, how many posts come due at each moment before `end` (the tick's batches)."""
    rows = (PostTracking.objects.filter(post__account__in=accounts, post__in=posts_trackable())
            .values_list("post__account_id", "post__published_at", "last_refreshed_at", "next_refresh_at"))
    moments: dict[int, Counter[dt.datetime]] = defaultdict(Counter)
    for account_id, published, last, due in rows.iterator(chunk_size=2000):
        at: dt.datetime | None = _first_read(published=published, last=last, due=due, now=now, slow=slow,
                                             rescheduled=rescheduled)
        while at is not None and at < end:
            moments[account_id][at] += 1
            at = cadence.next_refresh_at(published_at=published, now=at, account_id=account_id, slow=slow)
    return moments


def _syncs(accounts: QuerySet[Account], *, now: dt.datetime, end: dt.datetime, pace: Mapping[int, float]) -> float:
    """Account syncs expected before `end`, on the sync cadence (cadence.account_sync_interval).

    An account that publishes meanwhile (at its pace, mid-span for the estimate) is synced every
    30 minutes from then on; weighted by the chance that it publishes at all.
    """
    due = dict(AccountIngestionState.objects.filter(account__in=accounts)
               .values_list("account_id", "next_account_refresh_at"))
    newest = dict(Post.objects.filter(account__in=accounts, status=Post.Status.PUBLISHED)
                  .values("account_id").annotate(newest=Max("published_at")).values_list("account_id", "newest"))
    count = 0.0
    middle = now + (end - now) / 2
    for account_id in accounts.values_list("id", flat=True):
        start = max(due.get(account_id) or now, now)
        quiet = _sync_count(start, end, newest.get(account_id))
        chance = 1 - math.exp(-pace.get(account_id, 0.0) * (end - now) / dt.timedelta(days=1))
        active = _sync_count(start, middle, newest.get(account_id)) + _sync_count(middle, end, middle)
        count += quiet + chance * max(active - quiet, 0)
    return count


def _sync_count(start: dt.datetime, end: dt.datetime, newest: dt.datetime | None) -> int:
    count, at = 0, start
    while at < end:
        count += 1
        at += cadence.account_sync_interval(newest_published_at=newest, now=at)
    return count


# --- planning -------------------------------------------------------------------------------------
def slowdown_of(budget: IngestionBudget | None) -> cadence.Slowdown | None:
    if budget is None or budget.slow_factor <= 1 or budget.slow_from_age is None:
        return None
    return cadence.Slowdown(budget.slow_from_age, budget.slow_factor)


def slowdown_for(*, organization_id: int, platform: str) -> cadence.Slowdown | None:
    """The plan the organization's posts on this platform are read by (None: the plain cadence)."""
    return slowdown_of(IngestionBudget.objects.filter(organization_id=organization_id, platform=platform).first())


def budget_plan(budget: IngestionBudget, *, now: dt.datetime | None = None) -> IngestionBudget:
    """Choose the gentlest plan whose projection fits the budget, apply it, and record it on the budget."""
    now = now or timezone.now()
    current = slowdown_of(budget)
    org, platform = budget.organization_id, budget.platform
    chosen: cadence.Slowdown | None = None
    projection = project(organization_id=org, platform=platform, now=now, slow=None, current=current)
    status = IngestionBudget.Status.WITHIN
    if projection.spent >= budget.limit:
        status, chosen = IngestionBudget.Status.EXHAUSTED, current
        projection = project(organization_id=org, platform=platform, now=now, slow=current, current=current)
    elif projection.total > budget.limit:
        status = IngestionBudget.Status.OVER
        for plan in PLANS:
            chosen = plan
            projection = project(organization_id=org, platform=platform, now=now, slow=plan, current=current)
            if projection.total <= budget.limit:
                status = IngestionBudget.Status.SLOWED
                break
    with transaction.atomic():
        if chosen != current:
            _reschedule(accounts_ingestable(now).filter(organization_id=org, platform=platform), slow=chosen,
                        now=now)
        budget.projected = projection.total
        budget.slow_from_age = chosen.from_age if chosen else None
        budget.slow_factor = chosen.factor if chosen else 1
        budget.status = status
        budget.planned_at = now
        budget.save(update_fields=["projected", "slow_from_age", "slow_factor", "status", "planned_at"])
    return budget


def _reschedule(accounts: QuerySet[Account], *, slow: cadence.Slowdown | None, now: dt.datetime) -> int:
    """Move the waiting posts of two days and older to the new plan's wait after their last reading.

    One UPDATE per age band; posts being read (claimed) and never-read ones keep their time.
    """
    lows = [limit for limit, _ in cadence.STEPS]
    bands: list[tuple[dt.timedelta, dt.timedelta | None]] = [
        (low, high) for low, high in zip(lows, [*lows[1:], None], strict=True) if low >= cadence.YOUNG]
    moved = 0
    for low, high in bands:
        rows = PostTracking.objects.filter(post__account__in=accounts, claim_id__isnull=True,
                                           last_refreshed_at__isnull=False, post__published_at__lte=now - low)
        if high is not None:
            rows = rows.filter(post__published_at__gt=now - high)
        wait = cadence.refresh_interval(low, slow)
        moved += rows.update(next_refresh_at=Greatest(Value(now), F("last_refreshed_at") + wait))
    return moved


def budgets_plan(*, now: dt.datetime | None = None) -> int:
    """Plan every budget (the `plan-budgets` beat entry); returns how many were planned."""
    now = now or timezone.now()
    budgets = list(IngestionBudget.objects.all())
    for budget in budgets:
        budget_plan(budget, now=now)
    return len(budgets)



def budget_set(*, organization_id: int, platform: str, limit: Decimal | None,
               now: dt.datetime | None = None) -> IngestionBudget | None:
    """Set (or, with None, remove) the organization's budget for the platform, and plan it at once."""
    now = now or timezone.now()
    budget = IngestionBudget.objects.filter(organization_id=organization_id, platform=platform).first()
    if limit is None:
        if budget is not None:
            with transaction.atomic():
                if slowdown_of(budget) is not None:  # no budget, no slowdown: back to the plain cadence
                    _reschedule(accounts_ingestable(now).filter(organization_id=organization_id, platform=platform),
                                slow=None, now=now)
                budget.delete()
        return None
    if budget is None:
        budget = IngestionBudget(organization_id=organization_id, platform=platform)
    budget.limit = limit
    budget.save()
    return budget_plan(budget, now=now)


@dataclass(frozen=True)
class BudgetRow:
    """One line of the health page's budget table: an organization's platform, budgeted or not."""

    organization_id: int
    organization_name: str
    platform: str
    budget: IngestionBudget | None
    spent: Decimal

    @property
    def period(self) -> str:
        return str(BudgetPeriod(PLATFORM_TERMS[self.platform][0]).label)

    @property
    def unit(self) -> str:
        return str(PLATFORM_TERMS[self.platform][1])


def budget_rows(*, organization_ids: list[int], now: dt.datetime | None = None) -> list[BudgetRow]:
    """Every platform the organizations have accounts or a budget on, with the period's spend so far."""
    now = now or timezone.now()
    pairs = set(Account.objects.filter(organization_id__in=organization_ids)
                .values_list("organization_id", "organization__name", "platform"))
    budgets = {(b.organization_id, b.platform): b for b in
               IngestionBudget.objects.filter(organization_id__in=organization_ids).select_related("organization")}
    pairs |= {(org, b.organization.name, platform) for (org, platform), b in budgets.items()}
    return [BudgetRow(org, name, platform, budgets.get((org, platform)),
                      spent(organization_id=org, platform=platform, now=now))
            for org, name, platform in sorted(pairs, key=lambda p: (p[1], p[2])) if platform in PLATFORM_TERMS]
