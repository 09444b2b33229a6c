"""django-filter filter sets of the campaigns API (query parameters documented in the schema).

Related objects are filtered by plain id (not a choice field): a choice field would tell apart
"exists in another organization" from "does not exist".
"""

from __future__ import annotations

import django_filters as df
from django import forms

from campaigns.models import (
    Account,
    Amplification,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    NotableAccount,
    Notification,
    Objective,
    Post,
    Series,
)

MAX_ID = 2**63 - 1


class IdFilter(df.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class AccountFilter(df.FilterSet):
    organization = IdFilter()
    influencer = IdFilter()

    class Meta:
        model = Account
        fields = ["platform", "connection_state"]


class EventFilter(df.FilterSet):
    organization = IdFilter()
    starts_after = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Event
        fields = ["kind", "country"]


class CampaignFilter(df.FilterSet):
    organization = IdFilter()
    active_on = df.DateFilter(method="filter_active_on", label="Running on this date")

    class Meta:
        model = Campaign
        fields = ["status"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class SeriesFilter(df.FilterSet):
    campaign = IdFilter()

    class Meta:
        model = Series
        fields = ["cadence", "format"]


class PostFilter(df.FilterSet):
    campaign = IdFilter()
    series = IdFilter()
    account = IdFilter()
    event = IdFilter()
    variant_of = IdFilter()
    organization = IdFilter(field_name="account__organization")
    platform = df.ChoiceFilter(field_name="account__platform", choices=Account._meta.get_field("platform").choices)
    planned_after = df.IsoDateTimeFilter(field_name="planned_at", lookup_expr="gte")
    planned_before = df.IsoDateTimeFilter(field_name="planned_at", lookup_expr="lt")

    class Meta:
        model = Post
        fields = ["status", "format", "language"]


class InfluencerFilter(df.FilterSet):
    organization = IdFilter()

    class Meta:
        model = Influencer
        fields = ["country"]


class CollaborationFilter(df.FilterSet):
    campaign = IdFilter()
    influencer = IdFilter()

    class Meta:
        model = Collaboration
        fields = ["status"]


class ObjectiveFilter(df.FilterSet):
    campaign = IdFilter()

    class Meta:
        model = Objective
        fields = ["kind"]


class EvidenceFilter(df.FilterSet):
    objective = IdFilter()
    campaign = IdFilter(field_name="objective__campaign")

    class Meta:
        model = Evidence
        fields = ["level", "kind"]



class NotableAccountFilter(df.FilterSet):
    organization = IdFilter()

    class Meta:
        model = NotableAccount
        fields = ["platform", "kind", "country"]


class AmplificationFilter(df.FilterSet):
    post = IdFilter()
    notable = IdFilter()
    campaign = IdFilter(field_name="post__campaign")

    class Meta:
        model = Amplification
        fields = ["kind", "source"]


class NotificationFilter(df.FilterSet):
    unread = df.BooleanFilter(field_name="read_at", lookup_expr="isnull",
                              label="Only unread (true) or only read (false)")

    class Meta:
        model = Notification
        fields = ["kind"]
