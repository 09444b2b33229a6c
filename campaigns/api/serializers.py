"""Serializers of the campaigns API: thin, but every field validated so no input reaches a 500.

Related objects are looked up only among the user's organizations where the role allows the
write (another organization's id answers "does not exist", like a missing one), and must belong
to the same organization as the object written.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

if TYPE_CHECKING:
    from rest_framework.validators import Validator  # only in the stubs

from campaigns import access
from campaigns.api import fields
from campaigns.api.base import SafeModelSerializer, ScopedPrimaryKeyRelatedField
from campaigns.models import (
    Account,
    Amplification,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    Invitation,
    KPITarget,
    Membership,
    NotableAccount,
    Notification,
    Objective,
    Organization,
    Post,
    PostTransition,
    Role,
    Series,
    Trait,
)

MAX_SERIES_DAYS = Series.MAX_DAYS


class CurrentValueMixin:
    def current(self, attrs, name):
        """The value after this write: from the input, else from the existing object."""
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name, None) if self.instance is not None else None


# Run the model's own rules (field validators, clean()) on the object as this write leaves it.
# Many-to-many values are not on the object until it is saved, so the model's clean_<field>(values)
# checks them. Django's errors come back as the API's field errors, under the same keys.
# (Comments, not a docstring: the OpenAPI schema takes a serializer's description from its bases.)
class ModelRulesMixin:
    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        m2m = {}
        for name, value in attrs.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # e.g. a write-only token or nested KPI targets
            if field.many_to_many:
                m2m[name] = value
            elif field.concrete:
                setattr(instance, name, value)
        # Fields this serializer does not write (a nested target's campaign) are not its to check.
        writable = {name for name, field in self.fields.items() if not field.read_only}
        exclude = [f.name for f in model._meta.concrete_fields if f.name not in writable]
        errors = {}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except DjangoValidationError as error:
            errors.update(error.message_dict)
        for name, values in m2m.items():
            try:
                getattr(instance, f"clean_{name}", lambda values: None)(values)
            except DjangoValidationError as error:
                errors.update(error.message_dict)
        if errors:
            non_field = errors.pop("__all__", None)
            if non_field:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = non_field
            raise serializers.ValidationError(errors)
        return attrs


class ModelRulesSerializer(ModelRulesMixin, SafeModelSerializer):
    pass


class ImmutableOrganizationMixin(CurrentValueMixin):
    """The organization (or campaign) an object was created in is fixed afterwards."""

    immutable_fields: tuple[str, ...] = ("organization",)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in self.immutable_fields:
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [_("This cannot be changed after creation.")]})
        return attrs


class OrganizationSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "kind", "country", "timezone", "my_role", "created_at"]

    def get_my_role(self, obj) -> str | None:
        return access.role_in(self.context["request"].user, obj.id)


class AccountSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all(), org_path="id", capability="manage")
    influencer = ScopedPrimaryKeyRelatedField(
        queryset=Influencer.objects.all(), capability="manage", allow_null=True, required=False
    )
    language = fields.LanguageField(allow_blank=True, required=False)
    access_token = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=4000, trim_whitespace=True,
        help_text=_("The platform access token. Accepted on write, never returned; blank clears it."),
    )
    has_access_token = serializers.BooleanField(read_only=True)

    class Meta:
        model = Account
        fields = [
            "id", "organization", "influencer", "platform", "handle", "platform_id", "language",
            "connection_state", "connection_error", "access_token", "has_access_token", "access_token_set_at",
            "created_at",
        ]
        read_only_fields = ["connection_state", "connection_error", "access_token_set_at", "created_at"]

    def _save_token(self, account: Account, token: str | None) -> None:
        if token is not None:
            account.enter_access_token(token)
            account.save()

    def create(self, validated_data):
        token = validated_data.pop("access_token", None)
        account = super().create(validated_data)
        self._save_token(account, token)
        return account

    def update(self, instance, validated_data):
        token = validated_data.pop("access_token", None)
        account = super().update(instance, validated_data)
        self._save_token(account, token)
        return account


class EventSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all(), org_path="id")
    country = fields.CountryField(allow_blank=True, required=False)
    timezone = fields.TimezoneField(required=False)

    class Meta:
        model = Event
        fields = ["id", "organization", "name", "kind", "starts_at", "ends_at", "country", "timezone", "description"]


class KPITargetSerializer(ModelRulesSerializer):
    country = fields.CountryField(allow_blank=True, required=False)
    target_value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, coerce_to_string=False)

    class Meta:
        model = KPITarget
        fields = ["id", "metric", "target_value", "country", "note"]
        # Uniqueness is checked across the whole list by the campaign serializer.
        validators: list[Validator[Any]] = []


class CampaignSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all(), org_path="id")
    target_countries = fields.StringList(child=fields.CountryField())
    languages = fields.StringList(child=fields.LanguageField())
    themes = fields.StringList()
    events = ScopedPrimaryKeyRelatedField(queryset=Event.objects.all(), many=True, required=False)
    # many=True makes a ListSerializer, which takes max_length; the stubs' Serializer.__init__ doesn't list it.
    kpi_targets = KPITargetSerializer(many=True, required=False, max_length=50)  # type: ignore[call-arg]
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Campaign
        fields = [
            "id", "organization", "name", "objective", "start_date", "end_date", "status", "target_countries",
            "languages", "themes", "events", "kpi_targets", "created_by", "created_at", "updated_at",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        keys = [(t["metric"], t.get("country", "")) for t in attrs.get("kpi_targets", [])]
        if len(keys) != len(set(keys)):
            raise serializers.ValidationError({"kpi_targets": [_("Each metric (and country) may have one target.")]})
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        targets = validated_data.pop("kpi_targets", [])
        events = validated_data.pop("events", [])
        campaign = Campaign.objects.create(**validated_data, created_by=self.context["request"].user)
        campaign.events.set(events)
        KPITarget.objects.bulk_create(KPITarget(campaign=campaign, **t) for t in targets)
        return campaign

    @transaction.atomic
    def update(self, instance, validated_data):
        targets = validated_data.pop("kpi_targets", None)
        campaign = super().update(instance, validated_data)
        if targets is not None:  # the list given replaces the campaign's targets
            campaign.kpi_targets.all().delete()
            KPITarget.objects.bulk_create(KPITarget(campaign=campaign, **t) for t in targets)
        return campaign


class SeriesSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    immutable_fields = ("campaign",)
    campaign = ScopedPrimaryKeyRelatedField(queryset=Campaign.objects.all())
    accounts = ScopedPrimaryKeyRelatedField(queryset=Account.objects.all(), many=True, allow_empty=False)
    listed_dates = serializers.ListField(child=fields.SafeDateField(), required=False, max_length=MAX_SERIES_DAYS)
    timezone = fields.TimezoneField()
    time_of_day = fields.TimeOfDayField(help_text=_("In the audience's time zone, e.g. 09:30."))

    class Meta:
        model = Series
        fields = [
            "id", "campaign", "name", "description", "cadence", "start_date", "end_date", "listed_dates",
            "time_of_day", "timezone", "accounts", "format", "title_template", "created_at",
        ]

    def validate(self, attrs):
        if "listed_dates" in attrs:  # stored as sorted ISO strings, without repeats
            attrs["listed_dates"] = sorted({d.isoformat() for d in attrs["listed_dates"]})
        return super().validate(attrs)


class PostSerializer(ModelRulesSerializer):
    campaign = ScopedPrimaryKeyRelatedField(queryset=Campaign.objects.all(), allow_null=True, required=False)
    series = ScopedPrimaryKeyRelatedField(
        queryset=Series.objects.all(), org_path="campaign__organization", allow_null=True, required=False
    )
    account = ScopedPrimaryKeyRelatedField(queryset=Account.objects.all())
    variant_of = ScopedPrimaryKeyRelatedField(
        queryset=Post.objects.all(), org_path="account__organization", allow_null=True, required=False
    )
    event = ScopedPrimaryKeyRelatedField(queryset=Event.objects.all(), allow_null=True, required=False)
    language = fields.LanguageField(allow_blank=True, required=False)
    hashtags = fields.StringList()
    traits = fields.StringList(child=serializers.ChoiceField(choices=Trait.choices))
    platform = serializers.CharField(source="account.platform", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Post
        fields = [
            "id", "campaign", "series", "account", "platform", "status", "planned_at", "published_at",
            "platform_post_id", "permalink", "format", "title", "body", "language", "variant_of", "event",
            "hashtags", "traits", "created_by", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def create(self, validated_data):
        return super().create({**validated_data, "created_by": self.context["request"].user})


class PostTransitionRecordSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = PostTransition
        fields = ["id", "from_status", "to_status", "by", "comment", "at"]


class PostTransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PostRejectSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("What to change; required."))


class PostPublishSerializer(PostTransitionSerializer):
    published_at = fields.SafeDateTimeField(required=False)
    platform_post_id = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    permalink = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")


class AttachPostsSerializer(serializers.Serializer):
    posts = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                  allow_empty=False, max_length=1000,
                                  help_text=_("Ids of posts of the campaign's organization that are in no campaign."))


class AttachPostsResultSerializer(serializers.Serializer):
    attached = serializers.ListField(child=serializers.IntegerField())


class SeriesGenerateResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    posts = serializers.ListField(child=serializers.IntegerField())


class SeriesPreviewSerializer(serializers.Serializer):
    dates = serializers.ListField(child=serializers.DateTimeField())


class InfluencerSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all(), org_path="id")
    country = fields.CountryField(allow_blank=True, required=False)
    languages = fields.StringList(child=fields.LanguageField())
    topics = fields.StringList()

    class Meta:
        model = Influencer
        fields = ["id", "organization", "name", "country", "languages", "topics", "notes", "created_at"]


class CollaborationSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    immutable_fields = ("campaign",)
    influencer = ScopedPrimaryKeyRelatedField(queryset=Influencer.objects.all())
    campaign = ScopedPrimaryKeyRelatedField(queryset=Campaign.objects.all())
    deliverables = ScopedPrimaryKeyRelatedField(
        queryset=Post.objects.all(), org_path="account__organization", many=True, required=False
    )
    compensation_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, coerce_to_string=False
    )
    compensation_currency = fields.CurrencyField(allow_blank=True, required=False)

    class Meta:
        model = Collaboration
        fields = [
            "id", "influencer", "campaign", "title", "status", "start_date", "end_date", "deliverables",
            "deliverables_description", "compensation_amount", "compensation_currency", "in_kind_terms",
            "sponsorship_disclosed", "content_rights", "outcome_notes", "created_at",
        ]


class ObjectiveSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    immutable_fields = ("campaign",)
    campaign = ScopedPrimaryKeyRelatedField(queryset=Campaign.objects.all())
    target_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, allow_null=True,
                                            required=False, coerce_to_string=False)
    baseline_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, allow_null=True,
                                              required=False, coerce_to_string=False)

    class Meta:
        model = Objective
        fields = ["id", "campaign", "kind", "statement", "indicator", "target", "target_value", "baseline_value",
                  "position"]


class EvidenceSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    immutable_fields = ("objective",)
    objective = ScopedPrimaryKeyRelatedField(queryset=Objective.objects.all(), org_path="campaign__organization")
    observed_on = fields.SafeDateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, allow_null=True, required=False,
                                     coerce_to_string=False)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = ["id", "objective", "level", "kind", "summary", "observed_on", "source", "link", "value",
                  "created_by", "created_at"]



class NotableAccountSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all(), org_path="id")
    country = fields.CountryField(allow_blank=True, required=False)

    class Meta:
        model = NotableAccount
        fields = ["id", "organization", "platform", "handle", "platform_user_id", "name", "kind", "country", "note"]


class AmplificationSerializer(ImmutableOrganizationMixin, ModelRulesSerializer):
    """A reshare, quote, mention or comment by a notable account. Entered through the API, it is a manual entry
    (an evidence link is required); the worker's finds on X are read-only here except for deletion."""

    immutable_fields = ("post",)
    post = ScopedPrimaryKeyRelatedField(queryset=Post.objects.all(), org_path="account__organization")
    notable = ScopedPrimaryKeyRelatedField(queryset=NotableAccount.objects.all())
    notable_name = serializers.CharField(source="notable.name", read_only=True)
    notable_handle = serializers.CharField(source="notable.handle", read_only=True)
    notable_kind = serializers.CharField(source="notable.kind", read_only=True)
    notable_country = serializers.CharField(source="notable.country", read_only=True)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]  # the API's field, not DRF's
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Amplification
        fields = ["id", "post", "notable", "notable_name", "notable_handle", "notable_kind", "notable_country",
                  "kind", "occurred_at", "link", "platform_item_id", "source", "created_by", "created_at"]
        read_only_fields = ["platform_item_id"]


class NotificationSerializer(serializers.ModelSerializer):
    """One of the signed-in user's notifications (read-only; mark read through its own routes)."""

    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)
    post_title = serializers.CharField(source="post.title", default=None, read_only=True, allow_null=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "post", "post_title", "account", "actor", "comment", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, obj: Notification) -> bool:
        return obj.read_at is None


class NotificationsMarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were unread and are read now."))


class MemberSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    user = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "user", "username", "name", "email", "role", "created_at"]
        read_only_fields = ["role", "created_at"]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    expires_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at"]


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
