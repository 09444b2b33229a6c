from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import (
    Account,
    Amplification,
    ApiToken,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    Invitation,
    KPITarget,
    Membership,
    NotableAccount,
    Notification,
    Objective,
    Organization,
    Post,
    PostTransition,
    Profile,
    Series,
)


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["kind", "statement", "indicator", "target", "target_value", "position"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "timezone"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "timezone"]
    search_fields = ["user__username"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["handle", "platform", "organization", "influencer", "connection_state", "has_access_token"]
    list_filter = ["platform", "connection_state", "organization"]
    search_fields = ["handle", "platform_id"]
    readonly_fields = ["access_token_set_at"]

    @admin.display(boolean=True, description="token")
    def has_access_token(self, obj):
        return obj.has_access_token


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_at", "country", "organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["name"]
    date_hierarchy = "starts_at"


class KPITargetInline(admin.TabularInline):
    model = KPITarget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "status", "start_date", "end_date"]
    list_filter = ["status", "organization"]
    search_fields = ["name", "objective"]
    date_hierarchy = "start_date"
    filter_horizontal = ["events"]
    inlines = [KPITargetInline, ObjectiveInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["level", "kind", "summary", "observed_on", "source", "link", "value"]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "campaign", "kind"]
    list_filter = ["kind", "campaign__organization"]
    search_fields = ["statement", "indicator"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["summary", "objective", "level", "kind", "observed_on"]
    list_filter = ["level", "kind"]
    search_fields = ["summary", "source"]
    date_hierarchy = "observed_on"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organization"]
    search_fields = ["email"]
    readonly_fields = ["accepted_by", "accepted_at"]


@admin.register(NotableAccount)
class NotableAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "handle", "platform", "kind", "country", "organization"]
    list_filter = ["platform", "kind", "organization"]
    search_fields = ["name", "handle"]


@admin.register(Amplification)
class AmplificationAdmin(admin.ModelAdmin):
    list_display = ["notable", "kind", "post", "source", "occurred_at"]
    list_filter = ["kind", "source"]
    search_fields = ["notable__name", "notable__handle", "post__title"]
    raw_id_fields = ["post"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "cadence", "start_date", "end_date", "format"]
    list_filter = ["cadence", "format"]
    search_fields = ["name", "campaign__name"]
    filter_horizontal = ["accounts"]


class PostTransitionInline(admin.TabularInline):
    model = PostTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "comment", "at"]


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "account", "campaign", "status", "format", "language", "planned_at", "published_at"]
    list_filter = ["status", "format", "account__platform", "language", "campaign"]
    search_fields = ["title", "body", "platform_post_id"]
    date_hierarchy = "planned_at"
    raw_id_fields = ["variant_of", "series"]
    inlines = [PostTransitionInline]


@admin.register(Influencer)
class InfluencerAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "organization"]
    list_filter = ["country", "organization"]
    search_fields = ["name", "notes"]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ["title", "influencer", "campaign", "status", "sponsorship_disclosed"]
    list_filter = ["status", "sponsorship_disclosed"]
    search_fields = ["title", "influencer__name"]
    filter_horizontal = ["deliverables"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]


@admin.register(KPITarget)
class KPITargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "metric", "country", "target_value"]
    list_filter = ["metric"]
    search_fields = ["campaign__name"]


@admin.register(PostTransition)
class PostTransitionAdmin(admin.ModelAdmin):
    list_display = ["post", "from_status", "to_status", "by", "at", "comment"]
    list_filter = ["to_status"]
    search_fields = ["comment", "post__title"]
    raw_id_fields = ["post"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "post", "account", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "post__title"]
    raw_id_fields = ["recipient", "post", "account", "actor"]
    readonly_fields = ["emailed_at"]
