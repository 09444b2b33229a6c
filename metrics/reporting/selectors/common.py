"""Dashboard reads. They read the daily roll-ups, never raw snapshots, and issue a fixed number of
queries whatever the number of posts (per campaign shown, where a page shows several).

A post's figures are cumulative, so "views in a date range" is the last roll-up on or before the
range's end minus the last one before its start. Roll-up days are UTC days.

This module holds the value types and the roll-up reads the pages share.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Collaboration, KPITarget, Post
from metrics.models import (
    DailyAccountRollup,
    DailyPostRollup,
    PostScore,
)
from metrics.vocabulary import FIGURES, PRINCIPLE_SHORT_LABELS, PRINCIPLES, interactions_per_100_views

PROJECTION_WINDOW_DAYS = 7
REVIEW_OVERDUE = dt.timedelta(days=2)
MAX_CAMPAIGNS_ON_OVERVIEW = 12


def rollup_today() -> dt.date:
    """Today as the roll-ups count days (UTC), so "the last 7 days" are seven whole roll-up days."""
    return dt.datetime.now(dt.UTC).date()


# --- small value types -------------------------------------------------------------------------

@dataclass
class Figures:
    views: int = 0
    # Reach and impressions only where a platform gives them (not YouTube, not X's reach): None
    # until some post has one, so a page says "—" rather than a misleading 0.
    reach: int | None = None
    interactions: int = 0
    reactions: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    impressions: int | None = None
    posts: int = 0

    def add(self, other: dict | Figures, *, sign: int = 1) -> None:
        for name in FIGURES:
            value = other.get(name) if isinstance(other, dict) else getattr(other, name)
            if value is None:
                continue
            setattr(self, name, (getattr(self, name) or 0) + sign * value)

    @property
    def interaction_rate(self) -> float | None:
        return interactions_per_100_views(self.interactions, self.views)

    @property
    def audience(self) -> int:
        """People reached where the platform says, else views (an upper bound)."""
        return self.reach or self.views


@dataclass
class KPIProgress:
    target: KPITarget
    label: str
    actual: float | None
    projected: float | None
    unit: str  # "count" | "pct"
    # After the end date there is nothing left to project: the target was met or missed.
    ended: bool = False

    @property
    def target_value(self) -> float:
        return float(self.target.target_value)

    @property
    def pct_of_target(self) -> float | None:
        if self.actual is None or not self.target_value:
            return None
        return 100 * self.actual / self.target_value

    @property
    def projected_pct(self) -> float | None:
        if self.projected is None or not self.target_value:
            return None
        return 100 * self.projected / self.target_value

    @property
    def status(self) -> str:
        if self.actual is not None and self.actual >= self.target_value:
            return "met"
        if self.ended and self.actual is not None:
            return "missed"
        if self.projected is None:
            return "unknown"
        return "on_track" if self.projected >= self.target_value else "at_risk"

    @property
    def status_label(self) -> str:
        return {"met": _("Met"), "missed": _("Missed"), "on_track": _("On track"), "at_risk": _("Projected to miss"),
                "unknown": _("No data yet")}[self.status]


@dataclass
class PostRow:
    post: Post
    figures: Figures
    score: PostScore | None = None
    collaboration: str = ""

    @property
    def overall(self) -> float | None:
        return self.score.overall if self.score else None


@dataclass
class Breakdown:
    key: str
    label: str
    figures: Figures


@dataclass
class CountryShare:
    code: str
    name: str
    value: int
    share: float  # 0..1
    targeted: bool


@dataclass
class Geography:
    measure: str  # "views" | "followers" | ""
    countries: list[CountryShare]
    total: int
    target_share: float | None  # 0..1, all target countries together
    headline: str  # "one tenth of viewers were in Vietnam"


@dataclass
class InfluencerLine:
    name: str
    influencer_id: int | None
    figures: Figures
    followers: int


@dataclass
class InfluencerContribution:
    own: Figures
    influencers: Figures
    own_followers: int
    lines: list[InfluencerLine]

    @property
    def added_audience_pct(self) -> float | None:
        """Reach of influencer posts as a share of the own accounts' followers (an upper bound: no de-duplication)."""
        return 100 * self.influencers.audience / self.own_followers if self.own_followers else None

    @property
    def influencer_share_of_interactions(self) -> float | None:
        total = self.own.interactions + self.influencers.interactions
        return 100 * self.influencers.interactions / total if total else None


@dataclass
class ScoreSummary:
    campaign: dict[str, float | None]
    organization: dict[str, float | None]
    weakest: str | None
    scored_posts: int

    @property
    def rows(self) -> list[tuple[str, str, float | None, float | None]]:
        labels = principle_labels()
        return [(p, labels[p], self.campaign.get(p), self.organization.get(p)) for p in (*PRINCIPLES, "overall")]


@dataclass
class CampaignDashboard:
    campaign: Campaign
    start: dt.date
    end: dt.date
    today: dt.date
    totals: Figures
    kpis: list[KPIProgress]
    series: list[tuple[dt.date, int, int]]  # day, cumulative views, cumulative interactions
    breakdowns: dict[str, list[Breakdown]]
    geography: Geography
    influence: InfluencerContribution
    scores: ScoreSummary
    posts: list[PostRow]
    follower_growth: list[dict] = field(default_factory=list)


def principle_labels() -> dict[str, str]:
    return {key: _(label) for key, label in PRINCIPLE_SHORT_LABELS.items()}


def language_name(code: str) -> str:
    if not code:
        return _("Unknown language")
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


# --- roll-up reads (each one query) ------------------------------------------------------------

