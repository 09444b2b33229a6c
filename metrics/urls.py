from django.urls import path

from campaigns.placeholder import fragment_placeholder, placeholder
from metrics import views_imports, views_ingestion

urlpatterns = [
    # Ingestion (health page, CSV import)
    path("ingestion/", views_ingestion.ingestion_health, name="ingestion_health"),
    path("imports/", views_imports.import_list, name="metric_import"),
    path("imports/<int:pk>/", views_imports.import_detail, name="metric_import_detail"),
    path("imports/<int:pk>/progress/", views_imports.import_progress, name="metric_import_progress"),

    # Scoring
    path("methodology/", placeholder, name="methodology"),
    path("posts/<int:pk>/scores/", fragment_placeholder, name="post_scores"),
    path("campaigns/<int:pk>/scores/", fragment_placeholder, name="campaign_scores"),

    # Dashboards and reports
    path("overview/", placeholder, name="org_overview"),
    path("campaigns/<int:pk>/dashboard/", placeholder, name="campaign_dashboard"),
    path("compare/", placeholder, name="compare_campaigns"),
    path("posts/<int:pk>/performance/", fragment_placeholder, name="post_performance"),
    path("influencers/<int:pk>/performance/", fragment_placeholder, name="influencer_performance"),
]
