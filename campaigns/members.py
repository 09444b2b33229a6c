"""Members of an organization: invitations by e-mail, role changes and removal.

One rule holds everywhere (pages, API): an organization always keeps at least one admin, so nobody can lock
everyone out of its settings. Every role change and removal is kept in the membership's history.
"""

from __future__ import annotations

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Invitation, Membership, Organization, Role
from campaigns.models.members import INVITATION_DAYS

User = get_user_model()
TOKEN_SALT = "softpower.invitation"


def _another_admin_stays(membership: Membership) -> bool:
    return (
        Membership.objects.filter(organization_id=membership.organization_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


def member_role_change(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _another_admin_stays(membership):
        raise ValidationError({"role": _("This is the organization's last admin: make someone else admin first.")})
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    """Take the user out of the organization; a user left in no organization is deactivated (cannot log in)."""
    if membership.role == Role.ADMIN and not _another_admin_stays(membership):
        raise ValidationError(_("This is the organization's last admin: make someone else admin first."))
    user = membership.user
    membership.delete()
    if not Membership.objects.filter(user=user).exists() and not user.is_superuser:
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def member_invite(*, organization: Organization, email: str, role: str, invited_by) -> Invitation:
    """Invite an address (renewing an open invitation to it); the e-mail goes out from the worker after commit."""
    email = email.strip()
    if Membership.objects.filter(organization=organization, user__email__iexact=email, user__is_active=True).exists():
        raise ValidationError({"email": _("Someone with this address is already a member.")})
    Invitation.objects.filter(organization=organization, email__iexact=email, accepted_at__isnull=True,
                              revoked_at__isnull=True).update(revoked_at=timezone.now())
    invitation = Invitation(organization=organization, email=email, role=role, invited_by=invited_by)
    invitation.full_clean()
    invitation.save()
    # The id only: the signed link is a secret and is made by the task, never carried in the broker.
    transaction.on_commit(lambda: current_app.send_task("campaigns.send_invitation", args=[invitation.pk]))
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"invitation": invitation.pk, "email": invitation.email.lower()}, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link stands for, or ValidationError saying why it cannot be used."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation has expired. Ask an admin to invite you again.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid. Check that it was copied whole.")) from None
    invitation = Invitation.objects.select_related("organization").filter(pk=data.get("invitation")).first()
    if invitation is None or invitation.email.lower() != data.get("email"):
        raise ValidationError(_("This invitation link is not valid. Check that it was copied whole."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used. Log in to continue."))
    if not invitation.is_open:
        raise ValidationError(_("This invitation was withdrawn or has expired. Ask an admin to invite you again."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to %(email)s. Log in as that user, or ask for an "
                                "invitation to your own address.") % {"email": invitation.email})
    membership, created = Membership.objects.get_or_create(user=user, organization=invitation.organization,
                                                           defaults={"role": invitation.role})
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_sign_up(*, invitation: Invitation, username: str, password: str, first_name: str = "",
                       last_name: str = ""):
    """A new user from an invitation: the address is the invited one, so it needs no separate confirmation."""
    user = User.objects.create_user(username=username, email=invitation.email, password=password,
                                    first_name=first_name, last_name=last_name)
    invitation_accept(invitation=invitation, user=user)
    return user


def invitation_send(invitation_id: int) -> bool:
    """E-mail the link, in the inviter's language (the invited person has no preference yet)."""
    invitation = Invitation.objects.select_related("organization", "invited_by__profile").filter(
        pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return False
    inviter = invitation.invited_by
    profile = getattr(inviter, "profile", None) if inviter is not None and hasattr(inviter, "profile") else None
    language = (profile.language if profile else "") or settings.LANGUAGE_CODE
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[invitation_token(invitation)])
    with translation.override(language):
        context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS,
                   "inviter": (inviter.get_full_name() or inviter.username) if inviter else "Softpower",
                   "role": invitation.get_role_display()}
        subject = _("You are invited to %(organization)s on Softpower") % {"organization": invitation.organization}
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True
