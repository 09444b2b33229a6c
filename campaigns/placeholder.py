"""Temporary page for routes whose views are being built; removed when the last one lands."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def placeholder(request, **kwargs):
    return render(request, "placeholder.html", {"kwargs": kwargs})
