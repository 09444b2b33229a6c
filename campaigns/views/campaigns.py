"""Campaign list and pages, campaign editing (with KPI targets), events, and campaign history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from campaigns import access
from campaigns.forms import CampaignFilterForm, CampaignForm, EventForm, KPITargetFormSet
from campaigns.models import Campaign, Event, Post
from campaigns.views.common import history_entries, needs, route_exists

PAGE_SIZE = 25


@require_safe
@needs(None)
def campaign_list(request):
    form = CampaignFilterForm(request.GET or None, user=request.user)
    campaigns = access.scope(Campaign.objects.all(), request.user).select_related("organization")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            campaigns = campaigns.filter(Q(name__icontains=data["q"]) | Q(objective__icontains=data["q"]))
        if data["status"]:
            campaigns = campaigns.filter(status=data["status"])
        if data["organization"]:
            campaigns = campaigns.filter(organization=data["organization"])
    campaigns = campaigns.annotate(
        post_count=Count("posts", distinct=True),
        published_count=Count("posts", filter=Q(posts__status=Post.Status.PUBLISHED), distinct=True),
    ).order_by("-start_date", "name", "pk")
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "campaigns/campaign_list.html", {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": bool(access.organization_ids_where(request.user, "plan")),
    })


@require_safe
@needs(None, model=Campaign.objects.select_related("organization"))
def campaign_detail(request, campaign):
    posts = list(
        campaign.posts.select_related("account", "series", "event").order_by("planned_at", "id")
    )
    by_status = [
        {"status": status, "label": label, "posts": [p for p in posts if p.status == status]}
        for status, label in Post.Status.choices
    ]
    can_plan = access.can(request.user, "plan", campaign.organization_id)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "posts_by_status": [group for group in by_status if group["posts"]],
        "post_count": len(posts),
        "series_list": campaign.series.annotate(post_count=Count("posts")).prefetch_related("accounts"),
        "kpi_targets": campaign.kpi_targets.all(),
        "collaborations": campaign.collaborations.select_related("influencer"),
        "events": campaign.events.all(),
        "can_plan": can_plan,
        "has_series_detail": route_exists("series_detail", 1),
        "has_series_create": route_exists("series_create", campaign.pk),
        "has_collaboration_detail": route_exists("collaboration_detail", 1),
        "has_outcome_chain": route_exists("campaign_outcome_chain", campaign.pk),
    })


@needs("plan")
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        form.save_m2m()
        messages.success(request, _("Campaign “%s” created. Add its KPI targets next.") % campaign)
        return redirect("campaign_kpis", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@needs("plan", model=Campaign)
def campaign_edit(request, campaign):
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Campaign saved."))
        return redirect("campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@needs("plan", model=Campaign)
def campaign_kpis(request, campaign):
    formset = KPITargetFormSet(request.POST or None, instance=campaign, prefix="kpi")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("KPI targets saved."))
        return redirect("campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_kpis.html", {"formset": formset, "campaign": campaign})


@require_safe
@needs(None, model=Campaign)
def campaign_history(request, campaign):
    return render(request, "campaigns/history.html", {
        "object": campaign,
        "entries": history_entries(campaign),
        "back_url": reverse("campaign_detail", args=[campaign.pk]),
    })


# --- Events ----------------------------------------------------------------------------------


@require_safe
@needs(None)
def event_list(request):
    events = access.scope(Event.objects.all(), request.user).select_related("organization").annotate(
        post_count=Count("posts", distinct=True), campaign_count=Count("campaigns", distinct=True)
    ).order_by("-starts_at")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/event_list.html", {
        "page": page,
        "can_create": bool(access.organization_ids_where(request.user, "plan")),
        "plan_orgs": set(access.organization_ids_where(request.user, "plan")),
    })


@needs("plan")
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("Event “%s” created.") % event)
        return redirect("event_list")
    return render(request, "campaigns/event_form.html", {"form": form, "event": None})


@needs("plan", model=Event)
def event_edit(request, event):
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Event saved."))
        return redirect("event_list")
    return render(request, "campaigns/event_form.html", {"form": form, "event": event})
