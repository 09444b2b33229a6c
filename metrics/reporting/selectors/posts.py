"""Fragments for a post and an influencer, and the rows the exports read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from campaigns.models import Campaign, Collaboration, Post
from metrics.models import (
    PostMetricSnapshot,
    PostScore,
)
from metrics.reporting.selectors.campaign import figures_from, geography_from
from metrics.reporting.selectors.common import (
    Figures,
    Geography,
    PostRow,
    campaign_posts_q,
    latest_rollups,
    rollup_today,
)
from metrics.reporting.selectors.overview import VariantRow, family_headline, post_family

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
    target = post.campaign.target_countries if post.campaign is not None else []
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
    latest = latest_rollups(post_ids, on_or_before=today)
    out = []
    for c in collaborations:
        rows = [PostRow(post=p, figures=figures_from(latest.get(p.id))) for p in c.deliverables.all()]
        totals = Figures()
        for r in rows:
            totals.add(r.figures)
            totals.posts += 1
        out.append(CollaborationLine(collaboration=c, posts=rows, totals=totals))
    return out


# --- exports' tables -------------------------------------------------------------------------------

def campaign_snapshot_rows(*, campaign: Campaign, start: dt.date | None = None,
                           end: dt.date | None = None) -> QuerySet:
    """Every snapshot of the campaign's posts read within the UTC days start..end (either optional), for the
    export (streamed, not for dashboards)."""
    snapshots = PostMetricSnapshot.objects.filter(
        post__in=Post.objects.filter(campaign_posts_q(campaign.id)).values("id"))
    if start:
        snapshots = snapshots.filter(captured_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC))
    if end:
        snapshots = snapshots.filter(
            captured_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC))
    return snapshots.select_related("post", "post__account").order_by("post_id", "captured_at")

