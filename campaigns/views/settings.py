"""Organization settings: the social accounts (admins), and each user's own profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from campaigns import access
from campaigns.forms import AccountForm, ProfileForm
from campaigns.models import Account, Profile
from campaigns.views.common import needs


@require_safe
@needs(None)
def account_list(request):
    accounts = access.scope(Account.objects.all(), request.user).select_related("organization", "influencer")
    return render(request, "campaigns/account_list.html", {
        "page": Paginator(accounts, 50).get_page(request.GET.get("page")),
        "manage_orgs": set(access.organization_ids_where(request.user, "manage")),
    })


@needs("manage")
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account = form.save()
        messages.success(request, _("Account %s added.") % account)
        return redirect("account_list")
    return render(request, "campaigns/account_form.html", {"form": form, "account": None})


@needs("manage", model=Account)
def account_edit(request, account):
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Account %s saved.") % account)
        return redirect("account_list")
    return render(request, "campaigns/account_form.html", {"form": form, "account": account})


@needs("self")
def profile(request):
    instance, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved; times are shown in %s.") % instance.timezone)
        return redirect("profile")
    return render(request, "campaigns/profile.html", {"form": form})


@require_POST
@needs("self")
def language_switch(request):
    """The navbar's language switcher: Django's set_language (cookie, safe redirect), remembered on the profile."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
    return response
