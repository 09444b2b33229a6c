"""The home page: what each role needs to see first."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from campaigns import access
from campaigns.models import Account, Campaign, Membership, Post
from campaigns.views.common import needs

UPCOMING_DAYS = 14


@require_safe
@needs(None)
def home(request):
    user = request.user
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    roles = {m.role for m in memberships}
    plan_orgs = access.organization_ids_where(user, "plan")
    review_orgs = access.organization_ids_where(user, "review")
    manage_orgs = access.organization_ids_where(user, "manage")
    read_orgs = [m.organization_id for m in memberships]
    now = timezone.now()
    context = {"memberships": memberships, "roles": roles, "upcoming_days": UPCOMING_DAYS}

    if plan_orgs:
        posts = Post.objects.filter(account__organization_id__in=plan_orgs).select_related("account", "campaign")
        context["my_drafts"] = posts.filter(
            created_by=user, status__in=[Post.Status.IDEA, Post.Status.DRAFT]
        ).order_by("planned_at")[:10]
        context["upcoming"] = posts.filter(
            planned_at__gte=now, planned_at__lte=now + dt.timedelta(days=UPCOMING_DAYS)
        ).exclude(status=Post.Status.PUBLISHED).order_by("planned_at")[:15]
    slipped = Post.objects.filter(account__organization_id__in={*plan_orgs, *review_orgs}).overdue(now=now)
    context["overdue_count"] = slipped.count()
    context["overdue"] = slipped.select_related("account", "campaign").order_by("planned_at")[:10]
    if review_orgs:
        waiting = Post.objects.filter(account__organization_id__in=review_orgs, status=Post.Status.IN_REVIEW)
        context["waiting_count"] = waiting.count()
        context["waiting"] = waiting.select_related("account", "campaign").order_by("updated_at")[:8]
    if read_orgs:
        context["active_campaigns"] = (
            Campaign.objects.filter(organization_id__in=read_orgs, status=Campaign.Status.ACTIVE)
            .select_related("organization")
            .annotate(post_count=Count("posts"), published=Count("posts", filter=Q(posts__status="published")))
            .order_by("end_date")[:12]
        )
    if manage_orgs:
        context["reconnect"] = Account.objects.filter(organization_id__in=manage_orgs).exclude(
            connection_state=Account.Connection.CONNECTED
        ).select_related("organization")
        context["members"] = (
            Membership.objects.filter(organization_id__in=manage_orgs)
            .select_related("user", "organization")
            .order_by("organization__name", "role", "user__username")
        )
        context["manage_organizations"] = [m.organization for m in memberships if m.organization_id in manage_orgs]
    return render(request, "campaigns/home.html", context)
