from django.urls import path

from campaigns.placeholder import fragment_placeholder, placeholder
from metrics import views_dashboards as dash

urlpatterns = [
    # Ingestion (health page, CSV import)
    path("ingestion/", placeholder, name="ingestion_health"),
    path("imports/", placeholder, name="metric_import"),

    # Scoring
    path("methodology/", placeholder, name="methodology"),
    path("posts/<int:pk>/scores/", fragment_placeholder, name="post_scores"),
    path("campaigns/<int:pk>/scores/", fragment_placeholder, name="campaign_scores"),

    # Dashboards and reports
    path("overview/", dash.org_overview, name="org_overview"),
    path("campaigns/<int:pk>/dashboard/", dash.campaign_dashboard, name="campaign_dashboard"),
    path("compare/", dash.compare_campaigns, name="compare_campaigns"),
    path("posts/<int:pk>/languages/", dash.compare_languages, name="compare_languages"),
    path("posts/<int:pk>/performance/", dash.post_performance, name="post_performance"),
    path("influencers/<int:pk>/performance/", dash.influencer_performance, name="influencer_performance"),
    path("campaigns/<int:pk>/export/<slug:table>.<slug:fmt>", dash.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/report.pdf", dash.campaign_report, name="campaign_report"),
]
