"""The campaign dashboard: KPI progress, geography, scores, breakdowns and influencers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Avg, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from campaigns.models import Account, Campaign, Collaboration, KPITarget, Platform, Post, PostFormat
from metrics.models import (
    AudienceCountrySlice,
    PostScore,
)
from metrics.reporting.countries import country_name
from metrics.reporting.formatting import share_in_words
from metrics.reporting.selectors.common import (
    Breakdown,
    CampaignDashboard,
    CountryShare,
    Figures,
    Geography,
    InfluencerContribution,
    InfluencerLine,
    KPIProgress,
    PostRow,
    ScoreSummary,
    campaign_posts,
    campaign_posts_q,
    cumulative_series,
    followers_by_account,
    growth_pct,
    language_name,
    latest_rollups,
    project_linear,
    rollup_today,
)
from metrics.vocabulary import PRINCIPLES, interactions_per_100_views

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
        series = cumulative_series(campaign_posts(campaign.id), start=campaign.start_date, end=as_of)
    metrics_needed = {t.metric for t in targets}
    if posts is None and KPITarget.Metric.POSTS_PUBLISHED in metrics_needed:
        posts = list(Post.objects.filter(campaign_posts_q(campaign.id)).only("status", "planned_at", "published_at"))
    if own_followers is None and KPITarget.Metric.FOLLOWER_GROWTH_PCT in metrics_needed:
        own_followers = followers_by_account(_own_accounts(campaign.id), start=campaign.start_date,
                                              end=followers_as_of)
    if view_slices is None and KPITarget.Metric.COUNTRY_VIEW_SHARE in metrics_needed:
        view_slices = _view_slices(campaign_posts_q(campaign.id))
    views = [(d, v) for d, v, _i in series]
    inter = [(d, i) for d, _v, i in series]
    out = []
    for t in targets:
        actual: float | None = None
        projected: float | None = None
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
                actual = projected = interactions_per_100_views(inter[-1][1], views[-1][1])
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
            # Everything still planned by the end date counts, drafts and slipped plans included: they are
            # the team's plan; the overdue flag (Post.objects.overdue) says which of them are late.
            still_planned = (*Post.SLIPPABLE, Post.Status.SCHEDULED)
            coming = sum(
                1 for p in posts or []
                if p.status in still_planned and p.planned_at and p.planned_at <= end_moment
            )
            actual, projected = published, published + coming
        label = t.get_metric_display() + (f" · {country_name(t.country)}" if t.country else "")
        out.append(KPIProgress(target=t, label=label, actual=actual, projected=projected, unit=unit,
                               ended=today > campaign.end_date))
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
        influencer__isnull=True, posts__in=Post.objects.filter(campaign_posts_q(campaign_id))
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


def _follower_slices(account_ids: Iterable[int]) -> dict[str, int]:
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
    slices = _view_slices(campaign_posts_q(campaign.id))
    if slices:
        return geography_from(slices, measure="views", target_countries=campaign.target_countries)
    return geography_from(_follower_slices(_own_accounts(campaign.id)), measure="followers",
                          target_countries=campaign.target_countries)


# --- scores ----------------------------------------------------------------------------------------

def latest_scores(posts_q: Q) -> dict[int, PostScore]:
    scores: dict[int, PostScore] = {}
    # Only the figures pages show: the explanation (JSON) of 4,000 scores cost two seconds to decode.
    rows = (PostScore.objects.filter(post__in=Post.objects.filter(posts_q).values("id"))
            .only("post_id", "computed_at", *PRINCIPLES, "overall").order_by("computed_at", "id"))
    for s in rows:
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
    known = {p: value for p in PRINCIPLES if (value := camp[p]) is not None}
    weakest = min(known, key=known.__getitem__) if known else None
    return ScoreSummary(campaign=camp, organization=organization, weakest=weakest, scored_posts=len(scores))


# --- the campaign dashboard ---------------------------------------------------------------------

def figures_from(row: dict | None, before: dict | None = None) -> Figures:
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
        # A campaign not started yet shows today only (a reversed range asked for is refused by
        # reporting.ranges before it gets here).
        start, end = end, min(start, today)
    posts_q = campaign_posts_q(campaign.id)
    campaign_post_set = campaign_posts(campaign.id)

    posts = list(Post.objects.filter(posts_q).select_related("account", "series", "account__influencer"))
    delivered = list(
        Collaboration.deliverables.through.objects.filter(collaboration__campaign_id=campaign.id)
        .values_list("post_id", "collaboration__title", "collaboration__influencer_id",
                     "collaboration__influencer__name")
    )
    collab_of = {pid: (title, inf_id, inf_name) for pid, title, inf_id, inf_name in delivered}

    latest_end = latest_rollups(campaign_post_set, on_or_before=end)
    latest_before = latest_rollups(campaign_post_set, on_or_before=start - dt.timedelta(days=1))
    series = cumulative_series(campaign_post_set, start=start, end=end, latest=latest_end)
    # KPIs are always about the whole campaign up to today, whatever range is shown.
    kpi_series = series if (start, end) == (campaign.start_date, as_of) else cumulative_series(
        campaign_post_set, start=campaign.start_date, end=as_of)

    scores = latest_scores(posts_q)
    rows: list[PostRow] = []
    totals = Figures()
    for post in posts:
        f = figures_from(latest_end.get(post.id), latest_before.get(post.id))
        if post.id in latest_end:
            f.posts = 1
        totals.add(f)
        totals.posts += f.posts
        rows.append(PostRow(post=post, figures=f, score=scores.get(post.id),
                            collaboration=collab_of.get(post.id, ("", None, ""))[0]))

    breakdowns = _breakdowns(rows)

    own_accounts = {p.account_id for p in posts if p.account.influencer_id is None}
    all_accounts = {p.account_id for p in posts}
    followers = followers_by_account(all_accounts, start=campaign.start_date, end=min(today, campaign.end_date))
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
            growth.append({"account": accounts[account_id], "points": pts, "growth_pct": growth_pct(pts),
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


