"""The page django-axes answers with when a username is locked out from an address (settings.AXES_*)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    lock = settings.AXES_COOLOFF_TIME
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": round(lock.total_seconds() / 60)}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(lock.total_seconds()))
    return response
