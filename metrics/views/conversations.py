"""The community inbox: reply rate and response time per account, and the questions still waiting (read-only;
the answer is written on the platform, which each question links to)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import access
from campaigns.models import Account
from campaigns.views.common import needs
from metrics.reporting.selectors.conversations import account_reply_stats, unanswered_questions

PERIOD_DAYS = 30


@needs(None)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    accounts = access.scope(Account.objects.filter(influencer__isnull=True), request.user).select_related(
        "organization").order_by("organization__name", "platform", "handle")
    chosen = request.GET.get("account", "")
    shown = accounts.filter(pk=int(chosen)) if chosen.isdigit() and len(chosen) < 10 else accounts
    since = timezone.now() - dt.timedelta(days=PERIOD_DAYS)
    return render(request, "metrics/inbox.html", {
        "accounts": accounts, "chosen": chosen, "days": PERIOD_DAYS,
        "stats": account_reply_stats(accounts=shown, since=since),
        "questions": unanswered_questions(accounts=shown),
    })
