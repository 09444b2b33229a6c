from django.urls import path

from metrics.views import conversations as views_conversations
from metrics.views import dashboards as dash
from metrics.views import imports as views_imports
from metrics.views import ingestion as views_ingestion
from metrics.views import scoring as views_scoring

urlpatterns = [
    # Ingestion (health page, CSV import)
    path("ingestion/", views_ingestion.ingestion_health, name="ingestion_health"),
    path("inbox/", views_conversations.inbox, name="inbox"),
    path("imports/", views_imports.import_list, name="metric_import"),
    path("imports/<int:pk>/", views_imports.import_detail, name="metric_import_detail"),
    path("imports/<int:pk>/progress/", views_imports.import_progress, name="metric_import_progress"),

    # Scoring
    path("methodology/", views_scoring.methodology, name="methodology"),
    path("posts/<int:pk>/scores/", views_scoring.post_scores, name="post_scores"),
    path("campaigns/<int:pk>/scores/", views_scoring.campaign_scores, name="campaign_scores"),
    path("organizations/<int:pk>/score-weights/", views_scoring.score_weights, name="score_weights"),
    path("organizations/<int:pk>/score-weights/preview/", views_scoring.score_weights_preview,
         name="score_weights_preview"),

    # Dashboards and reports
    path("overview/", dash.org_overview, name="org_overview"),
    path("campaigns/<int:pk>/dashboard/", dash.campaign_dashboard, name="campaign_dashboard"),
    path("compare/", dash.compare_campaigns, name="compare_campaigns"),
    path("posts/<int:pk>/languages/", dash.compare_languages, name="compare_languages"),
    path("posts/<int:pk>/performance/", dash.post_performance, name="post_performance"),
    path("influencers/<int:pk>/performance/", dash.influencer_performance, name="influencer_performance"),
    path("campaigns/<int:pk>/export/<slug:table>.<slug:fmt>", dash.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/outcomes/", dash.campaign_outcome_chain, name="campaign_outcome_chain"),
    path("campaigns/<int:pk>/amplifications/", dash.campaign_amplification_list, name="campaign_amplifications"),
    path("best-times/", dash.best_times, name="best_times"),
    path("campaigns/<int:pk>/report.pdf", dash.campaign_report, name="campaign_report"),
]
