"""The influencer directory and the collaboration board (proposed → agreed → in progress → delivered → closed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns import access, services
from campaigns.forms import CollaborationForm, InfluencerFilterForm, InfluencerForm
from campaigns.models import Campaign, Collaboration, Influencer
from campaigns.views.common import is_htmx, needs


@require_safe
@needs(None)
def influencer_list(request: HttpRequest) -> HttpResponse:
    influencers = list(
        access.scope(Influencer.objects.all(), request.user)
        .select_related("organization")
        .annotate(
            account_count=Count("accounts", distinct=True),
            collaboration_count=Count("collaborations", distinct=True),
        )
    )
    # Options come from the whole directory, before filtering, so a filter can always be changed back.
    options = {
        "countries": sorted({i.country for i in influencers if i.country}),
        "languages": sorted({lang for i in influencers for lang in i.languages or []}),
        "topics": sorted({topic for i in influencers for topic in i.topics or []}, key=str.lower),
    }
    form = InfluencerFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        q = data["q"].strip().lower()
        # Language and topic live in JSON lists, which SQLite cannot search; the directory is small.
        if q:
            influencers = [i for i in influencers if q in i.name.lower() or q in i.notes.lower()
                           or any(q in t.lower() for t in i.topics or [])]
        if data["country"]:
            influencers = [i for i in influencers if i.country == data["country"].upper()]
        if data["language"]:
            influencers = [i for i in influencers if data["language"] in (i.languages or [])]
        if data["topic"]:
            influencers = [i for i in influencers if data["topic"].lower() in [t.lower() for t in i.topics or []]]
    can_create = bool(access.organization_ids_where(request.user, "plan"))
    return render(
        request,
        "campaigns/influencer_list.html",
        {"form": form, "influencers": influencers, "options": options, "can_create": can_create},
    )


@require_safe
@needs(None, model=Influencer.objects.select_related("organization"))
def influencer_detail(request: HttpRequest, influencer: Influencer) -> HttpResponse:
    collaborations = influencer.collaborations.select_related("campaign").annotate(
        deliverable_count=Count("deliverables")
    )
    return render(
        request,
        "campaigns/influencer_detail.html",
        {
            "influencer": influencer,
            "accounts": influencer.accounts.all(),
            "collaborations": collaborations,
            "can_plan": access.can(request.user, "plan", influencer.organization_id),
        },
    )


@needs("plan")
def influencer_create(request: HttpRequest) -> HttpResponse:
    org_ids = access.organization_ids_where(request.user, "plan")
    form = InfluencerForm(request.POST or None, org_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        influencer = form.save()
        messages.success(request, _("Influencer “%(name)s” added.") % {"name": influencer.name})
        return redirect("influencer_detail", pk=influencer.pk)
    return render(request, "campaigns/influencer_form.html", {"form": form, "influencer": None})


@needs("plan", model=Influencer)
def influencer_edit(request: HttpRequest, influencer: Influencer) -> HttpResponse:
    form = InfluencerForm(request.POST or None, instance=influencer, org_ids=[influencer.organization_id])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect("influencer_detail", pk=influencer.pk)
    return render(request, "campaigns/influencer_form.html", {"form": form, "influencer": influencer})


def _board_context(request: HttpRequest, *, campaign_id: int | None = None, error: str = "") -> dict:
    collaborations = (
        access.scope(Collaboration.objects.all(), request.user, path="campaign__organization")
        .select_related("campaign", "influencer")
        .annotate(deliverable_count=Count("deliverables"))
        .order_by("start_date", "title")
    )
    if campaign_id:
        collaborations = collaborations.filter(campaign_id=campaign_id)
    plan_orgs = set(access.organization_ids_where(request.user, "plan"))
    columns: dict[str, list[Collaboration]] = {status: [] for status in services.COLLABORATION_ORDER}
    for collaboration in collaborations:
        collaboration.can_move = collaboration.campaign.organization_id in plan_orgs
        back, forward = services.collaboration_neighbours(collaboration.status)
        collaboration.back = (back, Collaboration.Status(back).label) if back else None
        collaboration.forward = (forward, Collaboration.Status(forward).label) if forward else None
        columns[collaboration.status].append(collaboration)
    return {
        "columns": [(status, Collaboration.Status(status).label, columns[status]) for status in columns],
        "campaigns": access.scope(Campaign.objects.filter(collaborations__isnull=False), request.user).distinct(),
        "campaign_id": campaign_id,
        "can_create": bool(plan_orgs),
        "error": error,
    }


def _campaign_param(request: HttpRequest) -> int | None:
    value = request.GET.get("campaign") or request.POST.get("campaign_filter") or ""
    return int(value) if value.isdigit() and len(value) < 10 else None


@require_safe
@needs(None)
def collaboration_board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request, campaign_id=_campaign_param(request))
    if is_htmx(request):
        return render(request, "campaigns/collaboration_board_columns.html", context)
    return render(request, "campaigns/collaboration_board.html", context)


@require_safe
@needs(None, model=Collaboration.objects.select_related("campaign", "influencer"), path="campaign__organization")
def collaboration_detail(request: HttpRequest, collaboration: Collaboration) -> HttpResponse:
    back, forward = services.collaboration_neighbours(collaboration.status)
    return render(
        request,
        "campaigns/collaboration_detail.html",
        {
            "collaboration": collaboration,
            "deliverables": collaboration.deliverables.select_related("account"),
            "can_plan": access.can(request.user, "plan", collaboration.campaign.organization_id),
            "back": (back, Collaboration.Status(back).label) if back else None,
            "forward": (forward, Collaboration.Status(forward).label) if forward else None,
        },
    )


@needs("plan")
def collaboration_create(request: HttpRequest) -> HttpResponse:
    org_ids = access.organization_ids_where(request.user, "plan")
    initial = {}
    for name in ("campaign", "influencer"):
        value = request.GET.get(name, "")
        if value.isdigit() and len(value) < 10:
            initial[name] = int(value)
    form = CollaborationForm(request.POST or None, org_ids=org_ids, initial=initial)
    if request.method == "POST" and form.is_valid():
        collaboration = form.save()
        messages.success(request, _("Collaboration “%(title)s” proposed.") % {"title": collaboration.title})
        return redirect("collaboration_detail", pk=collaboration.pk)
    return render(request, "campaigns/collaboration_form.html", {"form": form, "collaboration": None})


@needs("plan", model=Collaboration.objects.select_related("campaign"), path="campaign__organization")
def collaboration_edit(request: HttpRequest, collaboration: Collaboration) -> HttpResponse:
    form = CollaborationForm(request.POST or None, instance=collaboration,
                             org_ids=[collaboration.campaign.organization_id])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect("collaboration_detail", pk=collaboration.pk)
    return render(request, "campaigns/collaboration_form.html", {"form": form, "collaboration": collaboration})


@require_POST
@needs("plan", model=Collaboration.objects.select_related("campaign"), path="campaign__organization")
def collaboration_move(request: HttpRequest, collaboration: Collaboration) -> HttpResponse:
    """Move a card one column (htmx answers with the redrawn board; a plain form post redirects)."""
    error = ""
    try:
        services.collaboration_move(collaboration=collaboration, to_status=request.POST.get("to_status", ""),
                                    by=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if is_htmx(request):
        context = _board_context(request, campaign_id=_campaign_param(request), error=error)
        return render(request, "campaigns/collaboration_board_columns.html", context)
    if error:
        messages.error(request, error)
    if request.POST.get("next") == "detail":
        return redirect("collaboration_detail", pk=collaboration.pk)
    return redirect("collaboration_board")
