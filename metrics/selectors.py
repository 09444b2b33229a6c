"""Dashboard reads. They read the daily roll-ups, never raw snapshots, and issue a fixed number of
queries whatever the number of posts (per campaign shown, where a page shows several).

A post's figures are cumulative, so "views in a date range" is the last roll-up on or before the
range's end minus the last one before its start. Roll-up days are UTC days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Avg, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from campaigns.models import Account, Campaign, Collaboration, KPITarget, Platform, Post, PostFormat, PostTransition
from metrics.countries import country_name
from metrics.formatting import compact, share_in_words
from metrics.models import (
    AudienceCountrySlice,
    DailyAccountRollup,
    DailyPostRollup,
    IngestionRun,
    PostMetricSnapshot,
    PostScore,
)

FIGURES = ("views", "reach", "interactions", "reactions", "comments", "shares", "saves", "impressions")
PRINCIPLES = ("timeliness", "authenticity", "format", "interactivity")
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
        """Interactions per 100 views."""
        return 100 * self.interactions / self.views if self.views else None

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
        if self.projected is None:
            return "unknown"
        return "on_track" if self.projected >= self.target_value else "at_risk"

    @property
    def status_label(self) -> str:
        return {"met": _("Met"), "on_track": _("On track"), "at_risk": _("Projected to miss"),
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
    return {"timeliness": _("Timeliness"), "authenticity": _("Authenticity"), "format": _("New formats"),
            "interactivity": _("Interactivity"), "overall": _("Overall")}


def language_name(code: str) -> str:
    if not code:
        return _("Unknown language")
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


# --- roll-up reads (each one query) ------------------------------------------------------------

def _latest_rollups(rollups: QuerySet, *, on_or_before: dt.date) -> dict[int, dict]:
    """post_id → its figures on its last roll-up day on or before the date (one query)."""
    # "No later row up to the date" is an anti-join the database runs in one pass, where a
    # correlated "ORDER BY day DESC LIMIT 1" subquery would run once per row.
    later = DailyPostRollup.objects.filter(post_id=OuterRef("post_id"), day__gt=OuterRef("day"),
                                           day__lte=on_or_before)
    rows = rollups.filter(day__lte=on_or_before).filter(~Exists(later)).values("post_id", "day", *FIGURES)
    return {r["post_id"]: r for r in rows}


def _daily_sums(rollups: QuerySet, *, start: dt.date, end: dt.date) -> dict[dt.date, dict]:
    rows = (
        rollups.filter(day__gte=start, day__lte=end).values("day")
        .annotate(v=Sum("views"), i=Sum("interactions"))
    )
    return {r["day"]: r for r in rows}


def cumulative_series(rollups: QuerySet, *, start: dt.date, end: dt.date,
                      latest: dict[int, dict] | None = None) -> list[tuple[dt.date, int, int]]:
    """Day by day totals of cumulative views and interactions, with posts that stopped being read
    carried at their last figures (two queries, or one when `latest` as of `end` is given)."""
    if end < start:
        return []
    latest = latest if latest is not None else _latest_rollups(rollups, on_or_before=end)
    sums = _daily_sums(rollups, start=start, end=end)
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


def _campaign_posts_q(campaign_id: int) -> Q:
    """Posts of a campaign: planned in it, or delivered for one of its collaborations."""
    delivered = Collaboration.deliverables.through.objects.filter(collaboration__campaign_id=campaign_id)
    return Q(campaign_id=campaign_id) | Q(id__in=delivered.values("post_id"))


def _campaign_rollups(campaign_id: int) -> QuerySet:
    return DailyPostRollup.objects.filter(post_id__in=Post.objects.filter(_campaign_posts_q(campaign_id)).values("id"))


def _followers_by_account(account_ids: QuerySet | Iterable[int], *, start: dt.date, end: dt.date) -> dict[int, list]:
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


def _growth_pct(points: list[tuple[dt.date, int]]) -> float | None:
    if len(points) < 2 or not points[0][1]:
        return None
    return 100 * (points[-1][1] - points[0][1]) / points[0][1]


# --- KPIs ----------------------------------------------------------------------------------------

def campaign_kpis(*, campaign: Campaign, today: dt.date, targets: Sequence[KPITarget] | None = None,
                  series: list[tuple[dt.date, int, int]] | None = None,
                  posts: Sequence[Post] | None = None, own_followers: dict[int, list] | None = None,
                  view_slices: dict[str, int] | None = None) -> list[KPIProgress]:
    """Each KPI target against its actual and its projection to the campaign's end date.

    Whatever the caller already read is passed in; the rest is read here (a fixed number of queries).
    """
    targets = list(campaign.kpi_targets.all()) if targets is None else list(targets)
    if not targets:
        return []
    # A campaign's posts keep earning after its end date (the WHA film passed 10 M views long after the
    # assembly), so post figures count up to today; follower growth stays within the campaign's dates.
    as_of = today
    followers_as_of = min(today, campaign.end_date)
    if series is None:
        series = cumulative_series(_campaign_rollups(campaign.id), start=campaign.start_date, end=as_of)
    metrics_needed = {t.metric for t in targets}
    if posts is None and KPITarget.Metric.POSTS_PUBLISHED in metrics_needed:
        posts = list(Post.objects.filter(_campaign_posts_q(campaign.id)).only("status", "planned_at", "published_at"))
    if own_followers is None and KPITarget.Metric.FOLLOWER_GROWTH_PCT in metrics_needed:
        own_followers = _followers_by_account(_own_accounts(campaign.id), start=campaign.start_date,
                                              end=followers_as_of)
    if view_slices is None and KPITarget.Metric.COUNTRY_VIEW_SHARE in metrics_needed:
        view_slices = _view_slices(_campaign_posts_q(campaign.id))
    views = [(d, v) for d, v, _i in series]
    inter = [(d, i) for d, _v, i in series]
    out = []
    for t in targets:
        actual = projected = None
        unit = "count"
        if t.metric == KPITarget.Metric.VIEWS and views:
            actual = views[-1][1]
            projected = project_linear(views, today=as_of, end=campaign.end_date)
        elif t.metric == KPITarget.Metric.INTERACTIONS and inter:
            actual = inter[-1][1]
            projected = project_linear(inter, today=as_of, end=campaign.end_date)
        elif t.metric == KPITarget.Metric.INTERACTION_RATE:
            unit = "pct"
            if views and views[-1][1]:
                actual = projected = 100 * inter[-1][1] / views[-1][1]
        elif t.metric == KPITarget.Metric.FOLLOWER_GROWTH_PCT:
            unit = "pct"
            actual, projected = _follower_growth_kpi(own_followers or {}, today=followers_as_of,
                                                     end=campaign.end_date)
        elif t.metric == KPITarget.Metric.COUNTRY_VIEW_SHARE:
            unit = "pct"
            total = sum((view_slices or {}).values())
            if total:
                actual = projected = 100 * (view_slices or {}).get(t.country.upper(), 0) / total
        elif t.metric == KPITarget.Metric.POSTS_PUBLISHED:
            published = sum(1 for p in posts or [] if p.status == Post.Status.PUBLISHED)
            end_moment = dt.datetime.combine(campaign.end_date, dt.time.max, tzinfo=dt.UTC)
            coming = sum(
                1 for p in posts or []
                if p.status in (Post.Status.APPROVED, Post.Status.SCHEDULED) and p.planned_at
                and p.planned_at <= end_moment
            )
            actual, projected = published, published + coming
        label = t.get_metric_display() + (f" · {country_name(t.country)}" if t.country else "")
        out.append(KPIProgress(target=t, label=label, actual=actual, projected=projected, unit=unit))
    return out


def _follower_growth_kpi(
    followers: dict[int, list], *, today: dt.date, end: dt.date
) -> tuple[float | None, float | None]:
    by_day: dict[dt.date, int] = defaultdict(int)
    firsts = {acc: pts[0][1] for acc, pts in followers.items() if pts}
    # Sum the accounts day by day, carrying each account's last count over days it was not read.
    days = sorted({d for pts in followers.values() for d, _f in pts})
    last = dict(firsts)
    index = {acc: dict(pts) for acc, pts in followers.items()}
    for day in days:
        for acc in index:
            last[acc] = index[acc].get(day, last.get(acc, 0))
        by_day[day] = sum(last.values())
    base = sum(firsts.values())
    if not base or not by_day:
        return None, None
    growth = [(d, 100 * (v - base) / base) for d, v in sorted(by_day.items())]
    return growth[-1][1], project_linear(growth, today=today, end=end)


def _own_accounts(campaign_id: int) -> QuerySet:
    return Account.objects.filter(
        influencer__isnull=True, posts__in=Post.objects.filter(_campaign_posts_q(campaign_id))
    ).values("id")


# --- geography -------------------------------------------------------------------------------------

def _view_slices(posts_q: Q) -> dict[str, int]:
    """country → views, from each post's most recent per-country reading (one query)."""
    last_day = (
        AudienceCountrySlice.objects.filter(post_id=OuterRef("post_id"), measure="views")
        .order_by("-day").values("day")[:1]
    )
    rows = (
        AudienceCountrySlice.objects.filter(measure="views", post__in=Post.objects.filter(posts_q).values("id"),
                                            day=Subquery(last_day))
        .values("country").annotate(total=Sum("value"))
    )
    return {r["country"].upper(): r["total"] for r in rows}


