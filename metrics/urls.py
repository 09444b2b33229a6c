from django.urls import path

from campaigns.placeholder import placeholder

urlpatterns = [
    # Ingestion (health page, CSV import)
    path("ingestion/", placeholder, name="ingestion_health"),
    path("imports/", placeholder, name="metric_import"),

    # Scoring
    path("methodology/", placeholder, name="methodology"),

    # Dashboards and reports
    path("overview/", placeholder, name="org_overview"),
    path("campaigns/<int:pk>/dashboard/", placeholder, name="campaign_dashboard"),
    path("compare/", placeholder, name="compare_campaigns"),
]
