"""One object of each API resource's model in a given organization, for the route matrix and tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns.models import (
    Account,
    Amplification,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    KPITarget,
    Membership,
    NotableAccount,
    Notification,
    Objective,
    Organization,
    Post,
    Series,
)
from metrics.models import AccountSnapshot, IngestionBudget, IngestionRun, MetricImport, PostMetricSnapshot, PostScore
from tests.factories import (
    AccountFactory,
    AmplificationFactory,
    CampaignFactory,
    CollaborationFactory,
    EventFactory,
    EvidenceFactory,
    InfluencerFactory,
    KPITargetFactory,
    MembershipFactory,
    NotableAccountFactory,
    ObjectiveFactory,
    PostFactory,
    SeriesFactory,
    UserFactory,
)


def hour(hours_ago: int = 0) -> dt.datetime:
    return (timezone.now() - dt.timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)


def make_post(org, **kwargs) -> Post:
    campaign = kwargs.pop("campaign", None) or CampaignFactory(organization=org)
    account = kwargs.pop("account", None) or AccountFactory(organization=org)
    return PostFactory(campaign=campaign, account=account, **kwargs)


def make_series(org) -> Series:
    series = SeriesFactory(campaign=CampaignFactory(organization=org))
    series.accounts.add(AccountFactory(organization=org))
    return series


def make_snapshot(org) -> PostMetricSnapshot:
    return PostMetricSnapshot.objects.create(post=make_post(org), slot=hour(), views=100, reactions=5)


def make_score(org) -> PostScore:
    return PostScore.objects.create(
        post=make_post(org), method_version="test-1", overall=50.0, explanation={"timeliness": {"reason": "on time"}}
    )


def make_run(org) -> IngestionRun:
    account = AccountFactory(organization=org)
    return IngestionRun.objects.create(platform=account.platform, account=account, status=IngestionRun.Status.SUCCESS)


def make_import(org) -> MetricImport:
    account = AccountFactory(organization=org)
    imp = MetricImport(account=account, original_name="export.csv")
    imp.file.save("export.csv", ContentFile(b"Post ID,Views\n1,2\n"), save=False)
    imp.save()
    return imp


def make_notification(org) -> Notification:
    """A notification to a member of `org` (its editor when it has one): personal, not the organization's."""
    members = Membership.objects.filter(organization=org).order_by("role", "pk")
    member = members.filter(role="editor").first() or members.first()
    recipient = member.user if member else UserFactory()
    return Notification.objects.create(recipient=recipient, kind=Notification.Kind.SUBMITTED, post=make_post(org))


# Model → how to make one in `org`. A route added to /api/v1/ whose model is not here makes the
# route matrix fail, asking for an entry: no route goes unchecked.
MAKERS = {
    Organization: lambda org: org,
    Account: lambda org: AccountFactory(organization=org),
    Event: lambda org: EventFactory(organization=org),
    Campaign: lambda org: CampaignFactory(organization=org),
    KPITarget: lambda org: KPITargetFactory(campaign=CampaignFactory(organization=org)),
    Series: make_series,
    Post: make_post,
    Influencer: lambda org: InfluencerFactory(organization=org),
    Collaboration: lambda org: CollaborationFactory(campaign=CampaignFactory(organization=org)),
    Objective: lambda org: ObjectiveFactory(campaign=CampaignFactory(organization=org)),
    Evidence: lambda org: EvidenceFactory(objective=ObjectiveFactory(campaign=CampaignFactory(organization=org))),
    Membership: lambda org: MembershipFactory(organization=org, role="editor"),
    NotableAccount: lambda org: NotableAccountFactory(organization=org),
    Amplification: lambda org: AmplificationFactory(post=make_post(org)),
    PostMetricSnapshot: make_snapshot,
    AccountSnapshot: lambda org: AccountSnapshot.objects.create(
        account=AccountFactory(organization=org), slot=hour(), followers=10
    ),
    PostScore: make_score,
    IngestionRun: make_run,
    IngestionBudget: lambda org: IngestionBudget.objects.get_or_create(organization=org, platform="youtube",
                                                                       defaults={"limit": 5000})[0],
    MetricImport: make_import,
    Notification: make_notification,
}
