"""`GET /api/v1/campaigns/{id}/outcomes/`: outputs → out-takes → outcomes → impact, per objective."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import access
from campaigns.models import Campaign
from metrics.reporting.selectors.outcomes import campaign_outcomes


class OutputsSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    reach = serializers.IntegerField(allow_null=True)
    interactions = serializers.IntegerField()
    interaction_rate = serializers.FloatField(allow_null=True, help_text="interactions per 100 views")
    posts_read = serializers.IntegerField(source="posts", help_text="posts with readings")


class EvidenceItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    observed_on = serializers.DateField()
    source = serializers.CharField()  # type: ignore[assignment]  # the API's field; DRF's Field.source is another
    link = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=False)


class ObjectiveResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.id")
    kind = serializers.CharField(source="objective.kind")
    statement = serializers.CharField(source="objective.statement")
    indicator = serializers.CharField(source="objective.indicator")
    target = serializers.CharField(source="objective.target")
    target_value = serializers.DecimalField(source="objective.target_value", max_digits=14, decimal_places=2,
                                            allow_null=True, coerce_to_string=False)
    baseline_value = serializers.DecimalField(source="objective.baseline_value", max_digits=14, decimal_places=2,
                                              allow_null=True, coerce_to_string=False)
    latest_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=False)
    latest_value_on = serializers.DateField(allow_null=True)
    target_reached = serializers.BooleanField(
        allow_null=True, help_text="newest measured value ≥ target value; null if either is missing")
    outtakes = EvidenceItemSerializer(many=True, source="evidence_by_level.outtake")
    outcomes = EvidenceItemSerializer(many=True, source="evidence_by_level.outcome")
    impact = EvidenceItemSerializer(many=True, source="evidence_by_level.impact")


class CampaignOutcomesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="campaign.id")
    name = serializers.CharField(source="campaign.name")
    as_of = serializers.DateField()
    outputs = OutputsSerializer()
    posts_published = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="evidence entries per level")
    objectives = ObjectiveResultSerializer(many=True)


class CampaignOutcomesView(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Campaign.objects.all()  # scoped per request below; also tells the route matrix the model

    @extend_schema(summary="A campaign's results chain: outputs, out-takes, outcomes, impact",
                   responses=CampaignOutcomesSerializer, tags=["dashboards"])
    def get(self, request, pk: int):
        campaign = get_object_or_404(access.scope(self.queryset, request.user), pk=pk)
        return Response(CampaignOutcomesSerializer(campaign_outcomes(campaign=campaign)).data)
