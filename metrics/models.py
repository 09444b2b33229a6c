"""Metrics: snapshots read from the platforms, ingestion bookkeeping, scores and daily roll-ups.

Snapshots are never overwritten: each reading is a row keyed by (post, source, slot), so a task
delivered twice writes the same row twice instead of a duplicate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.choices import Platform
from metrics.vocabulary import interactions_of


class Source(models.TextChoices):
    API = "api", _("Platform API")
    CSV = "csv", _("CSV import")
    MANUAL = "manual", _("Manual entry")


class PostMetricSnapshot(models.Model):
    """A post's metrics as read at one moment. A metric the platform does not offer is NULL, not 0."""

    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="snapshots")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    # The time slot (reading time truncated to the hour) is the idempotency key.
    slot = models.DateTimeField()
    captured_at = models.DateTimeField(default=timezone.now)
    api_version = models.CharField(max_length=40, blank=True)
    views = models.BigIntegerField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)
    reactions = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    quotes = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    clicks = models.BigIntegerField(null=True, blank=True)
    video_views = models.BigIntegerField(null=True, blank=True)
    watch_time_seconds = models.BigIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["post", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["post", "source", "slot"], name="snapshot_unique_post_slot")
        ]
        indexes = [models.Index(fields=["post", "-captured_at"])]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.slot:%Y-%m-%d %H:%M} ({self.source})"

    @property
    def interactions(self) -> int | None:
        return interactions_of(self)


class AccountSnapshot(models.Model):
    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="snapshots")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    slot = models.DateTimeField()
    captured_at = models.DateTimeField(default=timezone.now)
    followers = models.BigIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["account", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["account", "source", "slot"], name="account_snapshot_unique_slot")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.slot:%Y-%m-%d %H:%M}: {self.followers}"


class AudienceCountrySlice(models.Model):
    """Audience by country: of an account's followers, or of a post's views (YouTube Analytics)."""

    class Measure(models.TextChoices):
        FOLLOWERS = "followers", _("Followers")
        VIEWS = "views", _("Views")
        # One day's views and watch seconds (YouTube's daily reports); VIEWS is their running total.
        DAY_VIEWS = "day_views", _("Views that day")
        DAY_WATCH = "day_watch", _("Watch time that day (s)")

    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="audience_slices")
    post = models.ForeignKey(
        "campaigns.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="audience_slices"
    )
    measure = models.CharField(max_length=10, choices=Measure.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    day = models.DateField()
    country = models.CharField(max_length=2)
    value = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "measure", "source", "day", "country"],
                condition=Q(post__isnull=True),
                name="audience_unique_account_day",
            ),
            # Without a condition (account-level rows have no post, and NULLs never clash) so that
            # a batch's rows are one upsert: ON CONFLICT cannot name a partial index.
            models.UniqueConstraint(
                fields=["post", "measure", "source", "day", "country"],
                name="audience_unique_post_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.value} {self.measure}"


class PostTracking(models.Model):
    """Adaptive refresh cadence, kept in the database rather than as broker ETAs."""

    post = models.OneToOneField("campaigns.Post", on_delete=models.CASCADE, primary_key=True, related_name="tracking")
    next_refresh_at = models.DateTimeField(db_index=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    # A beat tick claims due posts by writing a claim id and a lease; an expired lease is re-claimable.
    claim_id = models.UUIDField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.post_id} next {self.next_refresh_at:%Y-%m-%d %H:%M}"


class AmplificationCheck(models.Model):
    """How many reshares and quotes of a post the amplification pass has already looked through.

    X lists resharers and quotes newest first, so a pass reads only as many as the counts grew by since the last
    one: a post nobody reshared since costs no request.
    """

    post = models.OneToOneField("campaigns.Post", on_delete=models.CASCADE, primary_key=True,
                                related_name="amplification_check")
    shares_seen = models.BigIntegerField(default=0)
    quotes_seen = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.post_id}: {self.shares_seen} reshares, {self.quotes_seen} quotes seen"


QUESTION_MARKS = ("?", "？", "؟")  # Latin, full-width (Chinese, Japanese), Arabic


class PostComment(models.Model):
    """A comment under one of our posts, or a reply in its thread; `by_owner` when our account wrote it."""

    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="platform_comments")
    platform_comment_id = models.CharField(max_length=100)
    parent_platform_id = models.CharField(max_length=100, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    by_owner = models.BooleanField(default=False)
    is_question = models.BooleanField(default=False)
    # A top-level comment by someone else: when our account first replied in its thread (None: not yet).
    answered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "platform_comment_id"], name="comment_unique_per_post"),
        ]
        indexes = [models.Index(fields=["post", "created_at"], name="comment_post_time")]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.text[:40]}"

    @staticmethod
    def looks_like_question(text: str) -> bool:
        return any(mark in text for mark in QUESTION_MARKS)

    @property
    def platform_url(self) -> str:
        """Where to answer it: the comment on its platform (reading here; replying happens there)."""
        platform, post_id = self.post.account.platform, self.post.platform_post_id
        if platform == "youtube":
            return f"https://www.youtube.com/watch?v={post_id}&lc={self.platform_comment_id}"
        if platform == "x":
            return f"https://x.com/i/status/{self.platform_comment_id}"
        if platform == "facebook":
            return f"https://www.facebook.com/{self.platform_comment_id}"
        return self.post.permalink or "https://www.instagram.com/"


