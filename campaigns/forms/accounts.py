"""Forms of the settings pages: tracked accounts, the personal profile, personal API tokens."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns import access
from campaigns.forms.base import BootstrapMixin, ModelRulesMixin, language_select
from campaigns.models import Account, Influencer, Notification, Organization, Profile
from campaigns.validators import timezone_choices

# --- Accounts --------------------------------------------------------------------------------


class AccountForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
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
        language_select(self)
        self._style()

    def clean(self):
        data = super().clean()
        organization = data.get("organization") or (self.instance.organization if self.instance.pk else None)
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
            account.enter_access_token(token)
        elif self.cleaned_data.get("clear_token"):
            account.enter_access_token("")
        if commit:
            account.save()
        return account


# --- Profile ---------------------------------------------------------------------------------


class ProfileForm(BootstrapMixin, forms.ModelForm):
    # Asked as what to receive; stored as what is turned off, so a new kind reaches everyone by default.
    email_kinds = forms.MultipleChoiceField(
        label=_("E-mail me when"), required=False, choices=Notification.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification is shown under the bell in the navigation bar; these also come by e-mail."),
    )

    class Meta:
        model = Profile
        fields = ["timezone"]
        widgets = {"timezone": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.Select, self.fields["timezone"].widget).choices = timezone_choices()  # named in the UI language
        muted = self.instance.email_muted or []
        self.fields["email_kinds"].initial = [k for k in Notification.Kind.values if k not in muted]
        self._style()

    def save(self, commit: bool = True) -> Profile:
        profile = super().save(commit=False)
        wanted = set(self.cleaned_data.get("email_kinds") or [])
        profile.email_muted = [k for k in Notification.Kind.values if k not in wanted]
        if commit:
            profile.save()
        return profile


LIFETIMES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("1 year")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What the token is for, e.g. “weekly report script”."),
    )
    days = forms.TypedChoiceField(label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=90)


