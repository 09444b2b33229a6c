"""Forms of a campaign's objectives and the evidence recorded against them (rules on the models)."""

from __future__ import annotations

from django import forms

from campaigns.forms.base import BootstrapMixin, DateInput, ModelRulesMixin, https_link_field
from campaigns.models import Evidence, Objective


class ObjectiveForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["kind", "statement", "indicator", "target", "target_value", "baseline_value", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()



class EvidenceForm(ModelRulesMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        formfield_callback = https_link_field
        fields = ["level", "kind", "summary", "observed_on", "source", "link", "value"]
        widgets = {"observed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