class ConversationCheck(models.Model):
    """How many comments a post had when its conversation was last read: a post with none new is not read."""

    post = models.OneToOneField("campaigns.Post", on_delete=models.CASCADE, primary_key=True,
                                related_name="conversation_check")
    comments_seen = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.post_id}: {self.comments_seen} comments seen"


class PostWorkOwed(models.Model):
    """Follow-up work a post is owed after new snapshots (its roll-ups, its score).

    Written in the same transaction as the snapshots, so the need survives a broker that loses the
    task; the task clears the rows it finished and a beat sweep does whatever is left.
    """

    class Kind(models.TextChoices):
        ROLLUP = "rollup", _("Daily roll-ups")
        RESCORE = "rescore", _("Score")

    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The last time the need was recorded: a sweep leaves young rows to the task sent with them.
    owed_since = models.DateTimeField(default=timezone.now)
    # Who is doing it: a newer need resets the claim, so finishing an older claim never clears it.
    claim_id = models.UUIDField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "kind"], name="post_work_owed_once")]
        indexes = [models.Index(fields=["kind", "owed_since"])]

    def __str__(self) -> str:
        return f"{self.kind} owed to post {self.post_id} since {self.owed_since:%Y-%m-%d %H:%M}"


class AccountIngestionState(models.Model):
    account = models.OneToOneField(
        "campaigns.Account", on_delete=models.CASCADE, primary_key=True, related_name="ingestion_state"
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    backoff_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    posts_synced_until = models.DateTimeField(null=True, blank=True)
    quota_used_pct = models.FloatField(null=True, blank=True)
    quota_detail = models.JSONField(default=dict, blank=True)
    next_account_refresh_at = models.DateTimeField(null=True, blank=True)
    # YouTube's daily bulk reports: the reporting job, the createTime of the newest report stored,
    # when the list was last asked for, and the first day the reports cover (the job's backfill).
    report_job_id = models.CharField(max_length=100, blank=True)
    reports_created_until = models.DateTimeField(null=True, blank=True)
    reports_checked_at = models.DateTimeField(null=True, blank=True)
    reports_cover_from = models.DateField(null=True, blank=True)
    # One batch of the account's posts at a time (metrics/ingestion/limiter.py): the holder's claim
    # id and until when it holds, renewed before each request like the posts' claims.
    batch_holder = models.CharField(max_length=36, blank=True)
    batch_held_until = models.DateTimeField(null=True, blank=True)
    # YouTube: the channel's uploads playlist, kept so a sync lists it without a channels.list call.
    uploads_playlist_id = models.CharField(max_length=100, blank=True)
    # When followers were last read, for connectors that read them less often than they sync.
    account_stats_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"ingestion state of {self.account_id}"


class BudgetPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")


class IngestionBudget(models.Model):
    """What an organization allows ingestion to spend on one platform, in the platform's own unit.

    X bills money per post and per user read (a month's credits), YouTube counts Data API units per
    Pacific day, Graph counts calls per rolling hour: each platform has one period and one unit
    (PLATFORM_TERMS). The planner (metrics/ingestion/budgets.py) writes the projection and the
    slow-down it chose; posts younger than `slow_from_age` keep their cadence.
    """

    class Status(models.TextChoices):
        WITHIN = "within", _("Within budget")
        SLOWED = "slowed", _("Old posts slowed down")
        OVER = "over", _("Over budget even when slowed")
        EXHAUSTED = "exhausted", _("Budget spent: reading paused until the period ends")

    organization = models.ForeignKey("campaigns.Organization", on_delete=models.CASCADE,
                                     related_name="ingestion_budgets", verbose_name=_("organization"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    limit = models.DecimalField(_("limit"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0))])
    projected = models.DecimalField(_("projected"), max_digits=14, decimal_places=2, null=True, blank=True)
    slow_from_age = models.DurationField(_("slowed from age"), null=True, blank=True)
    slow_factor = models.PositiveSmallIntegerField(_("slow-down factor"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WITHIN)
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "platform"], name="budget_org_platform")]
        verbose_name = _("ingestion budget")
        verbose_name_plural = _("ingestion budgets")

    def __str__(self) -> str:
        return f"{self.organization_id} {self.platform} ≤ {self.limit} {self.period}"

    @property
    def period(self) -> str:
        return PLATFORM_TERMS[self.platform][0]

    @property
    def unit(self) -> str:
        return str(PLATFORM_TERMS[self.platform][1])


