"""The personal API tokens page: create (name + lifetime), see the key once, list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import tokens
from campaigns.forms import ApiTokenForm
from campaigns.models import ApiToken
from campaigns.views.common import needs


# Personal, not organizational: every signed-in user manages their own tokens.
@needs("self")
def api_tokens(request):
    new_key = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            token, new_key = tokens.token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            # Rendered, not redirected: the key must not be stored anywhere to be shown again.
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "campaigns/api_tokens.html", context)


@needs("self")
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” revoked; scripts using it now get 401.") % {"name": token.name})
    return redirect("api_tokens")
