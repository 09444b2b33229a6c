"""The notable-accounts watch list, and amplifications of a post recorded by hand (the worker records the ones
the platform reports; both show on the post page, the campaign dashboard and in the report)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from campaigns import access
from campaigns.forms import AmplificationForm, NotableAccountForm
from campaigns.models import Amplification, NotableAccount, Post
from campaigns.views.common import needs


@require_safe
@needs(None)
def notable_list(request: HttpRequest) -> HttpResponse:
    notables = (
        access.scope(NotableAccount.objects.all(), request.user)
        .select_related("organization")
        .annotate(amplification_count=Count("amplifications"))
    )
    plan_orgs = set(access.organization_ids_where(request.user, "plan"))
    for notable in notables:
        notable.can_edit = notable.organization_id in plan_orgs
    return render(request, "campaigns/notable_list.html", {
        "notables": notables, "can_create": bool(plan_orgs),
        "several_orgs": len(access.organization_ids_for(request.user)) > 1,
    })


@needs("plan")
def notable_create(request: HttpRequest) -> HttpResponse:
    form = NotableAccountForm(request.POST or None, org_ids=access.organization_ids_where(request.user, "plan"))
    if request.method == "POST" and form.is_valid():
        notable = form.save()
        messages.success(request, _("“%(name)s” is on the watch list.") % {"name": notable.name})
        return redirect("notable_list")
    return render(request, "campaigns/notable_form.html", {"form": form, "notable": None})


@needs("plan", model=NotableAccount)
def notable_edit(request: HttpRequest, notable: NotableAccount) -> HttpResponse:
    form = NotableAccountForm(request.POST or None, instance=notable, org_ids=[notable.organization_id])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect("notable_list")
    return render(request, "campaigns/notable_form.html", {"form": form, "notable": notable})


@needs("plan", model=Post.objects.select_related("account"), path="account__organization")
def amplification_create(request, post: Post) -> HttpResponse:
    instance = Amplification(post=post, source=Amplification.Source.MANUAL, created_by=request.user)
    form = AmplificationForm(request.POST or None, instance=instance, post=post)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Amplification recorded."))
        return redirect("post_detail", post.pk)
    return render(request, "campaigns/amplification_form.html", {"form": form, "post": post})


@require_POST
@needs("plan", model=Post.objects.select_related("account"), path="account__organization")
def post_amplification_remove(request, post: Post) -> HttpResponse:
    """Remove one amplification entered by hand (the worker's finds stay: the platform says they happened)."""
    raw = request.POST.get("amplification", "")
    removed = 0
    if raw.isdigit() and len(raw) < 19:
        removed, _deleted = post.amplifications.filter(pk=int(raw), source=Amplification.Source.MANUAL).delete()
    if removed:
        messages.success(request, _("Amplification removed."))
    else:
        messages.error(request, _("Nothing was removed: that amplification is not one entered by hand on this post."))
    return redirect("post_detail", post.pk)
