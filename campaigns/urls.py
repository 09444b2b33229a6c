from django.contrib.auth import views as auth_views
from django.urls import path

from campaigns.views import amplification as amplification_views
from campaigns.views import calendar as calendar_views
from campaigns.views import campaigns as campaign_views
from campaigns.views import home as home_views
from campaigns.views import influencers as influencer_views
from campaigns.views import members as member_views
from campaigns.views import notifications as notification_views
from campaigns.views import outcomes as outcome_views
from campaigns.views import posts as post_views
from campaigns.views import review as review_views
from campaigns.views import series as series_views
from campaigns.views import settings as settings_views
from campaigns.views.tokens import api_token_revoke, api_tokens

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home_views.home, name="home"),
    path("campaigns/", campaign_views.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/kpis/", campaign_views.campaign_kpis, name="campaign_kpis"),
    path("campaigns/<int:pk>/history/", campaign_views.campaign_history, name="campaign_history"),
    path("campaigns/<int:pk>/posts/new/", post_views.post_create, name="post_create"),
    path("campaigns/<int:pk>/objectives/new/", outcome_views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/edit/", outcome_views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/evidence/new/", outcome_views.evidence_create, name="evidence_create"),
    path("evidence/<int:pk>/edit/", outcome_views.evidence_edit, name="evidence_edit"),
    path("events/", campaign_views.event_list, name="event_list"),
    path("events/new/", campaign_views.event_create, name="event_create"),
    path("events/<int:pk>/edit/", campaign_views.event_edit, name="event_edit"),
    path("calendar/", calendar_views.calendar_view, name="calendar"),
    path("campaigns/<int:pk>/series/new/", series_views.series_create, name="series_create"),
    path("campaigns/<int:pk>/series/preview/", series_views.series_preview, name="series_preview"),
    path("series/<int:pk>/", series_views.series_detail, name="series_detail"),
    path("series/<int:pk>/generate/", series_views.series_generate, name="series_generate"),
    path("posts/<int:pk>/", post_views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", post_views.post_edit, name="post_edit"),
    path("posts/<int:pk>/transition/", post_views.post_transition, name="post_transition"),
    path("posts/<int:pk>/history/", post_views.post_history, name="post_history"),
    path("posts/<int:pk>/amplifications/new/", amplification_views.amplification_create,
         name="amplification_create"),
    path("posts/<int:pk>/amplifications/remove/", amplification_views.post_amplification_remove,
         name="post_amplification_remove"),
    path("notables/", amplification_views.notable_list, name="notable_list"),
    path("notables/new/", amplification_views.notable_create, name="notable_create"),
    path("notables/<int:pk>/edit/", amplification_views.notable_edit, name="notable_edit"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("settings/accounts/", settings_views.account_list, name="account_list"),
    path("settings/accounts/new/", settings_views.account_create, name="account_create"),
    path("settings/accounts/<int:pk>/edit/", settings_views.account_edit, name="account_edit"),
    path("settings/profile/", settings_views.profile, name="profile"),
    path("organizations/<int:pk>/members/", member_views.member_list, name="member_list"),
    path("members/<int:pk>/role/", member_views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", member_views.member_remove, name="member_remove"),
    path("invitations/<int:pk>/revoke/", member_views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", member_views.invitation_accept, name="invitation_accept"),
    path("settings/language/", settings_views.language_switch, name="language_switch"),
    path("influencers/", influencer_views.influencer_list, name="influencer_list"),
    path("influencers/new/", influencer_views.influencer_create, name="influencer_create"),
    path("influencers/<int:pk>/", influencer_views.influencer_detail, name="influencer_detail"),
    path("influencers/<int:pk>/edit/", influencer_views.influencer_edit, name="influencer_edit"),
    path("collaborations/", influencer_views.collaboration_board, name="collaboration_board"),
    path("collaborations/new/", influencer_views.collaboration_create, name="collaboration_create"),
    path("collaborations/<int:pk>/", influencer_views.collaboration_detail, name="collaboration_detail"),
    path("collaborations/<int:pk>/edit/", influencer_views.collaboration_edit, name="collaboration_edit"),
    path("collaborations/<int:pk>/move/", influencer_views.collaboration_move, name="collaboration_move"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("account/tokens/", api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
]
