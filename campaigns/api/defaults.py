"""Classes named in settings.REST_FRAMEWORK. Kept apart from the viewsets: DRF imports these
while rest_framework.views itself is being imported, so they must not import views."""

from __future__ import annotations

from django.conf import settings
from rest_framework import pagination, throttling


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class _SettingsRateMixin:
    """Reads the rate when asked (not at import), so settings and tests can change it."""

    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)


class UserThrottle(_SettingsRateMixin, throttling.UserRateThrottle):
    pass


class AnonThrottle(_SettingsRateMixin, throttling.AnonRateThrottle):
    pass
