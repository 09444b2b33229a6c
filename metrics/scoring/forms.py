"""The four weights of an organization's overall score, as a form (weights page and admin preview)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from metrics import scoring
from metrics.models import ScoreWeights


class ScoreWeightsForm(forms.Form):
    timeliness = forms.IntegerField(label=_("Timeliness"), min_value=0, max_value=100)
    authenticity = forms.IntegerField(label=_("Authenticity"), min_value=0, max_value=100)
    format = forms.IntegerField(label=_("Experimenting with new formats"), min_value=0, max_value=100)
    interactivity = forms.IntegerField(label=_("Interactivity (building community)"), min_value=0, max_value=100)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if all(data.get(p) is not None for p in scoring.PRINCIPLES):
            ScoreWeights(**{p: data[p] for p in scoring.PRINCIPLES}).clean()  # the rule lives on the model
        return data

    def weights(self) -> scoring.Weights:
        return scoring.Weights(**{p: self.cleaned_data[p] for p in scoring.PRINCIPLES})
