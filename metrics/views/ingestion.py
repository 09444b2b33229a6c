"""Ingestion health: per account of the user's organizations, how reading its metrics is going."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from campaigns import access
from campaigns.models import Account, Organization
from campaigns.views.common import needs
from metrics.ingestion import budgets
from metrics.ingestion.forms import BudgetForm
from metrics.models import AccountIngestionState, IngestionRun

RECENT_RUNS = 30
FAILURES_PER_ACCOUNT = 3


@dataclass
class AccountHealth:
    account: Account
    state: AccountIngestionState | None
    failures: list[IngestionRun]
    can_reconnect: bool
    backing_off: bool

    @property
    def needs_reconnect(self) -> bool:
        return self.account.connection_state == Account.Connection.NEEDS_RECONNECT


def ingestion_health_rows(user) -> tuple[list[AccountHealth], list[IngestionRun]]:
    now = timezone.now()
    accounts = list(
        access.scope(Account.objects.all(), user).select_related("organization", "ingestion_state", "influencer")
        .order_by("organization__name", "platform", "handle")
    )
    manage = set(access.organization_ids_where(user, "manage"))
    failed = (IngestionRun.objects.filter(account__in=accounts)
              .filter(status__in=[IngestionRun.Status.FAILED, IngestionRun.Status.PARTIAL]).order_by("-started_at"))
    failures: dict[int | None, list[IngestionRun]] = {}  # None never comes: the runs are of these accounts
    for run in failed[: FAILURES_PER_ACCOUNT * max(len(accounts), 1) * 4]:
        bucket = failures.setdefault(run.account_id, [])
        if len(bucket) < FAILURES_PER_ACCOUNT:
            bucket.append(run)
    rows = []
    for account in accounts:
        state = getattr(account, "ingestion_state", None)
        rows.append(AccountHealth(
            account=account, state=state, failures=failures.get(account.pk, []),
            can_reconnect=account.organization_id in manage,
            backing_off=bool(state and state.backoff_until and state.backoff_until > now),
        ))
    # Accounts that need a person first.
    rows.sort(key=lambda r: (not r.needs_reconnect, not r.backing_off))
    runs = list(IngestionRun.objects.filter(account__in=accounts).select_related("account")[:RECENT_RUNS])
    return rows, runs


@needs(None, writes="manage")
def ingestion_health(request: HttpRequest) -> HttpResponse:
    managed = Organization.objects.filter(id__in=access.organization_ids_where(request.user, "manage"))
    form = BudgetForm(request.POST if request.method == "POST" else None, organizations=managed,
                      initial={"platform": "youtube"})
    if request.method == "POST" and form.is_valid():
        budgets.budget_set(organization_id=form.cleaned_data["organization"].pk,
                           platform=form.cleaned_data["platform"], limit=form.cleaned_data["limit"])
        messages.success(request, gettext("Budget saved and planned."))
        return redirect("ingestion_health")
    rows, runs = ingestion_health_rows(request.user)
    return render(request, "metrics/ingestion_health.html", {
        "rows": rows, "runs": runs, "reconnect_count": sum(1 for r in rows if r.needs_reconnect),
        # The CSV import page was linked from nowhere; planners reach it from here.
        "can_import": bool(access.organization_ids_where(request.user, "plan")),
        "budget_rows": budgets.budget_rows(organization_ids=access.organization_ids_for(request.user)),
        "budget_form": form if managed.exists() else None,
        "youtube_quota": settings.YOUTUBE_PROJECT_DAILY_UNITS,
    }, status=400 if form.errors else 200)
