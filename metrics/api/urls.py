from django.urls import path
from rest_framework.routers import SimpleRouter

from metrics.api import best_times, dashboards, outcomes, views

router = SimpleRouter()
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("scores", views.PostScoreViewSet, basename="score")
router.register("ingestion-runs", views.IngestionRunViewSet, basename="ingestion-run")
router.register("ingestion-budgets", views.IngestionBudgetViewSet, basename="ingestion-budget")
router.register("metric-imports", views.MetricImportViewSet, basename="metric-import")
router.register("timeseries/posts", views.PostTimeseriesViewSet, basename="post-timeseries")
router.register("timeseries/campaigns", views.CampaignTimeseriesViewSet, basename="campaign-timeseries")
router.register("timeseries/accounts", views.AccountTimeseriesViewSet, basename="account-timeseries")

urlpatterns = router.urls + [
    path("dashboards/overview/", dashboards.OverviewView.as_view(), name="api_dashboard_overview"),
    path("dashboards/campaigns/<int:pk>/", dashboards.CampaignSummaryView.as_view(), name="api_dashboard_campaign"),
    path("accounts/<int:pk>/best-times/", best_times.AccountBestTimesView.as_view(), name="api_account_best_times"),
    path("campaigns/<int:pk>/outcomes/", outcomes.CampaignOutcomesView.as_view(), name="api_campaign_outcomes"),
]
