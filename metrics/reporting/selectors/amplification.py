"""Who notable amplified a campaign: reshares, quotes, mentions and comments by watch-list accounts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce

from campaigns.models import Amplification, Campaign, Post
from metrics.reporting.selectors.common import campaign_posts_q


@dataclass
class CampaignAmplifications:
    items: list[Amplification] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def accounts(self) -> int:
        """Distinct notable accounts that amplified the campaign."""
        return len({item.notable_id for item in self.items})

    @property
    def by_kind(self) -> list[tuple[str, int]]:
        counts = Counter(item.kind for item in self.items)
        return [(str(label), counts[value]) for value, label in Amplification.Kind.choices if counts[value]]


def campaign_amplifications(*, campaign: Campaign) -> CampaignAmplifications:
    """Every amplification of the campaign's posts, newest first (one query)."""
    posts = Post.objects.filter(campaign_posts_q(campaign.pk)).values("id")
    items = list(
        Amplification.objects.filter(post_id__in=posts)
        .select_related("notable", "post__account")
        .order_by(Coalesce("occurred_at", "created_at").desc(), "-pk")
    )
    return CampaignAmplifications(items=items)
