"""Viewsets of the campaigns API: scoped querysets, role checks, and calls into campaigns.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from campaigns import access, members, notifications, services
from campaigns.api import filters, serializers
from campaigns.api.base import ApiMixin, OrgScopedViewSet, ReadOnlyOrgScopedViewSet
from campaigns.api.permissions import RoleCapability
from campaigns.models import (
    Account,
    Amplification,
    Campaign,
    Collaboration,
    Event,
    Evidence,
    Influencer,
    Membership,
    NotableAccount,
    Notification,
    Objective,
    Organization,
    Post,
    Series,
)
from config.api_errors import Conflict


class OrganizationViewSet(ReadOnlyOrgScopedViewSet):
    """The organizations you belong to, with your role in each."""

    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    org_path = "id"
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "created_at"]
    filterset_fields = ["kind", "country"]

    @extend_schema(methods=["GET"], responses={200: serializers.MemberSerializer(many=True)})
    @extend_schema(methods=["POST"], request=serializers.InviteSerializer,
                   responses={201: serializers.InvitationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[], capability="manage")
    def members(self, request, pk=None):
        """Members and their roles (any member reads); POST invites an address by e-mail (admins)."""
        organization = self.get_object()
        if request.method == "GET":
            memberships = organization.memberships.select_related("user").order_by("user__username")
            return Response(serializers.MemberSerializer(memberships, many=True).data)
        data = serializers.InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            invitation = members.member_invite(organization=organization, invited_by=request.user,
                                               **data.validated_data)
        except DjangoValidationError as error:
            raise DRFValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
        return Response(serializers.InvitationSerializer(invitation).data, status=201)


class AccountViewSet(OrgScopedViewSet):
    """Social accounts. Writing needs the admin role; the platform token is write-only."""

    queryset = Account.objects.select_related("organization")
    serializer_class = serializers.AccountSerializer
    write_capability = "manage"
    filterset_class = filters.AccountFilter
    search_fields = ["handle", "platform_id"]
    ordering_fields = ["handle", "platform", "created_at"]


class EventViewSet(OrgScopedViewSet):
    queryset = Event.objects.all()
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    search_fields = ["name", "description"]
    ordering_fields = ["starts_at", "name"]


class CampaignViewSet(OrgScopedViewSet):
    """Campaigns with their KPI targets (written together: the list given replaces the targets)."""

    queryset = Campaign.objects.select_related("created_by").prefetch_related("events", "kpi_targets")
    serializer_class = serializers.CampaignSerializer
    filterset_class = filters.CampaignFilter
    search_fields = ["name", "objective"]
    ordering_fields = ["start_date", "end_date", "name", "created_at"]

    @extend_schema(request=serializers.AttachPostsSerializer, responses={200: serializers.AttachPostsResultSerializer})
    @action(detail=True, methods=["post"], capability="plan", url_path="attach-posts")
    def attach_posts(self, request, pk=None):
        """Give posts that are in no campaign (imported from an export, found on an account) to this campaign."""
        campaign = self.get_object()
        data = serializers.AttachPostsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posts = services.posts_attach_to_campaign(post_ids=data.validated_data["posts"], campaign=campaign,
                                                  by=request.user)
        return Response({"attached": [p.pk for p in posts]})


class SeriesViewSet(OrgScopedViewSet):
    queryset = Series.objects.select_related("campaign").prefetch_related("accounts")
    serializer_class = serializers.SeriesSerializer
    org_path = "campaign__organization"
    filterset_class = filters.SeriesFilter
    search_fields = ["name", "description"]
    ordering_fields = ["start_date", "name", "created_at"]

    @extend_schema(responses={200: serializers.SeriesPreviewSerializer})
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """The UTC publication times the series would create."""
        series = self.get_object()
        dates = services.series_preview(series=series)
        return Response(serializers.SeriesPreviewSerializer({"dates": dates}).data)

    @extend_schema(request=None, responses={200: serializers.SeriesGenerateResultSerializer})
    @action(detail=True, methods=["post"], capability="plan")
    def generate(self, request, pk=None):
        """Create the planned posts (one per date and account); running it again creates nothing new."""
        series = self.get_object()
        posts = services.series_generate_posts(series=series, by=request.user)
        return Response({"created": len(posts), "posts": [p.pk for p in posts]})


def _transition_view(name: str, request_serializer, capability: str, doc: str):
    def view(self, request, pk=None):
        post = self.get_object()
        data = request_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            post = services.post_transition(post=post, action=name, by=request.user, **data.validated_data)
        except services.TransitionError as exc:
            raise Conflict(" ".join(exc.messages)) from None
        return Response(serializers.PostSerializer(post, context=self.get_serializer_context()).data)

    # @action maps the method to the function's name, so it must be the action's name first.
    view.__name__ = name
    view = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name, capability=capability)(
        view
    )
    return extend_schema(request=request_serializer, responses={200: serializers.PostSerializer}, description=doc)(
        view
    )


@extend_schema_view(destroy=extend_schema(description=str(_("Delete a post (editors and admins)."))))
class PostViewSet(OrgScopedViewSet):
    """Posts. The status changes only through the workflow actions."""

    queryset = Post.objects.select_related("account", "created_by")
    serializer_class = serializers.PostSerializer
    org_path = "account__organization"
    filterset_class = filters.PostFilter
    search_fields = ["title", "body", "platform_post_id"]
    ordering_fields = ["planned_at", "published_at", "created_at", "updated_at", "title"]

    @extend_schema(responses={200: serializers.PostTransitionRecordSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        """The post's workflow history: who moved it, when, and a rejection's comment."""
        post = self.get_object()
        records = post.transitions.select_related("by")
        return Response(serializers.PostTransitionRecordSerializer(records, many=True).data)

    @extend_schema(responses={200: serializers.AmplificationSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def amplifications(self, request, pk=None):
        """Who notable reshared, quoted, mentioned or commented on the post (found on X, or entered by hand)."""
        post = self.get_object()
        records = post.amplifications.select_related("notable", "created_by")
        return Response(serializers.AmplificationSerializer(records, many=True).data)

    T = serializers.PostTransitionSerializer
    start_draft = _transition_view("start_draft", T, "plan", "Idea → draft.")
    submit = _transition_view("submit", T, "plan", "Draft → in review.")
    approve = _transition_view("approve", T, "review", "In review → approved (approvers and admins).")
    reject = _transition_view(
        "reject", serializers.PostRejectSerializer, "review", "Back to draft with a comment (approvers and admins)."
    )
    schedule = _transition_view("schedule", T, "plan", "Approved → scheduled; needs a planned time in the future.")
    unschedule = _transition_view("unschedule", T, "plan", "Scheduled → approved.")
    publish = _transition_view(
        "publish", serializers.PostPublishSerializer, "plan", "Mark published, with the platform id and permalink."
    )
    del T


class InfluencerViewSet(OrgScopedViewSet):
    queryset = Influencer.objects.all()
    serializer_class = serializers.InfluencerSerializer
    filterset_class = filters.InfluencerFilter
    search_fields = ["name", "notes"]
    ordering_fields = ["name", "created_at"]


class CollaborationViewSet(OrgScopedViewSet):
    queryset = Collaboration.objects.select_related("campaign", "influencer").prefetch_related("deliverables")
    serializer_class = serializers.CollaborationSerializer
    org_path = "campaign__organization"
    filterset_class = filters.CollaborationFilter
    search_fields = ["title", "deliverables_description", "outcome_notes"]
    ordering_fields = ["created_at", "start_date", "title", "status"]


class ObjectiveViewSet(OrgScopedViewSet):
    """A campaign's objectives (GCS: inform, change attitudes, change behaviour), each with indicator and target."""

    queryset = Objective.objects.select_related("campaign")
    serializer_class = serializers.ObjectiveSerializer
    org_path = "campaign__organization"
    filterset_class = filters.ObjectiveFilter
    ordering_fields = ["position", "id"]


