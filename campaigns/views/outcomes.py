"""Recording a campaign's objectives and the evidence of what changed (the results chain is shown by the
metrics app's fragment on the campaign page, which adds our own figures as the outputs)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campaigns.forms import EvidenceForm, ObjectiveForm
from campaigns.models import Campaign, Evidence, Objective
from campaigns.views.common import needs

OBJECTIVE_ORG = "campaign__organization"
EVIDENCE_ORG = "objective__campaign__organization"


@needs("plan", model=Campaign)
def objective_create(request, campaign):
    form = ObjectiveForm(request.POST or None, instance=Objective(campaign=campaign))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Objective saved. Record evidence against it as it comes in."))
        return redirect("campaign_detail", campaign.pk)
    return render(request, "campaigns/objective_form.html", {"form": form, "campaign": campaign, "objective": None})


@needs("plan", model=Objective.objects.select_related("campaign"), path=OBJECTIVE_ORG)
def objective_edit(request, objective):
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Objective saved."))
        return redirect("campaign_detail", objective.campaign_id)
    return render(request, "campaigns/objective_form.html",
                  {"form": form, "campaign": objective.campaign, "objective": objective})


@needs("plan", model=Objective.objects.select_related("campaign"), path=OBJECTIVE_ORG)
def evidence_create(request, objective):
    form = EvidenceForm(request.POST or None, instance=Evidence(objective=objective, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Evidence recorded."))
        return redirect("campaign_detail", objective.campaign_id)
    return render(request, "campaigns/evidence_form.html",
                  {"form": form, "objective": objective, "campaign": objective.campaign, "evidence": None})


@needs("plan", model=Evidence.objects.select_related("objective__campaign"), path=EVIDENCE_ORG)
def evidence_edit(request, evidence):
    form = EvidenceForm(request.POST or None, instance=evidence)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Evidence saved."))
        return redirect("campaign_detail", evidence.objective.campaign_id)
    return render(request, "campaigns/evidence_form.html", {"form": form, "objective": evidence.objective,
                                                            "campaign": evidence.objective.campaign,
                                                            "evidence": evidence})
