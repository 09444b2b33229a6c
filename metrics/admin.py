from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import Organization
from metrics import scoring
from metrics.models import (
    AccountIngestionState,
    AccountSnapshot,
    AmplificationCheck,
    AudienceCountrySlice,
    ConversationCheck,
    DailyAccountRollup,
    DailyPostRollup,
    IngestionBudget,
    IngestionRun,
    IngestionSpend,
    MetricImport,
    PostComment,
    PostMetricSnapshot,
    PostScore,
    PostTracking,
    PostWorkOwed,
    SchedulerHeartbeat,
    ScoreWeights,
)
from metrics.scoring import service as scoring_service
from metrics.scoring.forms import ScoreWeightsForm as ScoreWeightsPreviewForm
from metrics.vocabulary import PRINCIPLE_LABELS, PRINCIPLES


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


@admin.register(AmplificationCheck)
class AmplificationCheckAdmin(admin.ModelAdmin):
    list_display = ["post", "shares_seen", "quotes_seen", "checked_at"]
    raw_id_fields = ["post"]


@admin.register(PostComment)
class PostCommentAdmin(admin.ModelAdmin):
    list_display = ["post", "author_name", "created_at", "by_owner", "is_question", "answered_at"]
    list_filter = ["by_owner", "is_question"]
    search_fields = ["text", "author_name"]
    raw_id_fields = ["post"]


@admin.register(ConversationCheck)
class ConversationCheckAdmin(admin.ModelAdmin):
    list_display = ["post", "comments_seen", "checked_at"]
    raw_id_fields = ["post"]


@admin.register(PostWorkOwed)
class PostWorkOwedAdmin(admin.ModelAdmin):
    list_display = ("post", "kind", "owed_since", "claimed_until")
    list_filter = ("kind",)
    search_fields = ("post__title",)
    raw_id_fields = ("post",)


@admin.register(AccountIngestionState)
class AccountIngestionStateAdmin(admin.ModelAdmin):
    list_display = ["account", "last_success_at", "consecutive_failures", "backoff_until", "quota_used_pct"]


@admin.register(IngestionBudget)
class IngestionBudgetAdmin(admin.ModelAdmin):
    list_display = ["organization", "platform", "limit", "projected", "status", "slow_from_age", "slow_factor",
                    "planned_at"]
    list_filter = ["platform", "status"]
    readonly_fields = ["projected", "status", "slow_from_age", "slow_factor", "planned_at"]


@admin.register(IngestionSpend)
class IngestionSpendAdmin(admin.ModelAdmin):
    list_display = ["account", "platform", "hour", "requests", "calls", "units", "posts_read", "users_read", "cost"]
    list_filter = ["platform"]
    date_hierarchy = "hour"
    raw_id_fields = ["account"]


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


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(admin.ModelAdmin):
    # The default ModelForm runs ScoreWeights.clean(): at least one weight above zero.
    list_display = ["organization", *PRINCIPLES, "updated_at", "preview_link"]

    @admin.display(description=_("effect on recent posts"))
    def preview_link(self, obj):
        # The organization's weights page previews a change on its last 100 posts before saving.
        return format_html('<a href="{}">{}</a>', reverse("score_weights", args=[obj.organization_id]),
                           _("preview changes"))

    change_form_template = "admin/metrics/scoreweights/change_form.html"

    def get_urls(self):
        preview = path("preview/", self.admin_site.admin_view(self.preview_view), name="metrics_scoreweights_preview")
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        """htmx: the effect of the weights being edited on the organization's last 100 posts, before saving."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        form = ScoreWeightsPreviewForm(request.POST)
        org_id = request.POST.get("organization", "")
        organization = Organization.objects.filter(pk=int(org_id)).first() if org_id.isdigit() else None
        preview = delta = None
        shares = []
        if form.is_valid() and organization is not None:
            preview = scoring_service.weights_preview(organization_id=organization.pk, weights=form.weights())
            if preview.average_before is not None:
                delta = preview.average_after - preview.average_before
            total = sum(form.cleaned_data[p] for p in PRINCIPLES)
            shares = [(gettext(PRINCIPLE_LABELS[p]), round(100 * form.cleaned_data[p] / total))
                      for p in PRINCIPLES]
        return render(request, "metrics/score_weights_preview.html", {
            "organization": organization, "form": form, "preview": preview, "delta": delta, "shares": shares,
            "needs_organization": organization is None,
        })

    def save_model(self, request, obj, form, change):
        # Through the service, so the stored overall scores follow the new weights.
        weights = scoring.Weights(**{p: form.cleaned_data[p] for p in PRINCIPLES})
        saved = scoring_service.weights_save(organization_id=obj.organization_id, weights=weights, by=request.user)
        obj.pk = saved.pk


@admin.register(PostScore)
class PostScoreAdmin(admin.ModelAdmin):
    list_display = ["post", "overall", *PRINCIPLES, "method_version", "computed_at"]
    list_filter = ["method_version"]
    raw_id_fields = ["post"]


@admin.register(DailyPostRollup)
class DailyPostRollupAdmin(admin.ModelAdmin):
    list_display = ["post", "day", "campaign", "account", "views", "interactions"]
    list_filter = ["account__platform"]
    date_hierarchy = "day"
    raw_id_fields = ["post", "campaign", "account"]


@admin.register(DailyAccountRollup)
class DailyAccountRollupAdmin(admin.ModelAdmin):
    list_display = ["account", "day", "followers"]
    list_filter = ["account__platform"]
    date_hierarchy = "day"


@admin.register(SchedulerHeartbeat)
class SchedulerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_tick_at"]
