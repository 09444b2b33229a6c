"""Upload a platform export, then watch it import (an htmx-polled progress fragment)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import access, services
from campaigns.forms import AttachPostsForm
from campaigns.models import Account
from campaigns.views.common import needs, require, scoped_get
from metrics.imports.formats import FORMATS_BY_KEY
from metrics.imports.forms import ImportForm
from metrics.imports.service import import_start
from metrics.models import MetricImport

ERRORS_SHOWN = 200


def _plannable_accounts(user):
    return Account.objects.filter(organization_id__in=access.organization_ids_where(user, "plan")).select_related(
        "organization")


IMPORTS = MetricImport.objects.select_related("account", "uploaded_by")


def _imports_for(user):
    return access.scope(IMPORTS, user, path="account__organization")


# Every member sees the imports; uploading needs "plan" (somewhere, then on the chosen account).
@needs(None, writes="plan")
def import_list(request):
    accounts = _plannable_accounts(request.user)
    if request.method == "POST":
        account_id = request.POST.get("account", "")
        if account_id.isdigit():
            # Another organization's account is not found; one of the user's own needs "plan".
            account = scoped_get(request.user, Account, account_id)
            require(request.user, "plan", account.organization_id)
        form = ImportForm(request.POST, request.FILES, accounts=accounts)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            imp = import_start(account=form.cleaned_data["account"], uploaded_file=upload, by=request.user,
                               original_name=upload.name)
            return redirect("metric_import_detail", pk=imp.pk)
        status = 400
    else:
        initial = {}
        wanted = request.GET.get("account", "")
        if wanted.isdigit():
            initial["account"] = scoped_get(request.user, Account, wanted).pk
        form = ImportForm(accounts=accounts, initial=initial)
        status = 200
    # row_errors can hold 100,000 entries per import: the list does not need them.
    imports = _imports_for(request.user).defer("row_errors")[:25]
    context = {"form": form, "can_upload": accounts.exists(), "imports": imports}
    return render(request, "metrics/import_list.html", context, status=status)


def _context(imp: MetricImport) -> dict:
    errors = imp.row_errors or []
    total = imp.total_rows or 0
    return {
        "imp": imp,
        "format_label": (gettext(FORMATS_BY_KEY[imp.detected_format].label)
                         if imp.detected_format in FORMATS_BY_KEY else ""),
        "running": imp.status in (MetricImport.Status.PENDING, MetricImport.Status.RUNNING),
        "percent": round(100 * imp.processed_rows / total) if total else 0,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
        "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
    }


# Every member sees the import; giving its account's posts to a campaign needs "plan".
@needs(None, model=IMPORTS, path="account__organization", writes="plan")
@require_http_methods(["GET", "HEAD", "POST"])
def import_detail(request, imp: MetricImport):
    form = AttachPostsForm(request.POST or None, account=imp.account)
    if request.method == "POST" and form.is_valid():
        campaign = form.cleaned_data["campaign"]
        try:
            attached = services.posts_attach_to_campaign(
                post_ids=[p.pk for p in form.cleaned_data["posts"]], campaign=campaign, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, ngettext("%(n)s post is now in “%(campaign)s”.",
                                               "%(n)s posts are now in “%(campaign)s”.", len(attached))
                             % {"n": len(attached), "campaign": campaign})
            return redirect("metric_import_detail", pk=imp.pk)
    return render(request, "metrics/import_detail.html", {
        **_context(imp), "attach_form": form,
        "can_attach": access.can(request.user, "plan", imp.account.organization_id),
    })


@needs(None, model=IMPORTS, path="account__organization")
@require_GET
def import_progress(request, imp: MetricImport):
    return render(request, "metrics/import_progress.html", _context(imp))
