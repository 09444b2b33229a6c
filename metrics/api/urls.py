from rest_framework.routers import SimpleRouter

from metrics.api import views

router = SimpleRouter()
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("scores", views.PostScoreViewSet, basename="score")
router.register("ingestion-runs", views.IngestionRunViewSet, basename="ingestion-run")
router.register("metric-imports", views.MetricImportViewSet, basename="metric-import")
router.register("timeseries/posts", views.PostTimeseriesViewSet, basename="post-timeseries")
router.register("timeseries/campaigns", views.CampaignTimeseriesViewSet, basename="campaign-timeseries")
router.register("timeseries/accounts", views.AccountTimeseriesViewSet, basename="account-timeseries")

urlpatterns = router.urls
