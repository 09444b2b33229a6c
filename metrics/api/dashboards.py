"""Read-only JSON summaries of the dashboards, for a ministry's own reporting tools.

The serializers describe the output (and so the OpenAPI schema); the figures come from the same
selectors as the pages, scoped by campaigns.access (another organization's campaign is a 404).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import access
from campaigns.models import Campaign
from metrics.reporting import selectors
from metrics.reporting.ranges import CampaignRangeForm


class FiguresSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    reach = serializers.IntegerField(allow_null=True, help_text="null where no platform in the set gives reach")
    interactions = serializers.IntegerField()
    interaction_rate = serializers.FloatField(allow_null=True, help_text="interactions per 100 views")
    posts = serializers.IntegerField()


class KPISerializer(serializers.Serializer):
    metric = serializers.CharField(source="target.metric")
    country = serializers.CharField(source="target.country")
    # The API's field is called `label`; DRF's Field.label (a serializer is a field) is another thing.
    label = serializers.CharField()  # type: ignore[assignment]
    target = serializers.FloatField(source="target_value")
    actual = serializers.FloatField(allow_null=True)
    projected = serializers.FloatField(allow_null=True, help_text="at the campaign's end date")
    status = serializers.ChoiceField(choices=["met", "missed", "on_track", "at_risk", "unknown"],
                                     help_text="met or missed once the campaign has ended")


class SeriesPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    views = serializers.IntegerField()
    interactions = serializers.IntegerField()


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.IntegerField()
    share = serializers.FloatField(help_text="0–1")
    targeted = serializers.BooleanField()


class GeographySerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=["views", "followers", ""],
                                      help_text="views by country, or followers where the platform gives no views")
    total = serializers.IntegerField()
    target_share = serializers.FloatField(allow_null=True)
    headline = serializers.CharField()
    countries = CountrySerializer(many=True)


class InfluenceSerializer(serializers.Serializer):
    own = FiguresSerializer()
    influencers = FiguresSerializer()
    own_followers = serializers.IntegerField()
    added_audience_pct = serializers.FloatField(allow_null=True)


class ScoresSerializer(serializers.Serializer):
    campaign = serializers.DictField(child=serializers.FloatField(allow_null=True))
    organization = serializers.DictField(child=serializers.FloatField(allow_null=True))
    weakest = serializers.CharField(allow_null=True)
    scored_posts = serializers.IntegerField()


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's field, as above
    figures = FiguresSerializer()


class CampaignSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="campaign.id")
    name = serializers.CharField(source="campaign.name")
    start = serializers.DateField()
    end = serializers.DateField()
    totals = FiguresSerializer()
    kpis = KPISerializer(many=True)
    series = SeriesPointSerializer(many=True)
    geography = GeographySerializer()
    influence = InfluenceSerializer()
    scores = ScoresSerializer()
    breakdowns = serializers.DictField(child=BreakdownSerializer(many=True))


class PeriodSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    interactions = serializers.IntegerField()
    interaction_rate = serializers.FloatField(allow_null=True)
    new_followers = serializers.IntegerField()


class OverviewCampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    end_date = serializers.DateField()
    kpis = KPISerializer(many=True)


class OverviewSerializer(serializers.Serializer):
    today = serializers.DateField()
    days = serializers.IntegerField()
    this_period = PeriodSerializer()
    last_period = PeriodSerializer()
    campaigns = OverviewCampaignSerializer(many=True)
    alerts = serializers.DictField(child=serializers.IntegerField())


class CampaignSummaryView(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Campaign.objects.all()  # scoped per request below; also tells the route matrix the model

    @extend_schema(
        summary="A campaign's dashboard figures",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="first day of the range (default: start)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="last day of the range (default: today)"),
        ],
        responses=CampaignSummarySerializer,
        tags=["dashboards"],
    )
    def get(self, request, pk: int):
        campaign = get_object_or_404(access.scope(self.queryset, request.user), pk=pk)
        range_form = CampaignRangeForm(request.query_params, campaign=campaign)
        if not range_form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in range_form.errors.items()})
        board = selectors.campaign_dashboard(campaign=campaign, start=range_form.cleaned_data["start"],
                                             end=range_form.cleaned_data["end"])
        data = {
            "campaign": campaign, "start": board.start, "end": board.end, "totals": board.totals, "kpis": board.kpis,
            "series": [{"day": d, "views": v, "interactions": i} for d, v, i in board.series],
            "geography": board.geography, "influence": board.influence, "scores": board.scores,
            "breakdowns": board.breakdowns,
        }
        return Response(CampaignSummarySerializer(data).data)


class OverviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The organization overview: this period against the last, active campaigns, alert counts",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="one of your organizations (default: all)"),
            OpenApiParameter("days", OpenApiTypes.INT, enum=[7, 28], description="period length"),
        ],
        responses=OverviewSerializer,
        tags=["dashboards"],
    )
    def get(self, request):
        org_ids = access.organization_ids_for(request.user)
        chosen = request.query_params.get("org")
        if chosen:
            if not chosen.isdigit() or int(chosen) not in org_ids:
                raise NotFound
            org_ids = [int(chosen)]
        days = request.query_params.get("days", "7")
        if days not in ("7", "28"):
            raise ValidationError({"days": "7 or 28"})
        o = selectors.org_overview(organization_ids=org_ids, days=int(days))
        period = lambda p: {"views": p.views, "interactions": p.interactions,  # noqa: E731
                            "interaction_rate": p.interaction_rate, "new_followers": p.new_followers}
        data = {
            "today": o.today, "days": o.days, "this_period": period(o.this_period),
            "last_period": period(o.last_period),
            "campaigns": [{"id": c.id, "name": c.name, "end_date": c.end_date, "kpis": k} for c, k in o.campaigns],
            "alerts": {"ingestion_failures": len(o.failed_runs), "accounts_to_reconnect": len(o.reconnect),
                       "reviews_overdue": len(o.overdue_reviews), "kpis_at_risk": len(o.at_risk),
                       "plans_overdue": len(o.slipped)},
        }
        return Response(OverviewSerializer(data).data)
