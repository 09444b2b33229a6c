"""The bell's list: the signed-in user's own notifications, and marking them read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from campaigns import notifications
from campaigns.models import Notification
from campaigns.views.common import needs


@require_safe
@needs("self")
def notification_list(request):
    mine = (Notification.objects.filter(recipient=request.user)
            .select_related("post", "account", "actor"))
    return render(request, "campaigns/notification_list.html", {
        "page": Paginator(mine, 50).get_page(request.GET.get("page")),
    })


@require_POST
@needs("self")
def notification_read(request, pk):
    # Someone else's notification does not exist for this user.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.notifications_mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open"):
        return redirect(notification.target_path())
    return redirect("notification_list")


@require_POST
@needs("self")
def notification_read_all(request):
    notifications.notifications_mark_read(user=request.user)
    return redirect("notification_list")

