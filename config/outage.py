"""A database outage answers 503 with Retry-After, and is logged once.

Any request that hits `OperationalError` or `InterfaceError` (the server is down, restarting, or out
of connections) gets a 503: on /api/ in the API's JSON error shape, elsewhere a plain page that needs
no database to render. The log gets one line when an outage is first noticed in this process and
another when a new database connection succeeds again; not a traceback per request.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

# Per process: set by the first failure of an outage, cleared when a connection succeeds again.
_outage_noted = False


def outage_note(exc: BaseException) -> None:
    global _outage_noted
    if not _outage_noted:
        _outage_noted = True
        # One line: the driver's message spans several.
        logger.error("Database unavailable, answering 503 until it is back: %s", " ".join(str(exc).split()))


def _outage_over(sender, **kwargs) -> None:
    global _outage_noted
    if _outage_noted:
        _outage_noted = False
        logger.info("Database reachable again.")


connection_created.connect(_outage_over, dispatch_uid="config.outage")


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    outage_note(exc)
    response: HttpResponse
    if request.path.startswith("/api/"):
        message = _("The service is briefly unavailable: its database cannot be reached. Try again shortly.")
        response = JsonResponse({"error": {"code": "database_unavailable", "message": message, "fields": {}}},
                                status=503)
    else:
        # No request context: the context processors would query the database that is down.
        response = HttpResponse(render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged once above; Django would otherwise log every such request, with its traceback.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: Django calls it while handling the exception, wherever it was raised (a view, a middleware)."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request, exc)
    return django_server_error(request, template_name)