def latest_rollups(posts: QuerySet | Iterable[int], *, on_or_before: dt.date,
                   metrics: Sequence[str] = FIGURES) -> dict[int, dict]:
    """post_id → its figures (`metrics`) on its last roll-up day on or before the date (one query).

    `posts` is a Post queryset or post ids. One backward probe of the (post, day) index per post: the
    cost follows the posts, not their roll-up rows (an anti-join over every row took 1 s for 4,000 posts).
    """
    if not isinstance(posts, QuerySet):
        posts = Post.objects.filter(id__in=list(posts))
    posts = posts.order_by()
    if connection.vendor == "postgresql":
        return _latest_rollups_lateral(posts, on_or_before, metrics)
    last = (DailyPostRollup.objects.filter(post_id=OuterRef("pk"), day__lte=on_or_before)
            .order_by("-day").values("pk")[:1])
    last_rows: QuerySet = posts.annotate(last=Subquery(last)).values("last")
    rows = DailyPostRollup.objects.filter(pk__in=last_rows)
    return {r["post_id"]: r for r in rows.values("post_id", "day", *metrics)}


def _latest_rollups_lateral(posts: QuerySet, on_or_before: dt.date, metrics: Sequence[str]) -> dict[int, dict]:
    # PostgreSQL's planner turns "pk IN (probe per post)" into a hash join over the whole table when it
    # expects few matches (1 s for a date before most posts); LATERAL keeps it to one probe per post.
    try:
        posts_sql, params = posts.values("id").query.sql_with_params()
    except EmptyResultSet:  # no post ids at all
        return {}
    columns = ["post_id", "day", *metrics]
    table = connection.ops.quote_name(DailyPostRollup._meta.db_table)
    picked = ", ".join(f"r.{connection.ops.quote_name(c)}" for c in columns)
    sql = (f"SELECT {picked} FROM ({posts_sql}) AS p CROSS JOIN LATERAL ("  # noqa: S608 -- our own names
           f"SELECT * FROM {table} AS d WHERE d.post_id = p.id AND d.day <= %s ORDER BY d.day DESC LIMIT 1) AS r")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, on_or_before])
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def _daily_sums(rollups: QuerySet, *, start: dt.date, end: dt.date) -> dict[dt.date, dict]:
    rows = (
        rollups.filter(day__gte=start, day__lte=end).values("day")
        .annotate(v=Sum("views"), i=Sum("interactions"))
    )
    return {r["day"]: r for r in rows}


def cumulative_series(posts: QuerySet, *, start: dt.date, end: dt.date,
                      latest: dict[int, dict] | None = None) -> list[tuple[dt.date, int, int]]:
    """Day by day totals of cumulative views and interactions, with posts that stopped being read
    carried at their last figures (two queries, or one when `latest` as of `end` is given)."""
    if end < start:
        return []
    latest = latest if latest is not None else latest_rollups(posts, on_or_before=end)
    sums = _daily_sums(DailyPostRollup.objects.filter(post_id__in=posts.order_by().values("id")), start=start, end=end)
    # A post's rows are contiguous up to its last day, so after that day it only needs carrying.
    stopped: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in latest.values():
        stopped[row["day"]][0] += row["views"] or 0
        stopped[row["day"]][1] += row["interactions"] or 0
    carried_v = sum(v for d, (v, _i) in stopped.items() if d < start)
    carried_i = sum(i for d, (_v, i) in stopped.items() if d < start)
    out = []
    day = start
    while day <= end:
        s = sums.get(day)
        out.append((day, carried_v + ((s or {}).get("v") or 0), carried_i + ((s or {}).get("i") or 0)))
        if day in stopped:
            carried_v += stopped[day][0]
            carried_i += stopped[day][1]
        day += dt.timedelta(days=1)
    return out


def project_linear(series: Sequence[tuple[dt.date, float]], *, today: dt.date, end: dt.date,
                   window: int = PROJECTION_WINDOW_DAYS) -> float | None:
    """Where a cumulative figure will stand on `end` if it keeps growing at its recent daily pace
    (the average over the last `window` days, or over all the days there are)."""
    points = [(d, v) for d, v in series if d <= today]
    if not points:
        return None
    last_day, last_value = points[-1]
    if end <= last_day:
        return float(last_value)
    earlier = [p for p in points if p[0] >= last_day - dt.timedelta(days=window)]
    first_day, first_value = earlier[0]
    span = (last_day - first_day).days
    rate = (last_value - first_value) / span if span else 0.0
    return float(last_value) + max(rate, 0.0) * (end - last_day).days


def campaign_posts_q(campaign_id: int) -> Q:
    """Posts of a campaign: planned in it, or delivered for one of its collaborations."""
    delivered = Collaboration.deliverables.through.objects.filter(collaboration__campaign_id=campaign_id)
    return Q(campaign_id=campaign_id) | Q(id__in=delivered.values("post_id"))


def campaign_posts(campaign_id: int) -> QuerySet:
    return Post.objects.filter(campaign_posts_q(campaign_id))


def followers_by_account(account_ids: QuerySet | Iterable[int], *, start: dt.date, end: dt.date) -> dict[int, list]:
    """account_id → [(day, followers), ...] within the range (one query)."""
    rows = (
        DailyAccountRollup.objects.filter(account_id__in=account_ids, day__gte=start, day__lte=end,
                                          followers__isnull=False)
        .order_by("account_id", "day").values_list("account_id", "day", "followers")
    )
    out: dict[int, list] = defaultdict(list)
    for account_id, day, followers in rows:
        out[account_id].append((day, followers))
    return out


def growth_pct(points: list[tuple[dt.date, int]]) -> float | None:
    if len(points) < 2 or not points[0][1]:
        return None
    return 100 * (points[-1][1] - points[0][1]) / points[0][1]


