from rest_framework.routers import DefaultRouter

from campaigns.api import views


class Router(DefaultRouter):
    # One URL per resource: no `.json` suffix variants (JSON is the only format anyway).
    include_format_suffixes = False


router = Router()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("events", views.EventViewSet, basename="event")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("series", views.SeriesViewSet, basename="series")
router.register("posts", views.PostViewSet, basename="post")
router.register("influencers", views.InfluencerViewSet, basename="influencer")
router.register("collaborations", views.CollaborationViewSet, basename="collaboration")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("notable-accounts", views.NotableAccountViewSet, basename="notable-account")
router.register("amplifications", views.AmplificationViewSet, basename="amplification")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("memberships", views.MembershipViewSet, basename="membership")

urlpatterns = router.urls
