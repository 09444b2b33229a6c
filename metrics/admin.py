from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from metrics.models import (
    AccountIngestionState,
    AccountSnapshot,
    AudienceCountrySlice,
    IngestionRun,
    MetricImport,
    PostMetricSnapshot,
    PostScore,
    PostTracking,
    SandboxFault,
    ScoreWeights,
)
from metrics.sandbox.forms import SandboxFaultForm
from metrics.sandbox.profiles import ACCOUNTS


@admin.register(PostMetricSnapshot)
class PostMetricSnapshotAdmin(admin.ModelAdmin):
    list_display = ["post", "slot", "source", "views", "reactions", "comments", "shares"]
    list_filter = ["source", "post__account__platform"]
    date_hierarchy = "slot"
    raw_id_fields = ["post"]


@admin.register(AccountSnapshot)
class AccountSnapshotAdmin(admin.ModelAdmin):
    list_display = ["account", "slot", "source", "followers"]
    list_filter = ["source", "account__platform"]
    raw_id_fields = ["account"]


@admin.register(AudienceCountrySlice)
class AudienceCountrySliceAdmin(admin.ModelAdmin):
    list_display = ["account", "post", "measure", "day", "country", "value"]
    list_filter = ["measure", "country"]
    raw_id_fields = ["account", "post"]


@admin.register(PostTracking)
class PostTrackingAdmin(admin.ModelAdmin):
    list_display = ["post", "next_refresh_at", "last_refreshed_at", "claimed_until"]
    raw_id_fields = ["post"]


@admin.register(AccountIngestionState)
class AccountIngestionStateAdmin(admin.ModelAdmin):
    list_display = ["account", "last_success_at", "consecutive_failures", "backoff_until", "quota_used_pct"]


@admin.register(IngestionRun)
class IngestionRunAdmin(admin.ModelAdmin):
    list_display = ["id", "platform", "account", "kind", "status", "started_at", "requests_made",
                    "posts_refreshed", "snapshots_written"]
    list_filter = ["platform", "status", "kind"]
    date_hierarchy = "started_at"


@admin.register(MetricImport)
class MetricImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "account", "detected_format", "status", "imported_rows", "created_at"]
    list_filter = ["status", "detected_format"]


@admin.register(SandboxFault)
class SandboxFaultAdmin(admin.ModelAdmin):
    """The sandbox's knob panel: add a fault for an account, watch `remaining` count down."""

    form = SandboxFaultForm
    list_display = ["platform", "account_platform_id", "account_handle", "kind", "remaining", "delay_seconds",
                    "options", "enabled", "created_at"]
    list_filter = ["platform", "kind", "enabled"]
    list_editable = ["remaining", "enabled"]
    search_fields = ["account_platform_id"]
    actions = ["enable_faults", "disable_faults"]

    @admin.display(description=_("account"))
    def account_handle(self, obj: SandboxFault) -> str:
        profile = ACCOUNTS.get((obj.platform, obj.account_platform_id))
        return profile.handle if profile else "—"

    @admin.action(description=_("Enable selected faults"))
    def enable_faults(self, request, queryset):
        queryset.update(enabled=True)

    @admin.action(description=_("Disable selected faults"))
    def disable_faults(self, request, queryset):
        queryset.update(enabled=False)


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(admin.ModelAdmin):
    list_display = ["organization", "timeliness", "authenticity", "format", "interactivity", "updated_at"]


@admin.register(PostScore)
class PostScoreAdmin(admin.ModelAdmin):
    list_display = ["post", "overall", "timeliness", "authenticity", "format", "interactivity",
                    "method_version", "computed_at"]
    list_filter = ["method_version"]
    raw_id_fields = ["post"]
