"""`GET /api/v1/accounts/{id}/best-times/?country=VN`: interaction rate by local weekday and hour."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import access
from campaigns.models import Account
from metrics.reporting.best_times import RATE_AGE_DAYS, BestTimesForm, account_best_times


class SlotSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(allow_null=True, help_text="0 = Monday; null for the hour across the week")
    hour = serializers.IntegerField(help_text="local hour in the audience's zone")
    posts = serializers.IntegerField()
    mean_rate = serializers.FloatField(allow_null=True, help_text="interactions per 100 views")
    low = serializers.FloatField(allow_null=True, help_text="95 % confidence interval, lower bound")
    high = serializers.FloatField(allow_null=True)
    confidence = serializers.ChoiceField(choices=["low", "medium", "high"],
                                         help_text="low under 5 posts, medium under 15, high from 15")


class BestTimesSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    platform = serializers.CharField()
    country = serializers.CharField()
    timezone = serializers.CharField()
    rate_age_days = serializers.IntegerField()
    posts = serializers.IntegerField()
    mean_rate = serializers.FloatField(allow_null=True)
    suggestions = SlotSerializer(many=True)
    by_hour = SlotSerializer(many=True)
    cells = SlotSerializer(many=True, help_text="7 × 24, Monday 00:00 first")


class AccountBestTimesView(APIView):
    permission_classes = [IsAuthenticated]
    queryset = Account.objects.all()  # scoped per request below; also tells the route matrix the model

    @extend_schema(
        summary="Best time to post for a target country, from the account's own history",
        parameters=[
            OpenApiParameter("country", OpenApiTypes.STR, required=True, description="ISO 3166 code, e.g. VN"),
            OpenApiParameter("timezone", OpenApiTypes.STR, description="IANA zone (default: the country's)"),
        ],
        responses=BestTimesSerializer, tags=["dashboards"],
    )
    def get(self, request, pk: int):
        account = get_object_or_404(access.scope(self.queryset, request.user), pk=pk)
        form = BestTimesForm(request.query_params, user=request.user, account=account)
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        result = account_best_times(account, country=form.cleaned_data["country"],
                                    zone=form.cleaned_data["timezone"] or None)
        data = {**vars(result), "account": account.pk, "rate_age_days": RATE_AGE_DAYS}
        return Response(BestTimesSerializer(data).data)
