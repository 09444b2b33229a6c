"""The sandbox's knob panel in the admin, registered by `MetricsConfig.ready()` when the sandbox is on."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from metrics.sandbox.forms import SandboxFaultForm
from metrics.sandbox.models import SandboxCallCount, SandboxFault, SandboxReportingJob, SandboxXUser
from metrics.sandbox.profiles import ACCOUNTS


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


# The sandbox's own bookkeeping, read-only: what a developer checks when a drill or a test surprises.
@admin.register(SandboxReportingJob)
class SandboxReportingJobAdmin(admin.ModelAdmin):
    list_display = ["channel_id", "report_type_id", "job_id", "created_at"]
    search_fields = ["channel_id", "job_id"]


@admin.register(SandboxCallCount)
class SandboxCallCountAdmin(admin.ModelAdmin):
    list_display = ["key", "calls", "window_ends_at"]
    search_fields = ["key"]


@admin.register(SandboxXUser)
class SandboxXUserAdmin(admin.ModelAdmin):
    list_display = ["user_id", "bucket"]
    search_fields = ["user_id"]
