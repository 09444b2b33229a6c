"""Members of an organization (admins): invite by e-mail, change roles, remove; and the invitation link itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import members
from campaigns.forms import InvitationSignUpForm, InviteForm, RoleForm
from campaigns.models import Invitation, Membership, Organization
from campaigns.views.common import needs

HISTORY_SHOWN = 30


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@needs("manage", model=Organization, path="id")
def member_list(request, organization: Organization) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = members.member_invite(organization=organization, email=form.cleaned_data["email"],
                                               role=form.cleaned_data["role"], invited_by=request.user)
        except ValidationError as error:
            form.add_error("email", _errors(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("member_list", organization.pk)
    memberships = organization.memberships.select_related("user").order_by("user__username")
    history = (
        Membership.history.filter(organization_id=organization.pk)
        .select_related("user", "history_user").order_by("-history_date")[:HISTORY_SHOWN]
    )
    return render(request, "campaigns/member_list.html", {
        "organization": organization, "form": form,
        "members": [(m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships],
        "invitations": [i for i in organization.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
                        if i.is_open],
        "history": history,
    })


@require_POST
@needs("manage", model=Membership.objects.select_related("user", "organization"))
def member_role(request, membership: Membership) -> HttpResponse:
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            members.member_role_change(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("%(user)s is now %(role)s.") % {
                "user": membership.user.get_full_name() or membership.user.username,
                "role": membership.get_role_display()})
    else:
        messages.error(request, _("Choose one of the roles."))
    return redirect("member_list", membership.organization_id)


@require_POST
@needs("manage", model=Membership.objects.select_related("user", "organization"))
def member_remove(request, membership: Membership) -> HttpResponse:
    # The form asks to confirm, so that a stray POST removes no one.
    if request.POST.get("confirm") != "remove":
        messages.error(request, _("Nobody was removed: confirm the removal."))
        return redirect("member_list", membership.organization_id)
    organization_id = membership.organization_id
    name = membership.user.get_full_name() or membership.user.username
    try:
        members.member_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("%(user)s was removed from the organization.") % {"user": name})
    return redirect("member_list", organization_id)


@require_POST
@needs("manage", model=Invitation.objects.select_related("organization"))
def invitation_revoke(request, invitation: Invitation) -> HttpResponse:
    members.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("member_list", invitation.organization_id)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the signed link is the credential. A signed-in user accepts; a new person signs up here."""
    try:
        invitation = members.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "campaigns/invitation.html", {"problem": _errors(error)}, status=410)
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                members.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                return render(request, "campaigns/invitation.html", {"problem": _errors(error)}, status=403)
            messages.success(request, _("Welcome to %(organization)s.") % {"organization": invitation.organization})
            return redirect("home")
    elif not members.User.objects.filter(email__iexact=invitation.email).exists():
        form = InvitationSignUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = members.invitation_sign_up(invitation=invitation, **form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(organization)s.") % {"organization": invitation.organization})
            return redirect("home")
    return render(request, "campaigns/invitation.html", {"invitation": invitation, "form": form})
