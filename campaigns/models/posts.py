"""Posts, their review history, and collaborations with influencers."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.choices import PostFormat, Trait
from campaigns.models.organizations import Account, Influencer
from campaigns.models.planning import Campaign, Event, Series
from campaigns.validators import (
    validate_currency,
    validate_language,
)


class PostQuerySet(models.QuerySet):
    def overdue(self, *, now=None) -> PostQuerySet:
        """Plans that slipped: their planned time has passed and they are not published (Post.is_overdue)."""
        return self.filter(status__in=Post.SLIPPABLE, planned_at__lt=now or timezone.now())

    def still_planned(self) -> PostQuerySet:
        """Posts with a planned time that are on their way to publication (ideas are not plans yet)."""
        return self.filter(status__in=(*Post.SLIPPABLE, Post.Status.SCHEDULED), planned_at__isnull=False)


class Post(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="posts", verbose_name=_("campaign"),
        help_text=_("empty for posts found on an account that were never planned"),
    )
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("series")
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="posts", verbose_name=_("account"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDEA)
    planned_at = models.DateTimeField(_("planned time"), null=True, blank=True)
    published_at = models.DateTimeField(_("published time"), null=True, blank=True)
    platform_post_id = models.CharField(_("platform id"), max_length=100, blank=True)
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=PostFormat.choices, default=PostFormat.IMAGE)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True, validators=[validate_language])
    variant_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="variants",
        verbose_name=_("translated variant of"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts", verbose_name=_("event")
    )
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    traits = models.JSONField(_("traits"), default=list, blank=True, help_text=_("declared traits"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    # Not columns. Set for one save and read by django-simple-history as its record's reason:
    _change_reason: str
    # Set by the calendar and series pages for their templates (campaigns.calendar.STATUS_COLOURS):
    colour: str

    class Meta:
        ordering = ["planned_at", "id"]
        indexes = [
            models.Index(fields=["account", "published_at"]),
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["planned_at"]),
            # Found posts (API, CSV) are matched to planned ones by permalink when they have no id yet.
            models.Index(fields=["account", "permalink"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform_post_id"],
                condition=~Q(platform_post_id=""),
                name="post_unique_platform_id",
            )
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.title or self.body[:60] or f"Post {self.pk}"

    # A plan slips when its time passes before it is published; a scheduled post is the publisher's to
    # handle at its time, and an idea has no commitment yet.
    SLIPPABLE = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)

    @property
    def is_overdue(self) -> bool:
        return self.status in self.SLIPPABLE and self.planned_at is not None and self.planned_at < timezone.now()

    @property
    def platform(self) -> str:
        return self.account.platform

    def clean(self) -> None:
        from campaigns.limits import platform_limit_errors

        unknown = set(self.traits or []) - set(Trait.values)
        if unknown:
            raise ValidationError({"traits": _("Unknown traits: %s") % ", ".join(sorted(unknown))})
        if not self.account_id:
            return
        errors = dict(self._relation_errors(self.account.organization_id))
        errors.update(platform_limit_errors(
            platform=self.account.platform, title=self.title, body=self.body, hashtags=self.hashtags or []
        ))
        if errors:
            raise ValidationError(errors)

    def _relation_errors(self, org_id: int):
        """Everything a post points at belongs to its account's organization (and the series to its campaign)."""
        if self.campaign is not None and self.campaign.organization_id != org_id:
            yield "campaign", _("The campaign belongs to another organization than the account.")
        if self.series is not None and self.series.campaign_id != self.campaign_id:
            yield "series", _("The series belongs to another campaign.")
        if self.variant_of is not None and self.variant_of.account.organization_id != org_id:
            yield "variant_of", _("The original post belongs to another organization.")
        elif self.variant_of_id and self.variant_of_id == self.pk:
            yield "variant_of", _("A post cannot be a variant of itself.")
        if self.event is not None and self.event.organization_id != org_id:
            yield "event", _("The event belongs to another organization.")


class PostTransition(models.Model):
    """One step of the review workflow, with who took it and why (a rejection's comment)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("post"))
    from_status = models.CharField(max_length=20, choices=Post.Status.choices)
    to_status = models.CharField(max_length=20, choices=Post.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.from_status} → {self.to_status}"


class Collaboration(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")

    influencer = models.ForeignKey(
        Influencer, on_delete=models.CASCADE, related_name="collaborations", verbose_name=_("influencer")
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="collaborations", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    deliverables = models.ManyToManyField(
        Post, blank=True, related_name="collaborations", verbose_name=_("deliverables")
    )
    deliverables_description = models.TextField(_("agreed deliverables"), blank=True)
    compensation_amount = models.DecimalField(
        _("compensation"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    compensation_currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency])
    in_kind_terms = models.TextField(_("in-kind terms"), blank=True)
    sponsorship_disclosed = models.BooleanField(_("government sponsorship disclosed"), default=False)
    content_rights = models.TextField(_("content rights"), blank=True)
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.influencer_id and self.campaign_id and self.influencer.organization_id != self.campaign.organization_id:
            errors["influencer"] = _("The influencer belongs to another organization than the campaign.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end must not be before the start.")
        if errors:
            raise ValidationError(errors)

    def clean_deliverables(self, posts) -> None:
        """Checked before the many-to-many is set: posts of the campaign's organization only."""
        if any(post.account.organization_id != self.campaign.organization_id for post in posts):
            raise ValidationError({"deliverables": _("A deliverable belongs to another organization.")})
