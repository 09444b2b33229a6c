import zoneinfo

from django.conf import settings
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show every time in the signed-in user's zone (their profile), else the default zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = settings.DEFAULT_USER_TIMEZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
            if profile is not None:
                name = profile.timezone
        timezone.activate(zoneinfo.ZoneInfo(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
