"""factory_boy factories for the whole suite. Personas live in conftest.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
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
    Objective,
    Organization,
    Post,
    Series,
)

DEFAULT_PASSWORD = "softpower-test"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"dept-{n}")
    kind = Organization.Kind.MINISTRY
    country = "TW"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "editor"


class InfluencerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Influencer

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Creator {n}")
    country = "KW"
    languages = factory.LazyFunction(lambda: ["ar", "en"])
    topics = factory.LazyFunction(lambda: ["food", "travel"])


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    organization = factory.SubFactory(OrganizationFactory)
    platform = "facebook"
    handle = factory.Sequence(lambda n: f"account{n}")
    platform_id = factory.Sequence(lambda n: f"1048576{n:08d}")
    language = "en"
    connection_state = Account.Connection.CONNECTED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    kind = Event.Kind.FORUM
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    country = "CH"
    timezone = "Europe/Zurich"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    objective = "Raise awareness"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    status = Campaign.Status.ACTIVE
    target_countries = factory.LazyFunction(lambda: ["US", "VN"])
    languages = factory.LazyFunction(lambda: ["en"])


class KPITargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPITarget

    campaign = factory.SubFactory(CampaignFactory)
    metric = KPITarget.Metric.VIEWS
    target_value = 100000


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    campaign = factory.SubFactory(CampaignFactory)
    kind = Objective.Kind.ATTITUDE
    statement = factory.Sequence(lambda n: f"More people agree, objective {n}")
    indicator = "Share of panel respondents who agree"
    target = "60 % agree"
    target_value = 60


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    objective = factory.SubFactory(ObjectiveFactory)
    level = Evidence.Level.OUTCOME
    kind = Evidence.Kind.SURVEY
    summary = factory.Sequence(lambda n: f"Panel survey {n}")
    observed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    source = "Online panel (n = 1,000)"
    value = 55


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Series {n}")
    cadence = Series.Cadence.DAILY
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    time_of_day = dt.time(9, 0)
    timezone = "America/New_York"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    campaign = factory.SubFactory(CampaignFactory)
    account = factory.LazyAttribute(lambda p: AccountFactory(organization=p.campaign.organization))
    status = Post.Status.DRAFT
    planned_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    format = "image"
    title = factory.Sequence(lambda n: f"Post {n}")
    body = "Health for all: Taiwan can help. #TaiwanCanHelp"
    language = "en"


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaboration

    campaign = factory.SubFactory(CampaignFactory)
    influencer = factory.LazyAttribute(lambda c: InfluencerFactory(organization=c.campaign.organization))
    title = factory.Sequence(lambda n: f"Collaboration {n}")


class NotableAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotableAccount

    organization = factory.SubFactory(OrganizationFactory)
    platform = "x"
    handle = factory.Sequence(lambda n: f"notable_{n}")
    name = factory.Sequence(lambda n: f"Foreign bureau {n}")
    kind = NotableAccount.Kind.MINISTRY
    country = "US"


class AmplificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amplification

    post = factory.SubFactory(PostFactory)
    notable = factory.LazyAttribute(lambda o: NotableAccountFactory(organization=o.post.account.organization))
    kind = Amplification.Kind.RESHARE
    source = Amplification.Source.MANUAL
    link = "https://x.com/i/status/1/retweets"
