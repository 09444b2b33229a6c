"""The organization overview, campaign comparisons and a post's family of variants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Account, Campaign, Post, PostTransition
from metrics.models import (
    IngestionRun,
    PostScore,
)
from metrics.reporting.formatting import compact
from metrics.reporting.selectors.campaign import (
    campaign_geography,
    campaign_kpis,
    figures_from,
    latest_scores,
    score_summary,
)
from metrics.reporting.selectors.common import (
    MAX_CAMPAIGNS_ON_OVERVIEW,
    REVIEW_OVERDUE,
    Figures,
    Geography,
    KPIProgress,
    campaign_posts,
    campaign_posts_q,
    cumulative_series,
    followers_by_account,
    growth_pct,
    language_name,
    latest_rollups,
    rollup_today,
)
from metrics.vocabulary import FIGURES, interactions_per_100_views

# --- organization overview -------------------------------------------------------------------------

@dataclass
class PeriodFigures:
    views: int
    interactions: int
    new_followers: int

    @property
    def interaction_rate(self) -> float | None:
        return interactions_per_100_views(self.interactions, self.views)


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
    overdue_reviews: Sequence[Post]
    at_risk: list[tuple[Campaign, KPIProgress]]
    slipped: Sequence[Post] = ()  # plans whose time passed before they were published (Post.objects.overdue)

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
        return (len(self.failed_runs) + len(self.reconnect) + len(self.overdue_reviews) + len(self.at_risk)
                + len(self.slipped))


def org_overview(*, organization_ids: Sequence[int], today: dt.date | None = None, days: int = 7) -> Overview:
    """The overview of the user's organizations: a fixed number of queries, plus a fixed number
    per active campaign shown (at most MAX_CAMPAIGNS_ON_OVERVIEW)."""
    today = today or rollup_today()
    now = timezone.now()
    posts = Post.objects.filter(account__organization_id__in=organization_ids)
    cut1, cut2 = today - dt.timedelta(days=days), today - dt.timedelta(days=2 * days)
    latest = latest_rollups(posts, on_or_before=today)
    series = {d: (v, i) for d, v, i in cumulative_series(posts, start=cut2, end=today, latest=latest)}
    v0, i0 = series[cut2]
    v1, i1 = series[cut1]
    v2, i2 = series[today]

    accounts = {a.id: a for a in Account.objects.filter(organization_id__in=organization_ids)
                .select_related("influencer", "organization")}
    own_ids = [a_id for a_id, a in accounts.items() if a.influencer_id is None]
    followers = followers_by_account(own_ids, start=cut2, end=today)

    def followers_on(pts, day):
        known = [f for d, f in pts if d <= day]
        return known[-1] if known else (pts[0][1] if pts else 0)

    new_now = sum(followers_on(p, today) - followers_on(p, cut1) for p in followers.values())
    new_before = sum(followers_on(p, cut1) - followers_on(p, cut2) for p in followers.values())
    growth = []
    for account_id, pts in sorted(followers.items(), key=lambda kv: str(accounts[kv[0]])):
        window = [(d, f) for d, f in pts if d >= cut1]
        growth.append({"account": accounts[account_id], "points": window, "growth_pct": growth_pct(window),
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
    # Ranked from the latest roll-ups already read: only the five posts shown are loaded.
    top_rows = sorted((r for r in latest.values() if r["interactions"] is not None),
                      key=lambda r: (-r["interactions"], r["post_id"]))[:5]
    top_posts = Post.objects.select_related("account").in_bulk([r["post_id"] for r in top_rows])
    top_by_interactions = [(top_posts[r["post_id"]], {name: r[name] for name in FIGURES}) for r in top_rows]

    # A failure stops being news once a later run of the same account succeeded.
    recovered = IngestionRun.objects.filter(account=OuterRef("account"), status=IngestionRun.Status.SUCCESS,
                                            started_at__gt=OuterRef("started_at"))
    failed_runs = list(
        IngestionRun.objects.filter(
            account__organization_id__in=organization_ids,
            status=IngestionRun.Status.FAILED, started_at__gte=now - dt.timedelta(days=2),
        ).filter(~Exists(recovered)).select_related("account")[:10]
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
        slipped=list(Post.objects.filter(account__organization_id__in=organization_ids).overdue(now=now)
                     .select_related("account").order_by("planned_at")[:20]),
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
        posts = campaign_posts(c.id)
        latest = latest_rollups(posts, on_or_before=as_of)
        series = cumulative_series(posts, start=c.start_date, end=as_of, latest=latest)
        totals = Figures()
        for row in latest.values():
            totals.add(row)
            totals.posts += 1
        scores = score_summary(latest_scores(campaign_posts_q(c.id)).values(), {}).campaign
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
    latest = latest_rollups([p.id for p in family], on_or_before=today)
    rows = [VariantRow(post=p, figures=figures_from(latest.get(p.id)), language=language_name(p.language),
                       is_original=p.id == root_id) for p in family]
    return sorted(rows, key=lambda r: (not r.is_original, -r.figures.views))


@dataclass
class LanguageTotal:
    """One language's versions of a post, summed: en, en-US and EN are one language, said once."""

    language: str
    figures: Figures
    versions: int
    has_original: bool


def language_totals(rows: Sequence[VariantRow]) -> list[LanguageTotal]:
    groups: dict[str, LanguageTotal] = {}
    for row in rows:
        primary = (row.post.language or "").strip().lower().replace("_", "-").split("-")[0]
        group = groups.get(primary)
        if group is None:
            group = groups[primary] = LanguageTotal(language_name(primary), Figures(), 0, False)
        group.figures.add(row.figures)
        group.figures.posts += row.figures.posts
        group.versions += 1
        group.has_original |= row.is_original
    return sorted(groups.values(), key=lambda g: (not g.has_original, -g.figures.views))


def family_headline(rows: Sequence[VariantRow]) -> str:
    """"The Arabic version drew 1.44 M views": the best-viewed translated language, said plainly."""
    translations = [t for t in language_totals(rows) if not t.has_original and t.figures.views]
    if not translations:
        return ""
    best = max(translations, key=lambda t: t.figures.views)
    return _("The %(language)s version drew %(views)s views.") % {
        "language": best.language, "views": compact(best.figures.views)}


