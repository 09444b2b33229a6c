"""Forms of the planning pages: campaigns and their KPI targets, posts, events (choices in the user's organizations)."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from campaigns import access, validators
from campaigns.forms.base import (
    BootstrapMixin,
    BoundedDateTimeField,
    DateInput,
    DateTimeInput,
    ListField,
    ModelRulesMixin,
    language_select,
    model_choice_field,
)
from campaigns.models import Account, Campaign, Event, KPITarget, Organization, Post, Series, Trait
from campaigns.validators import timezone_choices

# --- Campaigns -------------------------------------------------------------------------------


def _kept(choices: list[tuple[str, str]], stored: list[str] | None) -> list[tuple[str, str]]:
    """The list's choices, plus any stored code it no longer lists, so that saving never drops one silently."""
    known = {value for value, _label in choices}
    return choices + [(code, code) for code in stored or [] if code not in known]


class CampaignForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    # Chosen from lists named in the user's language (django-countries, CLDR); the model validates the codes.
    target_countries = forms.MultipleChoiceField(label=_("target countries"), required=False,
                                                 help_text=_("Choose one or more (Ctrl or ⌘ and click)."))
    languages = forms.MultipleChoiceField(label=_("languages"), required=False,
                                          help_text=_("Choose one or more (Ctrl or ⌘ and click)."))
    themes = ListField(label=_("themes"), help_text=_("Separated by commas"))

    class Meta:
        model = Campaign
        fields = [
            "organization", "name", "objective", "start_date", "end_date", "status",
            "target_countries", "languages", "themes", "events",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "events": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plan_orgs = access.organization_ids_where(user, "plan")
        if self.instance.pk:
            # A campaign stays in its organization.
            del self.fields["organization"]
            self.fields["events"].queryset = Event.objects.filter(organization=self.instance.organization)
        else:
            self.fields["organization"].queryset = Organization.objects.filter(id__in=plan_orgs)
            if len(plan_orgs) == 1:
                self.fields["organization"].initial = plan_orgs[0]
            self.fields["events"].queryset = Event.objects.filter(organization_id__in=plan_orgs)
        countries_field = cast(forms.MultipleChoiceField, self.fields["target_countries"])
        countries_field.choices = _kept(list(countries), self.instance.target_countries)
        languages_field = cast(forms.MultipleChoiceField, self.fields["languages"])
        languages_field.choices = _kept(validators.language_choices(), self.instance.languages)
        for name in ("target_countries", "languages"):
            self.fields[name].widget.attrs.update(size="8")
        self._style()


class KPITargetForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = KPITarget
        fields = ["metric", "target_value", "country", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()


KPITargetFormSet = inlineformset_factory(
    Campaign, KPITarget, form=KPITargetForm, extra=2, can_delete=True
)


# --- Posts -----------------------------------------------------------------------------------


class PostForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    hashtags = ListField(label=_("hashtags"), help_text=_("Separated by spaces or commas; the # is optional"))
    traits = forms.MultipleChoiceField(
        label=_("traits"), choices=Trait.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("What the post declares; the scoring reads these."),
    )

    class Meta:
        model = Post
        fields = [
            "account", "series", "planned_at", "format", "title", "body", "language",
            "variant_of", "event", "hashtags", "traits",
        ]
        field_classes = {"planned_at": BoundedDateTimeField}
        widgets = {
            "planned_at": DateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        org = campaign.organization
        model_choice_field(self, "account").queryset = Account.objects.filter(organization=org)
        model_choice_field(self, "series").queryset = Series.objects.filter(campaign=campaign)
        variants = Post.objects.filter(account__organization=org).select_related("account")
        if self.instance.pk:
            variants = variants.exclude(pk=self.instance.pk)
        model_choice_field(self, "variant_of").queryset = variants
        model_choice_field(self, "event").queryset = Event.objects.filter(organization=org)
        planned_at = cast(forms.DateTimeField, self.fields["planned_at"])
        planned_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        language_select(self)
        self._style()
        # The live counter needs each account's platform.
        self.fields["account"].widget.attrs["data-counter-platform"] = "1"

    def clean_body(self) -> str:
        # Browsers send line breaks as CRLF; count and store them as one character, as the platforms do.
        return (self.cleaned_data.get("body") or "").replace("\r\n", "\n")

    def clean_hashtags(self) -> list[str]:
        tags = [tag.lstrip("#") for tag in self.cleaned_data.get("hashtags") or []]
        bad = [tag for tag in tags if not re.fullmatch(r"\w+", tag)]
        if bad:
            raise forms.ValidationError(
                _("Hashtags are single words of letters, digits or _; not understood: %s") % ", ".join(bad)
            )
        return tags

    def account_platforms(self) -> dict[str, str]:
        accounts = model_choice_field(self, "account").queryset
        assert accounts is not None  # set in __init__
        return {str(a.pk): a.platform for a in accounts}


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 2}))


# --- Events ----------------------------------------------------------------------------------


class EventForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["organization", "name", "kind", "starts_at", "ends_at", "country", "timezone", "description"]
        field_classes = {"starts_at": BoundedDateTimeField, "ends_at": BoundedDateTimeField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "timezone": forms.Select,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            org_ids = access.organization_ids_where(user, "plan")
            self.fields["organization"].queryset = Organization.objects.filter(id__in=org_ids)
            if len(org_ids) == 1:
                self.fields["organization"].initial = org_ids[0]
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        cast(forms.Select, self.fields["timezone"].widget).choices = timezone_choices()  # named in the UI language
        self._style()

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()


# --- Campaign list filters -------------------------------------------------------------------


class CampaignFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Campaign.Status.choices]
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False,
        empty_label=_("All organizations"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = access.organizations_for(user)
        self._style()


class AttachPostsForm(BootstrapMixin, forms.Form):
    """Give one account's posts that are in no campaign to one of its organization's campaigns."""

    # The most recent; older ones are reached through the API (POST /api/v1/campaigns/{id}/attach-posts/).
    SHOWN = 100

    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none())
    posts = forms.ModelMultipleChoiceField(label=_("Posts in no campaign"), queryset=Post.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = cast(forms.ModelChoiceField, self.fields["campaign"])
        campaign.queryset = Campaign.objects.filter(organization_id=account.organization_id)
        loose = Post.objects.filter(account=account, campaign__isnull=True).order_by("-published_at", "-id")
        posts = cast(forms.ModelMultipleChoiceField, self.fields["posts"])
        posts.queryset = Post.objects.filter(pk__in=loose.values("pk")[: self.SHOWN]).order_by("-published_at", "-id")
        self._style()
