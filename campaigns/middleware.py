import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


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


class UserLanguageMiddleware:
    """The signed-in user's chosen interface language wins over the browser's (runs after authentication;
    LocaleMiddleware has already applied Accept-Language and the cookie for everyone else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(user, "profile") or not user.profile.language:
            return self.get_response(request)
        # override, not activate: the thread goes back to its language afterwards, so nothing run later in it
        # (a test, an e-mail) inherits this user's choice.
        with translation.override(user.profile.language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        # LocaleMiddleware names the language after this override has ended; it keeps a header already set.
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
