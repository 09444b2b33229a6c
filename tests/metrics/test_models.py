"""At least one weight above zero: one rule on ScoreWeights, used by the weights page and the admin."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError

from metrics.models import ScoreWeights
from metrics.scoring.forms import ScoreWeightsForm

ZERO = {"timeliness": 0, "authenticity": 0, "format": 0, "interactivity": 0}


def test_the_model_refuses_all_zero_weights():
    with pytest.raises(ValidationError, match="At least one weight must be above zero"):
        ScoreWeights(**ZERO).clean()
    ScoreWeights(**{**ZERO, "format": 1}).clean()


def test_the_weights_page_form_uses_the_model_rule():
    form = ScoreWeightsForm(ZERO)
    assert not form.is_valid() and "At least one weight must be above zero." in form.non_field_errors()
    assert ScoreWeightsForm({**ZERO, "timeliness": 10}).is_valid()


@pytest.mark.django_db
def test_the_admin_form_uses_the_model_rule(org, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    form_class = site._registry[ScoreWeights].get_form(request)
    form = form_class({"organization": org.pk, **ZERO})
    assert not form.is_valid() and "At least one weight must be above zero." in form.non_field_errors()
