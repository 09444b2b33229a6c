from django.urls import path

from campaigns.placeholder import fragment_placeholder, placeholder
from metrics import views_scoring

urlpatterns = [
    # Ingestion (health page, CSV import)
    path("ingestion/", placeholder, name="ingestion_health"),
    path("imports/", placeholder, name="metric_import"),

    # Scoring
    path("methodology/", views_scoring.methodology, name="methodology"),
    path("posts/<int:pk>/scores/", views_scoring.post_scores, name="post_scores"),
    path("campaigns/<int:pk>/scores/", views_scoring.campaign_scores, name="campaign_scores"),
    path("organizations/<int:pk>/score-weights/", views_scoring.score_weights, name="score_weights"),
    path("organizations/<int:pk>/score-weights/preview/", views_scoring.score_weights_preview,
         name="score_weights_preview"),

    # Dashboards and reports
    path("overview/", placeholder, name="org_overview"),
    path("campaigns/<int:pk>/dashboard/", placeholder, name="campaign_dashboard"),
    path("compare/", placeholder, name="compare_campaigns"),
    path("posts/<int:pk>/performance/", fragment_placeholder, name="post_performance"),
    path("influencers/<int:pk>/performance/", fragment_placeholder, name="influencer_performance"),
]
