"""The influencer directory and the collaboration board (proposed → agreed → in progress → delivered → closed)."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from campaigns import access, services
from campaigns.models import Campaign, Collaboration, Influencer, Organization, Post
from campaigns.views.common import is_htmx, needs


def _split_list(text: str) -> list[str]:
    """'ar, en; fr' → ['ar', 'en', 'fr'] (order kept, duplicates and blanks dropped)."""
    seen: list[str] = []
    for item in re.split(r"[,;\n]+", text or ""):
        item = item.strip()
        if item and item not in seen:
            seen.append(item)
    return seen


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "6")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


# --- Influencers ----------------------------------------------------------------------------------


class InfluencerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=2)
    language = forms.CharField(label=gettext_lazy("Language"), required=False, max_length=16)
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False, max_length=100)


class InfluencerForm(forms.ModelForm):
    # Longer than the column so that "Kuwait" gets the helpful message, not "at most 2 characters".
    country = forms.CharField(label=gettext_lazy("Country"), required=False, max_length=64,
                              help_text=gettext_lazy("ISO 3166 code"))
    languages_text = forms.CharField(
        label=gettext_lazy("Languages"), required=False, max_length=200,
        help_text=gettext_lazy("Language codes separated by commas, e.g. ar, en"),
    )
    topics_text = forms.CharField(
        label=gettext_lazy("Topics"), required=False, max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. food, travel"),
    )

    class Meta:
        model = Influencer
        fields = ["organization", "name", "country", "languages_text", "topics_text", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, org_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(id__in=org_ids)
        self.fields["organization"].empty_label = None
        if self.instance.pk:
            # An influencer stays with the organization that keeps its record.
            self.fields["organization"].disabled = True
            self.initial["languages_text"] = ", ".join(self.instance.languages or [])
            self.initial["topics_text"] = ", ".join(self.instance.topics or [])
        _style(self)

    def clean_country(self) -> str:
        country = (self.cleaned_data.get("country") or "").strip().upper()
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            raise ValidationError(_("Use a two-letter ISO country code, e.g. KW."))
        return country

    def clean_languages_text(self) -> list[str]:
        languages = _split_list((self.cleaned_data.get("languages_text") or "").lower())
        bad = [code for code in languages if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})?", code)]
        if bad:
            raise ValidationError(_("Not a language code: %(codes)s") % {"codes": ", ".join(bad)})
        return languages

    def clean_topics_text(self) -> list[str]:
        return _split_list(self.cleaned_data.get("topics_text", ""))

    def save(self, commit: bool = True) -> Influencer:
        self.instance.languages = self.cleaned_data["languages_text"]
        self.instance.topics = self.cleaned_data["topics_text"]
        return super().save(commit=commit)


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


# --- Collaborations -------------------------------------------------------------------------------


class CollaborationForm(forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = [
            "title", "campaign", "influencer", "start_date", "end_date", "deliverables_description",
            "deliverables", "compensation_amount", "compensation_currency", "in_kind_terms",
            "sponsorship_disclosed", "content_rights", "outcome_notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deliverables_description": forms.Textarea(attrs={"rows": 3}),
            "in_kind_terms": forms.Textarea(attrs={"rows": 2}),
            "content_rights": forms.Textarea(attrs={"rows": 2}),
            "outcome_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "deliverables": gettext_lazy(
                "Posts on the influencer's accounts that this collaboration delivers (Ctrl or ⌘ to choose several)."
            ),
            "sponsorship_disclosed": gettext_lazy("The posts say openly that a government sponsors them."),
        }

    def __init__(self, *args, org_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(organization_id__in=org_ids)
        self.fields["influencer"].queryset = Influencer.objects.filter(organization_id__in=org_ids)
        self.fields["deliverables"].queryset = (
            Post.objects.filter(account__organization_id__in=org_ids, account__influencer__isnull=False)
            .select_related("account__influencer")
            .order_by("account__influencer__name", "planned_at")
        )
        self.fields["deliverables"].label_from_instance = lambda p: f"{p.account.influencer} · {p.account} · {p}"
        self.fields["deliverables"].required = False
        _style(self)

    def clean_compensation_currency(self) -> str:
        currency = (self.cleaned_data.get("compensation_currency") or "").strip().upper()
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValidationError(_("Use a three-letter currency code, e.g. TWD or USD."))
        return currency

    def clean(self):
        data = super().clean()
        campaign, influencer = data.get("campaign"), data.get("influencer")
        if campaign and influencer and campaign.organization_id != influencer.organization_id:
            self.add_error("influencer", _("This influencer belongs to another organization than the campaign."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end must not be before the start."))
        if influencer:
            foreign = [p for p in data.get("deliverables") or [] if p.account.influencer_id != influencer.pk]
            if foreign:
                self.add_error(
                    "deliverables",
                    _("Deliverables must be posts on this influencer's accounts: %(posts)s")
                    % {"posts": ", ".join(str(p) for p in foreign[:3])},
                )
        if data.get("compensation_amount") is not None and not data.get("compensation_currency"):
            self.add_error("compensation_currency", _("Give the currency of the compensation."))
        return data


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
    columns = {status: [] for status in services.COLLABORATION_ORDER}
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
