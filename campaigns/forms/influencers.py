"""Forms of the influencer directory and the collaboration board."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import validators
from campaigns.forms.base import ModelRulesMixin, model_choice_field, set_choice_label
from campaigns.models import Campaign, Collaboration, Influencer, Organization, Post


def _split_list(text: str) -> list[str]:
    """'ar, en; fr' → ['ar', 'en', 'fr'] (order kept, duplicates and blanks dropped)."""
    seen: list[str] = []
    for item in re.split(r"[,;\n]+", text or ""):
        item = item.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "6")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


# --- Influencers ----------------------------------------------------------------------------------


class InfluencerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=2)
    language = forms.CharField(label=gettext_lazy("Language"), required=False, max_length=16)
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False, max_length=100)


class InfluencerForm(ModelRulesMixin, forms.ModelForm):
    # Longer than the column so that "Kuwait" gets the helpful message, not "at most 2 characters".
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=64,
                              help_text=gettext_lazy("ISO 3166 code"))
    languages_text = forms.CharField(
        label=gettext_lazy("Languages"), required=False, max_length=200,
        help_text=gettext_lazy("Language codes separated by commas, e.g. ar, en"),
    )
    topics_text = forms.CharField(
        label=gettext_lazy("Topics"), required=False, max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. food, travel"),
    )

    class Meta:
        model = Influencer
        fields = ["organization", "name", "country", "languages_text", "topics_text", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, org_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        organization = model_choice_field(self, "organization")
        organization.queryset = Organization.objects.filter(id__in=org_ids)
        organization.empty_label = None
        if self.instance.pk:
            # An influencer stays with the organization that keeps its record.
            self.fields["organization"].disabled = True
            self.initial["languages_text"] = ", ".join(self.instance.languages or [])
            self.initial["topics_text"] = ", ".join(self.instance.topics or [])
        _style(self)

    def clean_country(self) -> str:
        country = (self.cleaned_data.get("country") or "").strip().upper()
        validators.validate_country(country)  # here, before the column's "at most 2 characters"
        return country

    def clean_languages_text(self) -> list[str]:
        languages = _split_list((self.cleaned_data.get("languages_text") or "").lower())
        validators.validate_language_list(languages)  # the model field's rule; this form shows it as text
        return languages

    def clean_topics_text(self) -> list[str]:
        return _split_list(self.cleaned_data.get("topics_text", ""))

    def save(self, commit: bool = True) -> Influencer:
        self.instance.languages = self.cleaned_data["languages_text"]
        self.instance.topics = self.cleaned_data["topics_text"]
        return super().save(commit=commit)




# --- Collaborations -------------------------------------------------------------------------------


class CollaborationForm(ModelRulesMixin, forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = [
            "title", "campaign", "influencer", "start_date", "end_date", "deliverables_description",
            "deliverables", "compensation_amount", "compensation_currency", "in_kind_terms",
            "sponsorship_disclosed", "content_rights", "outcome_notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deliverables_description": forms.Textarea(attrs={"rows": 3}),
            "in_kind_terms": forms.Textarea(attrs={"rows": 2}),
            "content_rights": forms.Textarea(attrs={"rows": 2}),
            "outcome_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "deliverables": gettext_lazy(
                "Posts on the influencer's accounts that this collaboration delivers (Ctrl or ⌘ to choose several)."
            ),
            "sponsorship_disclosed": gettext_lazy("The posts say openly that a government sponsors them."),
        }

    def __init__(self, *args, org_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "campaign").queryset = Campaign.objects.filter(organization_id__in=org_ids)
        model_choice_field(self, "influencer").queryset = Influencer.objects.filter(organization_id__in=org_ids)
        deliverables = model_choice_field(self, "deliverables")
        deliverables.queryset = (
            Post.objects.filter(account__organization_id__in=org_ids, account__influencer__isnull=False)
            .select_related("account__influencer")
            .order_by("account__influencer__name", "planned_at")
        )
        set_choice_label(deliverables, lambda p: f"{p.account.influencer} · {p.account} · {p}")
        deliverables.required = False
        _style(self)

    def clean_compensation_currency(self) -> str:
        currency = (self.cleaned_data.get("compensation_currency") or "").strip().upper()
        validators.validate_currency(currency)  # here, before the column's "at most 3 characters"
        return currency

    def clean(self):
        data = super().clean()
        influencer = data.get("influencer")
        # This page offers only influencers' posts; the model checks the organization for both ways in.
        if influencer:
            foreign = [p for p in data.get("deliverables") or [] if p.account.influencer_id != influencer.pk]
            if foreign:
                self.add_error(
                    "deliverables",
                    _("Deliverables must be posts on this influencer's accounts: %(posts)s")
                    % {"posts": ", ".join(str(p) for p in foreign[:3])},
                )
        if data.get("compensation_amount") is not None and not data.get("compensation_currency"):
            self.add_error("compensation_currency", _("Give the currency of the compensation."))
        return data
