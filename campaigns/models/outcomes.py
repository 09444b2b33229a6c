"""What a campaign is for and what changed: objectives and the evidence of out-takes, outcomes and impact.

The chain follows the AMEC Integrated Evaluation Framework (outputs → out-takes → outcomes → impact) and
the UK Government Communication Service's OASIS plan (objectives first, each with an indicator and a
target). Outputs are our own platform figures, computed by the metrics app; everything after them is
evidence a team records: a poll, media pickup, an official's statement, an event's attendance, a partner's
action — dated, sourced and tied to one objective.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models.planning import Campaign

# Evidence may predate a campaign (a baseline poll) but not by more than this, and is never in the future.
EVIDENCE_BASELINE_DAYS = 366


class Objective(models.Model):
    class Kind(models.TextChoices):
        # The three communication objectives of the GCS framework.
        INFORM = "inform", _("Inform or explain policy")
        ATTITUDE = "attitude", _("Change attitudes or reputation")
        BEHAVIOUR = "behaviour", _("Change behaviour")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    statement = models.CharField(_("objective"), max_length=300,
                                 help_text=_("What should change, for whom, by when."))
    indicator = models.CharField(_("indicator"), max_length=200,
                                 help_text=_("How the change is observed, e.g. share of respondents who agree."))
    target = models.CharField(_("target"), max_length=120, blank=True,
                              help_text=_("The target as people say it, e.g. “60 % agree by June”."))
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("A number to compare evidence values with (optional)."),
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.statement


class Evidence(models.Model):
    class Level(models.TextChoices):
        OUTTAKE = "outtake", _("Out-take")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey or poll result")
        MEDIA = "media", _("Media pickup")
        STATEMENT = "statement", _("Official's statement")
        EVENT = "event", _("Offline event")
        PARTNER_ACTION = "partner_action", _("Partner's action")
        OTHER = "other", _("Other")

    # Kinds whose evidence is a number: a poll's result, an event's attendance.
    NEEDS_VALUE: ClassVar[dict[str, Any]] = {Kind.SURVEY: _("Give the poll's result as a number."),
                   Kind.EVENT: _("Give the attendance as a number.")}

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("objective")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("summary"), max_length=300)
    observed_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=200, help_text=_("Who reported it: pollster, outlet, office."))
    link = models.URLField(_("link"), max_length=500, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["observed_on", "id"]
        indexes = [models.Index(fields=["objective", "observed_on"], name="evidence_objective_day")]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.summary

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in self.NEEDS_VALUE and self.value is None:
            errors["value"] = str(self.NEEDS_VALUE[self.kind])
        if self.kind == self.Kind.MEDIA and not self.link:
            errors["link"] = str(_("Link to the article or broadcast."))
        if self.observed_on:
            today = timezone.localdate()
            if self.observed_on > today:
                errors["observed_on"] = str(_("Evidence is recorded once it exists: the date cannot be in the future."))
            campaign = self.objective.campaign if self.objective_id else None
            if campaign and self.observed_on < campaign.start_date - dt.timedelta(days=EVIDENCE_BASELINE_DAYS):
                errors["observed_on"] = str(_("More than a year before the campaign starts: not evidence of it."))
        if errors:
            raise ValidationError(errors)
