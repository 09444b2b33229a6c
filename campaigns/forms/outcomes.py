"""Forms of a campaign's objectives and the evidence recorded against them (rules on the models)."""

from __future__ import annotations

from django import forms

from campaigns.forms.base import BootstrapMixin, DateInput, ModelRulesMixin
from campaigns.models import Evidence, Objective


class ObjectiveForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["kind", "statement", "indicator", "target", "target_value", "baseline_value", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


def _https_url_field(db_field, **kwargs):
    # Django 6 makes https the scheme assumed for a link typed without one; say so now.
    if db_field.name == "link":
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class EvidenceForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        formfield_callback = _https_url_field
        fields = ["level", "kind", "summary", "observed_on", "source", "link", "value"]
        widgets = {"observed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
