"""What is planned: events, campaigns with their KPI targets, and series of posts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.choices import PostFormat
from campaigns.models.organizations import Account, Organization
from campaigns.validators import (
    validate_country,
    validate_country_list,
    validate_language_list,
    validate_timezone,
)


class Event(models.Model):
    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("Assembly")
        NATIONAL_DAY = "national_day", _("National day")
        ANNIVERSARY = "anniversary", _("Anniversary")
        VISIT = "visit", _("Visit")
        FORUM = "forum", _("Forum")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="events", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country], help_text=_("ISO 3166 code")
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            )
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    target_countries = models.JSONField(
        _("target countries"), default=list, blank=True, validators=[validate_country_list]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True, validators=[validate_language_list])
    themes = models.JSONField(_("themes"), default=list, blank=True)
    events = models.ManyToManyField(Event, blank=True, related_name="campaigns", verbose_name=_("events"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="campaign_ends_after_start"
            )
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})

    def clean_events(self, events) -> None:
        """A many-to-many is set after saving, so forms and the API check the chosen events here first."""
        stray = [event for event in events if event.organization_id != self.organization_id]
        if stray:
            raise ValidationError({"events": _("These events belong to another organization: %(events)s")
                                   % {"events": ", ".join(map(str, stray))}})


class KPITarget(models.Model):
    class Metric(models.TextChoices):
        VIEWS = "views", _("Views")
        INTERACTIONS = "interactions", _("Interactions")
        INTERACTION_RATE = "interaction_rate", _("Interaction rate %")
        FOLLOWER_GROWTH_PCT = "follower_growth_pct", _("Follower growth %")
        COUNTRY_VIEW_SHARE = "country_view_share", _("Share of views from a country %")
        POSTS_PUBLISHED = "posts_published", _("Posts published")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="kpi_targets", verbose_name=_("campaign")
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country],
        help_text=_("for the share-of-views metric"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "metric", "country"], name="kpi_unique_metric"),
            models.CheckConstraint(
                condition=~Q(metric="country_view_share") | ~Q(country=""),
                name="kpi_country_share_needs_country",
            ),
        ]
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")

    def __str__(self) -> str:
        suffix = f" ({self.country})" if self.country else ""
        return f"{self.get_metric_display()}{suffix}: {self.target_value}"

    def clean(self) -> None:
        if self.metric == self.Metric.COUNTRY_VIEW_SHARE and not self.country:
            raise ValidationError({"country": _("Say which country's share of views this target is about.")})


class Series(models.Model):
    class Cadence(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKDAYS = "weekdays", _("Weekdays")
        WEEKLY = "weekly", _("Weekly")
        DATES = "dates", _("Listed dates")

    # A series is a run of posts, not a year-round schedule.
    MAX_DAYS = 366

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="series", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.DAILY)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    listed_dates = models.JSONField(
        _("listed dates"), default=list, blank=True, help_text=_("ISO dates, for the 'listed dates' cadence")
    )
    time_of_day = models.TimeField(_("time of day"), help_text=_("in the audience's time zone"))
    timezone = models.CharField(_("audience time zone"), max_length=64, validators=[validate_timezone])
    accounts = models.ManyToManyField(Account, related_name="series", verbose_name=_("accounts"))
    format = models.CharField(_("format"), max_length=20, choices=PostFormat.choices, default=PostFormat.IMAGE)
    title_template = models.CharField(
        _("title template"), max_length=200, blank=True, help_text=_("{n} is replaced by the post's number")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="series_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        start, end = self.start_date, self.end_date
        if start and end and end < start:
            raise ValidationError({"end_date": _("The last day must not be before the first day.")})
        if start and end and (end - start).days + 1 > self.MAX_DAYS:
            raise ValidationError({"end_date": _("A series can span at most %(n)d days.") % {"n": self.MAX_DAYS}})
        listed = [dt.date.fromisoformat(d) if isinstance(d, str) else d for d in self.listed_dates or []]
        if self.cadence == self.Cadence.DATES and not listed:
            raise ValidationError({"listed_dates": _("List at least one date.")})
        if start and end and any(not start <= day <= end for day in listed):
            raise ValidationError({"listed_dates": _("Listed dates must fall between the first and last day.")})

    def clean_accounts(self, accounts) -> None:
        """Checked before the many-to-many is set: the campaign's organization's accounts only."""
        if any(account.organization_id != self.campaign.organization_id for account in accounts):
            raise ValidationError({"accounts": _("An account belongs to another organization.")})
