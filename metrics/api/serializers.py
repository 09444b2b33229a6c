"""Serializers of the metrics API."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.api.base import ScopedPrimaryKeyRelatedField
from campaigns.api.fields import MAX_DATE, MIN_DATE
from campaigns.models import Account
from metrics.imports.cells import FileError
from metrics.imports.service import upload_check
from metrics.ingestion import budgets
from metrics.models import IngestionBudget, IngestionRun, MetricImport, PostMetricSnapshot, PostScore
from metrics.reporting.timeseries import MAX_BUCKETS
from metrics.vocabulary import POST_METRICS, PRINCIPLES

ROW_ERRORS_SHOWN = 500


class SnapshotSerializer(serializers.ModelSerializer):
    interactions = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = PostMetricSnapshot
        fields = ["id", "post", "source", "slot", "captured_at", "api_version", *POST_METRICS, "interactions", "extra"]


class PostScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostScore
        fields = ["id", "post", "method_version", "computed_at", *PRINCIPLES, "overall", "explanation"]


class IngestionRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = IngestionRun
        fields = [
            "id", "platform", "account", "kind", "started_at", "finished_at", "status", "requests_made",
            "posts_refreshed", "snapshots_written", "errors",
        ]


class IngestionBudgetSerializer(serializers.ModelSerializer):
    """A budget in its platform's unit and period; only `limit` is written (PATCH, admins)."""

    period = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    spent = serializers.SerializerMethodField()

    class Meta:
        model = IngestionBudget
        fields = ["id", "organization", "platform", "period", "unit", "limit", "spent", "projected", "status",
                  "slow_from_age", "slow_factor", "planned_at"]
        read_only_fields = ["organization", "platform", "projected", "status", "slow_from_age", "slow_factor",
                            "planned_at"]

    def get_spent(self, budget: IngestionBudget) -> str:
        return str(budgets.spent(organization_id=budget.organization_id, platform=budget.platform, now=timezone.now()))


class MetricImportSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyRelatedField(queryset=Account.objects.all(), capability="plan")
    file = serializers.FileField(write_only=True, max_length=255, help_text=_("A platform's CSV export."))
    status_url = serializers.SerializerMethodField()
    row_errors = serializers.SerializerMethodField()
    row_error_count = serializers.SerializerMethodField()

    class Meta:
        model = MetricImport
        fields = [
            "id", "account", "file", "original_name", "detected_format", "status", "total_rows", "processed_rows",
            "imported_rows", "row_error_count", "row_errors", "error", "created_at", "finished_at", "status_url",
        ]
        read_only_fields = [
            "original_name", "detected_format", "status", "total_rows", "processed_rows", "imported_rows", "error",
            "created_at", "finished_at",
        ]

    def get_status_url(self, obj) -> str:
        request = self.context.get("request")
        url = reverse("metric-import-detail", kwargs={"pk": obj.pk})
        return request.build_absolute_uri(url) if request else url

    def get_row_errors(self, obj) -> list[dict]:
        """The first rows that could not be imported: [{"line": 12, "reason": "..."}]."""
        return list(obj.row_errors or [])[:ROW_ERRORS_SHOWN]

    def get_row_error_count(self, obj) -> int:
        return len(obj.row_errors or [])

    def validate(self, attrs):
        # The upload page's checks, header included, so a wrong file is refused now (400), not queued.
        try:
            upload_check(attrs["file"], platform=attrs["account"].platform)
        except FileError as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from exc
        return attrs


class TimeseriesQuerySerializer(serializers.Serializer):
    """from / to (dates, inclusive) and interval; defaults to the last 30 days by day."""

    interval = serializers.ChoiceField(choices=["day", "week"], default="day")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        fields["to"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs):
        end = attrs.get("to") or timezone.now().date()
        start = attrs.get("from") or end - dt.timedelta(days=29)
        for name, value in (("from", start), ("to", end)):
            if not MIN_DATE <= value <= MAX_DATE:
                raise serializers.ValidationError({name: [_("Enter a date between 1970 and 2100.")]})
        if end < start:
            raise serializers.ValidationError({"to": [_("“to” must not be before “from”.")]})
        span = (end - start).days // (1 if attrs["interval"] == "day" else 7) + 1
        if span > MAX_BUCKETS[attrs["interval"]]:
            raise serializers.ValidationError(
                {"from": [_("At most %(n)d buckets per request.") % {"n": MAX_BUCKETS[attrs["interval"]]}]}
            )
        return {"start": start, "end": end, "interval": attrs["interval"]}


class PostPointSerializer(serializers.Serializer):
    bucket_start = serializers.DateField()
    interactions = serializers.IntegerField(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        for name in POST_METRICS:
            fields[name] = serializers.IntegerField(allow_null=True)
        return fields


class AccountPointSerializer(serializers.Serializer):
    bucket_start = serializers.DateField()
    followers = serializers.IntegerField(allow_null=True)


class _SeriesBase(serializers.Serializer):
    id = serializers.IntegerField()
    interval = serializers.ChoiceField(choices=["day", "week"])

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields


class PostTimeseriesSerializer(_SeriesBase):
    points = PostPointSerializer(many=True)


class AccountTimeseriesSerializer(_SeriesBase):
    points = AccountPointSerializer(many=True)
