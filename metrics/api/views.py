"""Viewsets of the metrics API: snapshots, time series, scores, ingestion runs, CSV imports."""

from __future__ import annotations

import django_filters as df
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, pagination, parsers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from campaigns.api.base import OrgScopedGenericViewSet, ReadOnlyOrgScopedViewSet
from campaigns.api.filters import IdFilter
from campaigns.models import Account, Campaign, Post
from metrics.api import serializers
from metrics.imports.service import import_start
from metrics.ingestion import budgets
from metrics.models import IngestionBudget, IngestionRun, MetricImport, PostMetricSnapshot, PostScore
from metrics.reporting import timeseries
from metrics.vocabulary import PRINCIPLES


class SnapshotCursorPagination(pagination.CursorPagination):
    ordering = ("-slot", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # The position is compared with a datetime column: refuse anything else before the query.
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(cursor.position) is not None
            except ValueError:
                valid = False
            if not valid:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class SnapshotFilter(df.FilterSet):
    post = IdFilter()
    campaign = IdFilter(field_name="post__campaign")
    account = IdFilter(field_name="post__account")
    slot_after = df.IsoDateTimeFilter(field_name="slot", lookup_expr="gte")
    slot_before = df.IsoDateTimeFilter(field_name="slot", lookup_expr="lt")

    class Meta:
        model = PostMetricSnapshot
        fields = ["source"]


class PostScoreFilter(df.FilterSet):
    post = IdFilter()
    campaign = IdFilter(field_name="post__campaign")

    class Meta:
        model = PostScore
        fields = ["method_version"]


class IngestionRunFilter(df.FilterSet):
    account = IdFilter()

    class Meta:
        model = IngestionRun
        fields = ["platform", "status", "kind"]


class MetricImportFilter(df.FilterSet):
    account = IdFilter()

    class Meta:
        model = MetricImport
        fields = ["status"]


class SnapshotViewSet(ReadOnlyOrgScopedViewSet):
    """Post metric snapshots, newest first, with cursor pagination (history is never overwritten)."""

    queryset = PostMetricSnapshot.objects.all()
    serializer_class = serializers.SnapshotSerializer
    org_path = "post__account__organization"
    pagination_class = SnapshotCursorPagination
    filter_backends = [df.rest_framework.DjangoFilterBackend]
    filterset_class = SnapshotFilter


class PostScoreViewSet(ReadOnlyOrgScopedViewSet):
    """Four-principle scores of posts, each with the explanation of how it was computed."""

    queryset = PostScore.objects.order_by("-computed_at", "-id")
    serializer_class = serializers.PostScoreSerializer
    org_path = "post__account__organization"
    filterset_class = PostScoreFilter
    ordering_fields = ["computed_at", "overall", *PRINCIPLES]


class IngestionRunViewSet(ReadOnlyOrgScopedViewSet):
    queryset = IngestionRun.objects.all()
    serializer_class = serializers.IngestionRunSerializer
    org_path = "account__organization"
    filterset_class = IngestionRunFilter
    ordering_fields = ["started_at", "finished_at"]


class IngestionBudgetViewSet(mixins.UpdateModelMixin, ReadOnlyOrgScopedViewSet):
    """The organizations' ingestion budgets; an admin changes a limit (PATCH), which plans it again.

    Budgets are set up on the ingestion health page; the API only reads and changes them.
    """

    queryset = IngestionBudget.objects.order_by("organization_id", "platform")
    serializer_class = serializers.IngestionBudgetSerializer
    write_capability = "manage"

    def perform_update(self, serializer):
        budget = serializer.instance
        serializer.instance = budgets.budget_set(organization_id=budget.organization_id, platform=budget.platform,
                                                 limit=serializer.validated_data.get("limit", budget.limit))


class MetricImportViewSet(mixins.CreateModelMixin, ReadOnlyOrgScopedViewSet):
    """Upload a platform's CSV export: answers 202 with a status URL reporting progress and row errors."""

    queryset = MetricImport.objects.all()
    serializer_class = serializers.MetricImportSerializer
    org_path = "account__organization"
    write_capability = "plan"
    parser_classes = [parsers.MultiPartParser]
    filterset_class = MetricImportFilter
    ordering_fields = ["created_at"]

    @extend_schema(responses={202: serializers.MetricImportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        imp = import_start(account=serializer.validated_data["account"], uploaded_file=upload, by=request.user,
                           original_name=upload.name or "")
        data = self.get_serializer(imp).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})


TIMESERIES_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (UTC), inclusive; default 29 days before `to`."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (UTC), inclusive; default today."),
    OpenApiParameter("interval", str, enum=["day", "week"], description="Bucket size; weeks start on Monday."),
]


class _TimeseriesViewSet(OrgScopedGenericViewSet):
    def query(self, request):
        params = serializers.TimeseriesQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data

    def respond(self, obj, q, points):
        return Response({"id": obj.pk, "from": q["start"], "to": q["end"], "interval": q["interval"], "points": points})


class PostTimeseriesViewSet(_TimeseriesViewSet):
    """A post's cumulative metrics per day or week: the latest snapshot in each bucket."""

    queryset = Post.objects.all()
    org_path = "account__organization"
    serializer_class = serializers.PostTimeseriesSerializer

    @extend_schema(parameters=TIMESERIES_PARAMETERS)
    def retrieve(self, request, pk=None):
        post, q = self.get_object(), self.query(request)
        points = timeseries.post_series(post_ids=[post.pk], start=q["start"], end=q["end"], interval=q["interval"])
        return self.respond(post, q, points)


class CampaignTimeseriesViewSet(_TimeseriesViewSet):
    """A campaign's cumulative metrics per day or week, summed over its posts."""

    queryset = Campaign.objects.all()
    serializer_class = serializers.PostTimeseriesSerializer

    @extend_schema(parameters=TIMESERIES_PARAMETERS)
    def retrieve(self, request, pk=None):
        campaign, q = self.get_object(), self.query(request)
        points = timeseries.post_series(post_ids=campaign.posts.values("id"), start=q["start"], end=q["end"],
                                        interval=q["interval"])
        return self.respond(campaign, q, points)


class AccountTimeseriesViewSet(_TimeseriesViewSet):
    """An account's followers per day or week."""

    queryset = Account.objects.all()
    serializer_class = serializers.AccountTimeseriesSerializer

    @extend_schema(parameters=TIMESERIES_PARAMETERS)
    def retrieve(self, request, pk=None):
        account, q = self.get_object(), self.query(request)
        points = timeseries.account_series(
            account_id=account.pk, start=q["start"], end=q["end"], interval=q["interval"]
        )
        return self.respond(account, q, points)
