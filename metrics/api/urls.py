from django.urls import path
from rest_framework.routers import SimpleRouter

from metrics.api import dashboards

router = SimpleRouter()

urlpatterns = router.urls + [
    path("dashboards/overview/", dashboards.OverviewView.as_view(), name="api_dashboard_overview"),
    path("dashboards/campaigns/<int:pk>/", dashboards.CampaignSummaryView.as_view(), name="api_dashboard_campaign"),
]
