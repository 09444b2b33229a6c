"""The sandbox's own table: faults it injects. It belongs to the `metrics` app (its table stays
`metrics_sandboxfault`) and is registered by `MetricsConfig.ready()`, so product code never imports it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxFault(models.Model):
    """A fault the built-in sandbox injects for one platform account (tests, demos, the admin)."""

    class Kind(models.TextChoices):
        RATE_LIMIT = "rate_limit", _("Rate limited")
        EXPIRED_TOKEN = "expired_token", _("Expired token")
        SERVER_ERROR = "server_error", _("5xx burst")
        SLOW = "slow", _("Slow replies")
        MALFORMED = "malformed", _("Malformed body")

    platform = models.CharField(max_length=20)
    account_platform_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # How many more requests it affects; NULL means every request until disabled.
    remaining = models.PositiveIntegerField(null=True, blank=True)
    delay_seconds = models.FloatField(default=0)
    options = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["platform", "account_platform_id"])]

    def __str__(self) -> str:
        return f"{self.platform}:{self.account_platform_id} {self.kind}"


class SandboxReportingJob(models.Model):
    """A YouTube Reporting API job the sandbox was asked to create (jobs.create); reports derive from it."""

    channel_id = models.CharField(max_length=100)
    report_type_id = models.CharField(max_length=60)
    job_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel_id", "report_type_id"], name="sandbox_one_job_per_report_type")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.report_type_id}"


class SandboxCallCount(models.Model):
    """Requests counted against one rate window (platform, account or token, window start).

    In the database rather than a per-process cache, so that the web server's threads and
    processes (gunicorn workers, a test's live server) all count against the same window.
    """

    key = models.CharField(max_length=300, unique=True)
    calls = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.calls}"


class SandboxXUser(models.Model):
    """An X user the sandbox has served, by the 16-bit bucket its post ids carry.

    A synthetic X post id holds only its author's bucket, not the id; a lookup of the post finds
    its author here, as X always names the author, whoever it is.
    """

    user_id = models.CharField(max_length=19, unique=True)
    bucket = models.PositiveIntegerField(db_index=True)

    def __str__(self) -> str:
        return self.user_id
