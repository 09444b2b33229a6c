"""A campaign's results chain on one page: outputs (our figures) → out-takes → outcomes → impact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from campaigns.models import Campaign, Evidence, Objective, Post
from metrics.reporting.selectors.common import (
    Figures,
    campaign_posts,
    campaign_posts_q,
    latest_rollups,
    rollup_today,
)

LEVELS = [Evidence.Level.OUTTAKE, Evidence.Level.OUTCOME, Evidence.Level.IMPACT]


@dataclass
class ObjectiveResult:
    objective: Objective
    evidence_by_level: dict[str, list[Evidence]]
    latest_value: Decimal | None = None  # the newest evidence that carries a number
    latest_value_on: dt.date | None = None

    @property
    def target_reached(self) -> bool | None:
        """Whether the newest measured value reaches the target; None when either is missing."""
        target = self.objective.target_value
        if target is None or self.latest_value is None:
            return None
        return self.latest_value >= target

    @property
    def evidence_count(self) -> int:
        return sum(len(items) for items in self.evidence_by_level.values())


@dataclass
class CampaignOutcomes:
    campaign: Campaign
    as_of: dt.date
    outputs: Figures
    posts_published: int
    objectives: list[ObjectiveResult] = field(default_factory=list)

    def count(self, level: str) -> int:
        return sum(len(result.evidence_by_level[level]) for result in self.objectives)

    @property
    def counts(self) -> dict[str, int]:
        return {level: self.count(level) for level in LEVELS}


def campaign_outcomes(*, campaign: Campaign, today: dt.date | None = None) -> CampaignOutcomes:
    """The chain as of today (three queries: roll-ups, the published count, objectives with evidence)."""
    today = today or rollup_today()
    outputs = Figures()
    for row in latest_rollups(campaign_posts(campaign.id), on_or_before=today).values():
        outputs.add(row)
        outputs.posts += 1
    published = Post.objects.filter(campaign_posts_q(campaign.id), status=Post.Status.PUBLISHED).count()

    objectives = campaign.objectives.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("observed_on", "id"))
    )
    results = []
    for objective in objectives:
        by_level: dict[str, list[Evidence]] = {level: [] for level in LEVELS}
        result = ObjectiveResult(objective=objective, evidence_by_level=by_level)
        for item in objective.evidence.all():
            by_level[item.level].append(item)
            if item.value is not None:
                result.latest_value, result.latest_value_on = item.value, item.observed_on
        results.append(result)
    return CampaignOutcomes(campaign=campaign, as_of=today, outputs=outputs, posts_published=published,
                            objectives=results)