# Each platform's budget period and unit: X's pay-per-use credits are bought and capped per month
# (docs.x.com/x-api/getting-started/pricing), YouTube's 10,000 units are per day per Google project
# (developers.google.com/youtube/v3/getting-started#quota), Graph's limits are per rolling hour
# (developers.facebook.com/docs/graph-api/overview/rate-limiting).
PLATFORM_TERMS: dict[str, tuple[str, Any]] = {
    "x": (BudgetPeriod.MONTH, _("US dollars")),
    "youtube": (BudgetPeriod.DAY, _("Data API units")),
    "facebook": (BudgetPeriod.HOUR, _("Graph calls")),
    "instagram": (BudgetPeriod.HOUR, _("Graph calls")),
}


class IngestionSpend(models.Model):
    """What one account's ingestion spent in one UTC hour; days and months are sums of hours.

    `calls` are what Graph counts (a batch's sub-requests each), `units` YouTube's Data API units,
    `posts_read` and `users_read` what X bills, and `cost` X's price of those reads when they were made.
    """

    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="ingestion_spend")
    platform = models.CharField(max_length=20)
    hour = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    posts_read = models.PositiveIntegerField(default=0)
    users_read = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal(0))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "hour"], name="spend_account_hour")]
        indexes = [models.Index(fields=["platform", "hour"])]

    def __str__(self) -> str:
        return f"spend of account {self.account_id} at {self.hour:%Y-%m-%d %H:00}"


class IngestionRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCESS = "success", _("Success")
        PARTIAL = "partial", _("Partial")
        FAILED = "failed", _("Failed")

    platform = models.CharField(max_length=20)
    account = models.ForeignKey(
        "campaigns.Account", on_delete=models.CASCADE, null=True, blank=True, related_name="ingestion_runs"
    )
    kind = models.CharField(max_length=30, default="refresh")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Renewed before each platform request: a running run that stops beating lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    requests_made = models.PositiveIntegerField(default=0)
    posts_refreshed = models.PositiveIntegerField(default=0)
    snapshots_written = models.PositiveIntegerField(default=0)
    # [{"code": "190", "message": "...", "permanent": true}, ...]
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["account", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.platform} run {self.pk} ({self.status})"


class MetricImport(models.Model):
    """One uploaded platform export (CSV), imported row by row; progress lives here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="metric_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    detected_format = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    # [{"line": 12, "reason": "..."}, ...]
    row_errors = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"


class ScoreWeights(models.Model):
    """An organization's weights for the overall score (equal by default)."""

    organization = models.OneToOneField(
        "campaigns.Organization", on_delete=models.CASCADE, primary_key=True, related_name="score_weights"
    )
    timeliness = models.PositiveSmallIntegerField(default=25)
    authenticity = models.PositiveSmallIntegerField(default=25)
    format = models.PositiveSmallIntegerField(default=25)
    interactivity = models.PositiveSmallIntegerField(default=25)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")

    def __str__(self) -> str:
        return f"weights of {self.organization_id}"

    # The four principles' weights, by field name (the scoring module names the same four).
    WEIGHT_FIELDS = ("timeliness", "authenticity", "format", "interactivity")

    def clean(self) -> None:
        if not any(getattr(self, name) for name in self.WEIGHT_FIELDS):
            raise ValidationError(_("At least one weight must be above zero."))


class PostScore(models.Model):
    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="scores")
    method_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField(default=timezone.now)
    timeliness = models.FloatField(null=True, blank=True)
    authenticity = models.FloatField(null=True, blank=True)
    format = models.FloatField(null=True, blank=True)
    interactivity = models.FloatField(null=True, blank=True)
    overall = models.FloatField(null=True, blank=True)
    # Components, values, weights and reasons per principle, as the scoring module returns them.
    explanation = models.JSONField(default=dict, blank=True)
    # A digest of what the score was computed from (the post's facts and readings, its baseline posts'
    # readings, the weights): a rescore with the same digest would give the same score, so it is skipped.
    inputs_digest = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "method_version"], name="score_unique_post_method")
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.overall}"


class DailyPostRollup(models.Model):
    """A post's cumulative figures at the end of a day (UTC), so dashboards never scan snapshots."""

    post = models.ForeignKey("campaigns.Post", on_delete=models.CASCADE, related_name="daily_rollups")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.BigIntegerField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)
    reactions = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    interactions = models.BigIntegerField(null=True, blank=True)
    watch_time_seconds = models.BigIntegerField(null=True, blank=True)
    quotes = models.BigIntegerField(null=True, blank=True)
    clicks = models.BigIntegerField(null=True, blank=True)
    video_views = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "day"], name="post_rollup_unique_day")]
        indexes = [models.Index(fields=["campaign", "day"]), models.Index(fields=["account", "day"])]

    def __str__(self) -> str:
        return f"{self.post_id} {self.day}"


class DailyAccountRollup(models.Model):
    account = models.ForeignKey("campaigns.Account", on_delete=models.CASCADE, related_name="daily_rollups")
    day = models.DateField()
    followers = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="account_rollup_unique_day")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}"


class SchedulerHeartbeat(models.Model):
    """Written by a beat entry every minute; /healthz reads how long ago it last ticked."""

    name = models.CharField(max_length=50, primary_key=True)
    last_tick_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.last_tick_at}"