def _follower_slices(account_ids: QuerySet) -> dict[str, int]:
    last_day = (
        AudienceCountrySlice.objects.filter(account_id=OuterRef("account_id"), post__isnull=True, measure="followers")
        .order_by("-day").values("day")[:1]
    )
    rows = (
        AudienceCountrySlice.objects.filter(measure="followers", post__isnull=True, account_id__in=account_ids,
                                            day=Subquery(last_day))
        .values("country").annotate(total=Sum("value"))
    )
    return {r["country"].upper(): r["total"] for r in rows}


def geography_from(slices: dict[str, int], *, measure: str, target_countries: Iterable[str]) -> Geography:
    targets = {c.upper() for c in target_countries or []}
    total = sum(slices.values())
    countries = [
        CountryShare(code=c, name=country_name(c), value=v, share=v / total if total else 0.0, targeted=c in targets)
        for c, v in sorted(slices.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    target_share = sum(c.share for c in countries if c.targeted) if total and targets else None
    # One sentence per target country, in the order the campaign lists them (the first is its focus).
    by_code = {c.code: c for c in countries}
    who = _("viewers") if measure == "views" else _("followers")
    sentences = [
        _("%(share)s of %(who)s were in %(country)s") % {
            "share": share_in_words(by_code[code].share), "who": who, "country": by_code[code].name}
        for code in dict.fromkeys(c.upper() for c in target_countries or []) if code in by_code
    ]
    headline = "; ".join(sentences)
    return Geography(measure=measure if total else "", countries=countries, total=total,
                     target_share=target_share, headline=headline)


def campaign_geography(*, campaign: Campaign) -> Geography:
    """Views by country where the platform gives it (YouTube); otherwise the followers of the
    campaign's own accounts, and the page says which (two queries at most)."""
    slices = _view_slices(_campaign_posts_q(campaign.id))
    if slices:
        return geography_from(slices, measure="views", target_countries=campaign.target_countries)
    return geography_from(_follower_slices(_own_accounts(campaign.id)), measure="followers",
                          target_countries=campaign.target_countries)


# --- scores ----------------------------------------------------------------------------------------

def _latest_scores(posts_q: Q) -> dict[int, PostScore]:
    scores: dict[int, PostScore] = {}
    for s in PostScore.objects.filter(post__in=Post.objects.filter(posts_q).values("id")).order_by("computed_at", "id"):
        scores[s.post_id] = s  # the latest computation wins
    return scores


def organization_score_averages(organization_id: int) -> dict[str, float | None]:
    """The organization's averages over its posts' latest scoring method (one query)."""
    newest_method = (
        PostScore.objects.filter(post__account__organization_id=organization_id)
        .order_by("-computed_at").values("method_version")[:1]
    )
    agg = PostScore.objects.filter(
        post__account__organization_id=organization_id, method_version=Subquery(newest_method)
    ).aggregate(**{p: Avg(p) for p in (*PRINCIPLES, "overall")})
    return agg


def score_summary(scores: Iterable[PostScore], organization: dict[str, float | None]) -> ScoreSummary:
    scores = list(scores)
    camp: dict[str, float | None] = {}
    for p in (*PRINCIPLES, "overall"):
        values = [getattr(s, p) for s in scores if getattr(s, p) is not None]
        camp[p] = sum(values) / len(values) if values else None
    known = {p: camp[p] for p in PRINCIPLES if camp[p] is not None}
    weakest = min(known, key=known.get) if known else None
    return ScoreSummary(campaign=camp, organization=organization, weakest=weakest, scored_posts=len(scores))


# --- the campaign dashboard ---------------------------------------------------------------------

def _figures(row: dict | None, before: dict | None = None) -> Figures:
    f = Figures()
    if row:
        f.add(row)
    if before:
        f.add(before, sign=-1)
    return f


def campaign_dashboard(*, campaign: Campaign, today: dt.date | None = None,
                       start: dt.date | None = None, end: dt.date | None = None) -> CampaignDashboard:
    today = today or rollup_today()
    as_of = today  # post figures count to today, past the end date (see kpi_progress)
    start = start or campaign.start_date
    end = min(end or as_of, today)
    if end < start:
        # Reversed dates are read the way they were meant; a campaign not started yet shows today only.
        start, end = end, min(start, today)
    posts_q = _campaign_posts_q(campaign.id)
    rollups = _campaign_rollups(campaign.id)

    posts = list(Post.objects.filter(posts_q).select_related("account", "series", "account__influencer"))
    delivered = list(
        Collaboration.deliverables.through.objects.filter(collaboration__campaign_id=campaign.id)
        .values_list("post_id", "collaboration__title", "collaboration__influencer_id",
                     "collaboration__influencer__name")
    )
    collab_of = {pid: (title, inf_id, inf_name) for pid, title, inf_id, inf_name in delivered}

    latest_end = _latest_rollups(rollups, on_or_before=end)
    latest_before = _latest_rollups(rollups, on_or_before=start - dt.timedelta(days=1))
    series = cumulative_series(rollups, start=start, end=end, latest=latest_end)
    # KPIs are always about the whole campaign up to today, whatever range is shown.
    kpi_series = series if (start, end) == (campaign.start_date, as_of) else cumulative_series(
        rollups, start=campaign.start_date, end=as_of)

    scores = _latest_scores(posts_q)
    rows: list[PostRow] = []
    totals = Figures()
    for post in posts:
        f = _figures(latest_end.get(post.id), latest_before.get(post.id))
        if post.id in latest_end:
            f.posts = 1
        totals.add(f)
        totals.posts += f.posts
        rows.append(PostRow(post=post, figures=f, score=scores.get(post.id),
                            collaboration=collab_of.get(post.id, ("", None, ""))[0]))

    breakdowns = _breakdowns(rows)

    own_accounts = {p.account_id for p in posts if p.account.influencer_id is None}
    all_accounts = {p.account_id for p in posts}
    followers = _followers_by_account(all_accounts, start=campaign.start_date, end=min(today, campaign.end_date))
    own_followers = {a: pts for a, pts in followers.items() if a in own_accounts}

    view_slices = _view_slices(posts_q)
    if view_slices:
        geography = geography_from(view_slices, measure="views", target_countries=campaign.target_countries)
    else:
        geography = geography_from(_follower_slices(own_accounts), measure="followers",
                                   target_countries=campaign.target_countries)

    kpis = campaign_kpis(campaign=campaign, today=today, targets=list(campaign.kpi_targets.all()),
                         series=kpi_series, posts=posts, own_followers=own_followers, view_slices=view_slices)

    influence = _influencer_contribution(rows, collab_of, followers, own_accounts)
    scores_summary = score_summary(scores.values(), organization_score_averages(campaign.organization_id))

    accounts = {p.account_id: p.account for p in posts}
    growth = []
    for account_id, pts in followers.items():
        if account_id in own_accounts:
            growth.append({"account": accounts[account_id], "points": pts, "growth_pct": _growth_pct(pts),
                           "start": pts[0][1], "end": pts[-1][1]})
    return CampaignDashboard(
        campaign=campaign, start=start, end=end, today=today, totals=totals, kpis=kpis, series=series,
        breakdowns=breakdowns, geography=geography, influence=influence, scores=scores_summary, posts=rows,
        follower_growth=growth,
    )


def _breakdowns(rows: Sequence[PostRow]) -> dict[str, list[Breakdown]]:
    # Labels are looked up once per key, not once per post: get_FOO_display() translates every call.
    platforms = {k: str(v) for k, v in Platform.choices}
    formats = {k: str(v) for k, v in PostFormat.choices}
    keys = {
        "platform": lambda p: (p.account.platform, lambda: platforms.get(p.account.platform, p.account.platform)),
        "account": lambda p: (str(p.account_id), lambda: f"{platforms.get(p.account.platform, '')} {p.account.handle}"),
        "format": lambda p: (p.format, lambda: formats.get(p.format, p.format)),
        "language": lambda p: (p.language or "", lambda: language_name(p.language)),
        "series": lambda p: (str(p.series_id or ""), lambda: p.series.name if p.series else _("Not in a series")),
    }
    out: dict[str, list[Breakdown]] = {}
    for name, key_of in keys.items():
        groups: dict[str, Breakdown] = {}
        for row in rows:
            key, label = key_of(row.post)
            group = groups.get(key)
            if group is None:
                group = groups[key] = Breakdown(key=key, label=str(label()), figures=Figures())
            group.figures.add(row.figures)
            group.figures.posts += row.figures.posts
        out[name] = sorted(groups.values(), key=lambda b: -b.figures.views)
    return out


def _influencer_contribution(rows: Sequence[PostRow], collab_of: dict, followers: dict[int, list],
                             own_accounts: set[int]) -> InfluencerContribution:
    own, infl = Figures(), Figures()
    lines: dict[object, InfluencerLine] = {}
    for row in rows:
        if row.post.id in collab_of:
            _title, inf_id, inf_name = collab_of[row.post.id]
            infl.add(row.figures)
            infl.posts += row.figures.posts
            line = lines.setdefault(inf_id, InfluencerLine(name=inf_name, influencer_id=inf_id, figures=Figures(),
                                                           followers=0))
            line.figures.add(row.figures)
            line.figures.posts += row.figures.posts
            if row.post.account_id not in own_accounts and row.post.account_id in followers:
                line.followers = max(line.followers, followers[row.post.account_id][-1][1])
        else:
            own.add(row.figures)
            own.posts += row.figures.posts
    own_followers = sum(pts[-1][1] for a, pts in followers.items() if a in own_accounts and pts)
    return InfluencerContribution(own=own, influencers=infl, own_followers=own_followers,
                                  lines=sorted(lines.values(), key=lambda x: -x.figures.audience))


# --- organization overview -------------------------------------------------------------------------

@dataclass
class PeriodFigures:
    views: int
    interactions: int
    new_followers: int

    @property
    def interaction_rate(self) -> float | None:
        return 100 * self.interactions / self.views if self.views else None


@dataclass
class Overview:
    today: dt.date
    days: int
    this_period: PeriodFigures
    last_period: PeriodFigures
    campaigns: list[tuple[Campaign, list[KPIProgress]]]
    follower_growth: list[dict]
    top_by_score: list[PostScore]
    top_by_interactions: list[tuple[Post, dict]]
    failed_runs: list[IngestionRun]
    reconnect: list[Account]
    overdue_reviews: list[Post]
    at_risk: list[tuple[Campaign, KPIProgress]]

    @staticmethod
    def change(now: float | None, before: float | None) -> float | None:
        if now is None or not before:
            return None
        return 100 * (now - before) / before

    @property
    def changes(self) -> dict[str, float | None]:
        a, b = self.this_period, self.last_period
        return {"views": self.change(a.views, b.views), "interactions": self.change(a.interactions, b.interactions),
                "interaction_rate": self.change(a.interaction_rate, b.interaction_rate),
                "new_followers": self.change(a.new_followers, b.new_followers)}

    @property
    def alert_count(self) -> int:
        return len(self.failed_runs) + len(self.reconnect) + len(self.overdue_reviews) + len(self.at_risk)


def org_overview(*, organization_ids: Sequence[int], today: dt.date | None = None, days: int = 7) -> Overview:
    """The overview of the user's organizations: a fixed number of queries, plus a fixed number
    per active campaign shown (at most MAX_CAMPAIGNS_ON_OVERVIEW)."""
    today = today or rollup_today()
    now = timezone.now()
    rollups = DailyPostRollup.objects.filter(account__organization_id__in=organization_ids)
    cut1, cut2 = today - dt.timedelta(days=days), today - dt.timedelta(days=2 * days)
    series = {d: (v, i) for d, v, i in cumulative_series(rollups, start=cut2, end=today)}
    v0, i0 = series[cut2]
    v1, i1 = series[cut1]
    v2, i2 = series[today]

    accounts = {a.id: a for a in Account.objects.filter(organization_id__in=organization_ids)
                .select_related("influencer", "organization")}
    own_ids = [a_id for a_id, a in accounts.items() if a.influencer_id is None]
    followers = _followers_by_account(own_ids, start=cut2, end=today)

    def followers_on(pts, day):
        known = [f for d, f in pts if d <= day]
        return known[-1] if known else (pts[0][1] if pts else 0)

    new_now = sum(followers_on(p, today) - followers_on(p, cut1) for p in followers.values())
    new_before = sum(followers_on(p, cut1) - followers_on(p, cut2) for p in followers.values())
    growth = []
    for account_id, pts in sorted(followers.items(), key=lambda kv: str(accounts[kv[0]])):
        window = [(d, f) for d, f in pts if d >= cut1]
        growth.append({"account": accounts[account_id], "points": window, "growth_pct": _growth_pct(window),
                       "start": window[0][1] if window else None, "end": window[-1][1] if window else None})

    campaigns = list(
        Campaign.objects.filter(organization_id__in=organization_ids, status=Campaign.Status.ACTIVE)
        .prefetch_related("kpi_targets").order_by("end_date")[:MAX_CAMPAIGNS_ON_OVERVIEW]
    )
    with_kpis = [(c, campaign_kpis(campaign=c, today=today, targets=list(c.kpi_targets.all()))) for c in campaigns]
    at_risk = [(c, k) for c, kpis in with_kpis for k in kpis if k.status == "at_risk"]

    top_by_score = list(
        PostScore.objects.filter(post__account__organization_id__in=organization_ids, overall__isnull=False)
        .select_related("post", "post__account").order_by("-overall", "-computed_at")[:5]
    )
    # Ranked in SQL: only five rows leave the database, however many posts the organizations have.
    later = DailyPostRollup.objects.filter(post_id=OuterRef("post_id"), day__gt=OuterRef("day"), day__lte=today)
    top_rows = list(
        rollups.filter(day__lte=today, interactions__isnull=False).filter(~Exists(later))
        .select_related("post", "post__account")
        .order_by(F("interactions").desc(), "post_id")[:5]
    )
    top_by_interactions = [(r.post, {name: getattr(r, name) for name in FIGURES}) for r in top_rows]

    failed_runs = list(
        IngestionRun.objects.filter(
            account__organization_id__in=organization_ids,
            status=IngestionRun.Status.FAILED, started_at__gte=now - dt.timedelta(days=2),
        ).select_related("account")[:10]
    )
    reconnect = [a for a in accounts.values() if a.connection_state == Account.Connection.NEEDS_RECONNECT]
    entered_review = (
        PostTransition.objects.filter(post_id=OuterRef("pk"), to_status=Post.Status.IN_REVIEW)
        .order_by("-at").values("at")[:1]
    )
    overdue = list(
        Post.objects.filter(account__organization_id__in=organization_ids, status=Post.Status.IN_REVIEW)
        .annotate(in_review_since=Subquery(entered_review))
        .filter(Q(in_review_since__lt=now - REVIEW_OVERDUE)
                | Q(in_review_since__isnull=True, updated_at__lt=now - REVIEW_OVERDUE))
        .select_related("campaign").order_by("in_review_since")[:20]
    )
    return Overview(
        today=today, days=days,
        this_period=PeriodFigures(views=v2 - v1, interactions=i2 - i1, new_followers=new_now),
        last_period=PeriodFigures(views=v1 - v0, interactions=i1 - i0, new_followers=new_before),
        campaigns=with_kpis, follower_growth=growth, top_by_score=top_by_score,
        top_by_interactions=top_by_interactions, failed_runs=failed_runs, reconnect=reconnect,
        overdue_reviews=overdue, at_risk=at_risk,
    )


# --- comparisons -----------------------------------------------------------------------------------

@dataclass
class CampaignComparison:
    campaign: Campaign
    totals: Figures
    kpis: list[KPIProgress]
    scores: dict[str, float | None]
    geography: Geography
    series: list[tuple[int, int]]  # day number since start, cumulative views

    @property
    def met_or_on_track(self) -> int:
        return sum(1 for k in self.kpis if k.status in ("met", "on_track"))


def compare_campaigns(*, campaigns: Sequence[Campaign], today: dt.date | None = None) -> list[CampaignComparison]:
    """Side by side: a fixed number of queries per campaign compared."""
    today = today or rollup_today()
    out = []
    for c in campaigns:
        as_of = today  # post figures count to today, past the end date (see kpi_progress)
        rollups = _campaign_rollups(c.id)
        latest = _latest_rollups(rollups, on_or_before=as_of)
        series = cumulative_series(rollups, start=c.start_date, end=as_of, latest=latest)
        totals = Figures()
        for row in latest.values():
            totals.add(row)
            totals.posts += 1
        scores = score_summary(_latest_scores(_campaign_posts_q(c.id)).values(), {}).campaign
        out.append(CampaignComparison(
            campaign=c, totals=totals, kpis=campaign_kpis(campaign=c, today=today, series=series),
            scores=scores, geography=campaign_geography(campaign=c),
            series=[((d - c.start_date).days, v) for d, v, _i in series],
        ))
    return out


@dataclass
class VariantRow:
    post: Post
    figures: Figures
    language: str
    is_original: bool


def post_family(*, post: Post, today: dt.date | None = None) -> list[VariantRow]:
    """A post and its translated variants (one level, via variant_of), each with its figures."""
    today = today or rollup_today()
    root_id = post.variant_of_id or post.id
    family = list(Post.objects.filter(Q(id=root_id) | Q(variant_of_id=root_id)).select_related("account"))
    latest = _latest_rollups(DailyPostRollup.objects.filter(post_id__in=[p.id for p in family]), on_or_before=today)
    rows = [VariantRow(post=p, figures=_figures(latest.get(p.id)), language=language_name(p.language),
                       is_original=p.id == root_id) for p in family]
    return sorted(rows, key=lambda r: (not r.is_original, -r.figures.views))


def family_headline(rows: Sequence[VariantRow]) -> str:
    """"The Arabic version drew 1.44 M views": the best-viewed translation, said plainly."""
    translations = [r for r in rows if not r.is_original and r.figures.views]
    if not translations:
        return ""
    best = max(translations, key=lambda r: r.figures.views)
    return _("The %(language)s version drew %(views)s views.") % {
        "language": best.language, "views": compact(best.figures.views)}


# --- post and influencer fragments ---------------------------------------------------------------

@dataclass
class PostPerformance:
    post: Post
    snapshots: list[PostMetricSnapshot]
    countries: Geography
    family: list[VariantRow]
    family_headline: str
    score: PostScore | None


def post_performance(*, post: Post) -> PostPerformance:
    """One post: its own snapshots are the point here, so this page reads them (one post only)."""
    snapshots = list(post.snapshots.order_by("captured_at"))
    last_day = post.audience_slices.filter(measure="views").aggregate(d=Max("day"))["d"]
    slices = {}
    if last_day:
        slices = dict(post.audience_slices.filter(measure="views", day=last_day).values_list("country", "value"))
    target = post.campaign.target_countries if post.campaign_id else []
    family = post_family(post=post)
    score = post.scores.order_by("-computed_at").first()
    return PostPerformance(post=post, snapshots=snapshots,
                           countries=geography_from({k.upper(): v for k, v in slices.items()}, measure="views",
                                                    target_countries=target),
                           family=family if len(family) > 1 else [], family_headline=family_headline(family),
                           score=score)


@dataclass
class CollaborationLine:
    collaboration: Collaboration
    posts: list[PostRow]
    totals: Figures

    @property
    def cost_per_interaction(self) -> float | None:
        amount = self.collaboration.compensation_amount
        if amount is None or not self.totals.interactions:
            return None
        return float(amount) / self.totals.interactions


def influencer_performance(*, influencer_id: int, today: dt.date | None = None) -> list[CollaborationLine]:
    today = today or rollup_today()
    collaborations = list(
        Collaboration.objects.filter(influencer_id=influencer_id).select_related("campaign")
        .prefetch_related("deliverables__account").order_by("-start_date", "-created_at")
    )
    post_ids = {p.id for c in collaborations for p in c.deliverables.all()}
    latest = _latest_rollups(DailyPostRollup.objects.filter(post_id__in=post_ids), on_or_before=today)
    out = []
    for c in collaborations:
        rows = [PostRow(post=p, figures=_figures(latest.get(p.id))) for p in c.deliverables.all()]
        totals = Figures()
        for r in rows:
            totals.add(r.figures)
            totals.posts += 1
        out.append(CollaborationLine(collaboration=c, posts=rows, totals=totals))
    return out


# --- exports' tables -------------------------------------------------------------------------------

def campaign_snapshot_rows(*, campaign: Campaign) -> QuerySet:
    """Every snapshot of the campaign's posts, for the export (streamed, not for dashboards)."""
    return (
        PostMetricSnapshot.objects.filter(post__in=Post.objects.filter(_campaign_posts_q(campaign.id)).values("id"))
        .select_related("post", "post__account").order_by("post_id", "captured_at")
    )

