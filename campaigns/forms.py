"""Forms of the planning pages. Querysets are always narrowed to the user's organizations."""

from __future__ import annotations

import re

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from campaigns import access
from campaigns.models import (
    TIMEZONE_CHOICES,
    Account,
    Campaign,
    Event,
    Influencer,
    KPITarget,
    Organization,
    Post,
    Profile,
    Series,
    Trait,
)

SPLIT_RE = re.compile(r"[\s,;]+")


class ListField(forms.CharField):
    """A JSON list entered as comma- or space-separated words."""

    def __init__(self, *, upper: bool = False, pattern: str | None = None, pattern_message: str = "", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.upper = upper
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_message = pattern_message

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        items = [item for item in SPLIT_RE.split(text) if item]
        if self.upper:
            items = [item.upper() for item in items]
        return list(dict.fromkeys(items))  # drop repeats, keep order

    def validate(self, value) -> None:
        super().validate(value)
        if self.pattern:
            bad = [item for item in value if not self.pattern.fullmatch(item)]
            if bad:
                raise forms.ValidationError(
                    self.pattern_message, params={"values": ", ".join(bad)}, code="invalid"
                )


def country_list_field(label) -> ListField:
    return ListField(
        label=label, upper=True, pattern=r"[A-Z]{2}",
        pattern_message=_("Use two-letter ISO country codes (e.g. US, VN); not understood: %(values)s"),
        help_text=_("Two-letter ISO codes, separated by commas"),
    )


def language_list_field(label) -> ListField:
    return ListField(
        label=label, pattern=r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*",
        pattern_message=_("Use language codes (e.g. en, zh-Hant, ar); not understood: %(values)s"),
        help_text=_("Language codes, separated by commas"),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateTimeField(forms.DateTimeField):
    """A date-time within years people plan for; far-away years would overflow time-zone arithmetic."""

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and not 1970 <= value.year <= 2200:
            raise forms.ValidationError(_("Choose a date between 1970 and 2200."), code="out_of_range")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; the value is read in the user's active time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class BootstrapMixin:
    """Give every widget Bootstrap's classes so templates can loop over fields."""

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


# --- Campaigns -------------------------------------------------------------------------------


class CampaignForm(BootstrapMixin, forms.ModelForm):
    target_countries = country_list_field(_("target countries"))
    languages = language_list_field(_("languages"))
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
        self._style()

    def clean(self):
        data = super().clean()
        organization = data.get("organization") or (self.instance.organization if self.instance.pk else None)
        stray = [e for e in data.get("events") or [] if organization and e.organization_id != organization.pk]
        if stray:
            self.add_error("events", _("These events belong to another organization: %s") % ", ".join(map(str, stray)))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The campaign cannot end before it starts."))
        return data


class KPITargetForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = KPITarget
        fields = ["metric", "target_value", "country", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def clean(self):
        data = super().clean()
        if data.get("metric") == KPITarget.Metric.COUNTRY_VIEW_SHARE and not data.get("country"):
            self.add_error("country", _("Say which country's share of views this target is about."))
        return data


KPITargetFormSet = inlineformset_factory(
    Campaign, KPITarget, form=KPITargetForm, extra=2, can_delete=True
)


# --- Posts -----------------------------------------------------------------------------------


class PostForm(BootstrapMixin, forms.ModelForm):
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
        self.fields["account"].queryset = Account.objects.filter(organization=org)
        self.fields["series"].queryset = Series.objects.filter(campaign=campaign)
        variants = Post.objects.filter(account__organization=org).select_related("account")
        if self.instance.pk:
            variants = variants.exclude(pk=self.instance.pk)
        self.fields["variant_of"].queryset = variants
        self.fields["event"].queryset = Event.objects.filter(organization=org)
        self.fields["planned_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
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
        return {str(a.pk): a.platform for a in self.fields["account"].queryset}


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 2}))


# --- Events ----------------------------------------------------------------------------------


class EventForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["organization", "name", "kind", "starts_at", "ends_at", "country", "timezone", "description"]
        field_classes = {"starts_at": BoundedDateTimeField, "ends_at": BoundedDateTimeField}
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "timezone": forms.Select(choices=TIMEZONE_CHOICES),
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
        self._style()

    def clean_country(self):
        country = (self.cleaned_data.get("country") or "").upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Use a two-letter ISO country code."))
        return country

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return data


# --- Accounts --------------------------------------------------------------------------------


class AccountForm(BootstrapMixin, forms.ModelForm):
    # Write-only: never rendered back (render_value=False); empty keeps the stored token.
    access_token = forms.CharField(
        label=_("access token"), required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the current token."),
    )
    clear_token = forms.BooleanField(label=_("Remove the stored token"), required=False)

    class Meta:
        model = Account
        fields = ["organization", "platform", "handle", "platform_id", "language", "influencer", "connection_state"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        manage_orgs = access.organization_ids_where(user, "manage")
        if self.instance.pk:
            del self.fields["organization"]
            self.fields["influencer"].queryset = Influencer.objects.filter(organization=self.instance.organization)
        else:
            del self.fields["clear_token"]
            self.fields["organization"].queryset = Organization.objects.filter(id__in=manage_orgs)
            if len(manage_orgs) == 1:
                self.fields["organization"].initial = manage_orgs[0]
            self.fields["influencer"].queryset = Influencer.objects.filter(organization_id__in=manage_orgs)
        self._style()

    def clean(self):
        data = super().clean()
        organization = data.get("organization") or (self.instance.organization if self.instance.pk else None)
        influencer = data.get("influencer")
        if organization and influencer and influencer.organization_id != organization.pk:
            self.add_error("influencer", _("This influencer belongs to another organization."))
        # The unique constraint includes the organization, which the edit form does not show.
        if organization and data.get("platform") and data.get("platform_id"):
            clash = Account.objects.filter(
                organization=organization, platform=data["platform"], platform_id=data["platform_id"]
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("platform_id", _("This organization already tracks that account."))
        return data

    def save(self, commit: bool = True) -> Account:
        account = super().save(commit=False)
        token = self.cleaned_data.get("access_token")
        if token:
            account.set_access_token(token)
        elif self.cleaned_data.get("clear_token"):
            account.set_access_token("")
        if commit:
            account.save()
        return account


# --- Profile ---------------------------------------------------------------------------------


class ProfileForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["timezone"]
        widgets = {"timezone": forms.Select(choices=TIMEZONE_CHOICES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


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
