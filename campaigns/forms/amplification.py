"""Forms of the notable-accounts watch list and of an amplification recorded by hand (rules on the models)."""

from __future__ import annotations

from django import forms
from django_countries import countries

from campaigns.forms.base import (
    BootstrapMixin,
    BoundedDateTimeField,
    DateTimeInput,
    ModelRulesMixin,
    https_link_field,
    model_choice_field,
)
from campaigns.models import Amplification, NotableAccount, Organization, Post


class NotableAccountForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = NotableAccount
        fields = ["organization", "platform", "handle", "name", "kind", "country", "note"]

    def __init__(self, *args, org_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        organization = model_choice_field(self, "organization")
        organization.queryset = Organization.objects.filter(id__in=org_ids)
        organization.empty_label = None
        if self.instance.pk:
            organization.disabled = True  # a watch list entry stays with its organization
        # Countries named in the user's language (django-countries), stored as the ISO code.
        self.fields["country"] = forms.ChoiceField(
            label=self.fields["country"].label, required=False, choices=[("", "—"), *countries],
        )
        self._style()



class AmplificationForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Amplification
        formfield_callback = https_link_field
        fields = ["notable", "kind", "occurred_at", "link"]
        field_classes = {"occurred_at": BoundedDateTimeField}
        widgets = {"occurred_at": DateTimeInput()}

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        notable = model_choice_field(self, "notable")
        notable.queryset = NotableAccount.objects.filter(organization_id=post.account.organization_id)
        self._style()