class EvidenceViewSet(OrgScopedViewSet):
    """Out-takes, outcomes and impact recorded against an objective: dated, sourced, linked."""

    queryset = Evidence.objects.select_related("objective", "created_by")
    serializer_class = serializers.EvidenceSerializer
    org_path = "objective__campaign__organization"
    filterset_class = filters.EvidenceFilter
    search_fields = ["summary", "source"]
    ordering_fields = ["observed_on", "created_at"]

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)



class NotableAccountViewSet(OrgScopedViewSet):
    """The watch list: foreign officials, ministries, missions, media and NGOs whose reshares matter."""

    queryset = NotableAccount.objects.all()
    serializer_class = serializers.NotableAccountSerializer
    filterset_class = filters.NotableAccountFilter
    search_fields = ["name", "handle", "note"]
    ordering_fields = ["name", "handle"]


class AmplificationViewSet(OrgScopedViewSet):
    """Reshares, quotes, mentions and comments of our posts by notable accounts."""

    queryset = Amplification.objects.select_related("notable", "post__account", "created_by")
    serializer_class = serializers.AmplificationSerializer
    org_path = "post__account__organization"
    filterset_class = filters.AmplificationFilter
    ordering_fields = ["occurred_at", "created_at"]

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user, source=Amplification.Source.MANUAL)


class NotificationViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own notifications, newest first (`?unread=true` for the unread ones); nobody else's exist here."""

    queryset = Notification.objects.select_related("actor", "post")
    serializer_class = serializers.NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = filters.NotificationFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return super().get_queryset().filter(recipient=self.request.user)

    @extend_schema(request=None, responses={200: serializers.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notifications.notifications_mark_read(user=request.user, notification_id=notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: serializers.NotificationsMarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications.notifications_mark_read(user=request.user)})


@extend_schema_view(
    partial_update=extend_schema(request=serializers.MemberRoleSerializer,
                                 description=str(_("Change a member's role (admins). The last admin stays."))),
    update=extend_schema(request=serializers.MemberRoleSerializer,
                         description=str(_("Change a member's role (admins). The last admin stays."))),
    destroy=extend_schema(description=str(_("Remove a member from the organization (admins). The last admin stays."))),
)
class MembershipViewSet(ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                        mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Who belongs to which organization, with which role. New members come by invitation
    (POST /api/v1/organizations/{id}/members/)."""

    queryset = Membership.objects.select_related("user", "organization")
    serializer_class = serializers.MemberSerializer
    org_path = "organization"
    write_capability = "manage"
    permission_classes = [RoleCapability]
    filterset_fields = ["organization", "role"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return access.scope(super().get_queryset(), self.request.user, path=self.org_path)

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        data = serializers.MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            members.member_role_change(membership=membership, role=data.validated_data["role"])
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
        return Response(serializers.MemberSerializer(membership).data)

    def perform_destroy(self, instance):
        try:
            members.member_remove(membership=instance)
        except DjangoValidationError as error:
            raise Conflict(" ".join(error.messages)) from None
