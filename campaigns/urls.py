from django.contrib.auth import views as auth_views
from django.urls import path

from campaigns.placeholder import placeholder
from campaigns.views.tokens import api_token_revoke, api_tokens

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", placeholder, name="home"),
    path("campaigns/", placeholder, name="campaign_list"),
    path("campaigns/<int:pk>/", placeholder, name="campaign_detail"),
    path("calendar/", placeholder, name="calendar"),
    path("posts/<int:pk>/", placeholder, name="post_detail"),
    path("review/", placeholder, name="review_queue"),
    path("influencers/", placeholder, name="influencer_list"),
    path("collaborations/", placeholder, name="collaboration_board"),
    path("account/tokens/", api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
]
