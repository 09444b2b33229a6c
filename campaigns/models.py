"""Campaign planning: organizations, accounts, events, campaigns, series, posts, influencers.

Models enforce the rules of a single row; work across models lives in services.py.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns import crypto

TIMEZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    VIEWER = "viewer", _("Viewer")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X")
    YOUTUBE = "youtube", _("YouTube")


class Organization(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry department")
        MISSION = "mission", _("Mission abroad")
        CITY = "city", _("City government")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_timezone]
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


class Profile(models.Model):
    """Per-user preferences: the time zone every date is shown in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Taipei", validators=[validate_timezone]
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.timezone})"


class Influencer(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="influencers")
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("language codes"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("influencer")
        verbose_name_plural = _("influencers")

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """One social account on one platform, tracked by an organization.

    Owned by the organization itself, or by an influencer it works with (``influencer`` set).
    """

    class Connection(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs reconnect")
        NOT_CONNECTED = "not_connected", _("Not connected")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="accounts")
    influencer = models.ForeignKey(
        Influencer, on_delete=models.SET_NULL, null=True, blank=True, related_name="accounts"
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=200)
    platform_id = models.CharField(_("platform id"), max_length=100)
    language = models.CharField(_("language"), max_length=16, blank=True)
    connection_state = models.CharField(
        _("connection"), max_length=20, choices=Connection.choices, default=Connection.NOT_CONNECTED
    )
    connection_error = models.TextField(_("last connection error"), blank=True)
    # Fernet ciphertext; write through set_access_token(), never shown again after entry.
    access_token_encrypted = models.TextField(blank=True, editable=False)
    access_token_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "platform", "platform_id"], name="account_unique_platform_id"
            )
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"

    @property
    def has_access_token(self) -> bool:
        return bool(self.access_token_encrypted)

    def set_access_token(self, token: str) -> None:
        self.access_token_encrypted = crypto.encrypt(token) if token else ""
        self.access_token_set_at = timezone.now() if token else None

    def get_access_token(self) -> str:
        return crypto.decrypt(self.access_token_encrypted) if self.access_token_encrypted else ""


class Event(models.Model):
    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("Assembly")
        NATIONAL_DAY = "national_day", _("National day")
        ANNIVERSARY = "anniversary", _("Anniversary")
        VISIT = "visit", _("Visit")
        FORUM = "forum", _("Forum")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
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


class Campaign(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    objective = models.TextField(_("objective"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    target_countries = models.JSONField(_("target countries"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    events = models.ManyToManyField(Event, blank=True, related_name="campaigns", verbose_name=_("events"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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


class KPITarget(models.Model):
    class Metric(models.TextChoices):
        VIEWS = "views", _("Views")
        INTERACTIONS = "interactions", _("Interactions")
        INTERACTION_RATE = "interaction_rate", _("Interaction rate %")
        FOLLOWER_GROWTH_PCT = "follower_growth_pct", _("Follower growth %")
        COUNTRY_VIEW_SHARE = "country_view_share", _("Share of views from a country %")
        POSTS_PUBLISHED = "posts_published", _("Posts published")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kpi_targets")
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("for the share-of-views metric")
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


class PostFormat(models.TextChoices):
    TEXT = "text", _("Text")
    LINK = "link", _("Link")
    IMAGE = "image", _("Image")
    CAROUSEL = "carousel", _("Carousel")
    VIDEO = "video", _("Video")
    SHORT_VIDEO = "short_video", _("Short video / reel")
    STORY = "story", _("Story")
    LIVE = "live", _("Live")
    POLL = "poll", _("Poll")


class Trait(models.TextChoices):
    """Declared traits of a post, read by the four-principle scoring."""

    BEHIND_THE_SCENES = "behind_the_scenes", _("Behind the scenes")
    REAL_PERSON = "real_person", _("Features a real person speaking")
    ORIGINAL_FOOTAGE = "original_footage", _("Original footage")
    USER_GENERATED = "user_generated", _("User-generated content")
    CALL_TO_ACTION = "call_to_action", _("Question / call to action")
    POLL = "poll", _("Poll")
    PRIZE_DRAW = "prize_draw", _("Prize draw")
    LIVE_QA = "live_qa", _("Live Q&A")


class Series(models.Model):
    class Cadence(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKDAYS = "weekdays", _("Weekdays")
        WEEKLY = "weekly", _("Weekly")
        DATES = "dates", _("Listed dates")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="series")
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


class Post(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="posts",
        help_text=_("empty for posts found on an account that were never planned"),
    )
    series = models.ForeignKey(Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="posts")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDEA)
    planned_at = models.DateTimeField(_("planned time"), null=True, blank=True)
    published_at = models.DateTimeField(_("published time"), null=True, blank=True)
    platform_post_id = models.CharField(_("platform id"), max_length=100, blank=True)
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=PostFormat.choices, default=PostFormat.IMAGE)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

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

    @property
    def platform(self) -> str:
        return self.account.platform

    def clean(self) -> None:
        from campaigns.limits import platform_limit_errors

        unknown = set(self.traits or []) - set(Trait.values)
        if unknown:
            raise ValidationError({"traits": _("Unknown traits: %s") % ", ".join(sorted(unknown))})
        if self.account_id and self.campaign_id and self.account.organization_id != self.campaign.organization_id:
            raise ValidationError({"account": _("The account belongs to another organization.")})
        if self.account_id:
            errors = platform_limit_errors(
                platform=self.account.platform, title=self.title, body=self.body, hashtags=self.hashtags or []
            )
            if errors:
                raise ValidationError(errors)


class PostTransition(models.Model):
    """One step of the review workflow, with who took it and why (a rejection's comment)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Post.Status.choices)
    to_status = models.CharField(max_length=20, choices=Post.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
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

    influencer = models.ForeignKey(Influencer, on_delete=models.CASCADE, related_name="collaborations")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="collaborations")
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
    compensation_currency = models.CharField(_("currency"), max_length=3, blank=True)
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


class ApiToken(models.Model):
    """A personal API token: shown once at creation, stored as a SHA-256 hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
