"""Temporary page for routes whose views are being built; removed when the last one lands."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


@login_required
def placeholder(request, **kwargs):
    return render(request, "placeholder.html", {"kwargs": kwargs})


@login_required
def fragment_placeholder(request, **kwargs):
    """An htmx fragment whose view is being built: renders nothing."""
    return HttpResponse("")
