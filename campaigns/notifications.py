"""Notifications: who is told what, in the app at once and by e-mail from the worker after commit.

`notify` is the one place that decides recipients; the workflow and the platforms' reports call it.
E-mail goes out in each recipient's own language and zone (like the weekly digest), never the sender's.
"""

from __future__ import annotations

import logging
import zoneinfo

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Account, Membership, Notification, Post, Role

logger = logging.getLogger(__name__)
K = Notification.Kind
EMAIL_TASK = "campaigns.email_notifications"
REVIEWER_ROLES = (Role.APPROVER, Role.ADMIN)


def _recipients(*, kind: str, post: Post | None, account: Account | None, actor) -> list:
    if kind == K.SUBMITTED and post is not None:
        memberships = Membership.objects.filter(organization_id=post.account.organization_id, role__in=REVIEWER_ROLES)
        users = [m.user for m in memberships.select_related("user")]
    elif kind in (K.APPROVED, K.REJECTED) and post is not None:
        users = [post.created_by] if post.created_by is not None else []
    elif kind == K.RECONNECT and account is not None:
        memberships = Membership.objects.filter(organization_id=account.organization_id, role=Role.ADMIN)
        users = [m.user for m in memberships.select_related("user")]
    else:
        raise ValueError(f"notification {kind!r} needs {'an account' if kind == K.RECONNECT else 'a post'}")
    # Nobody is told about their own step.
    return [u for u in users if u.is_active and (actor is None or u.pk != actor.pk)]


def notify(*, kind: str, post: Post | None = None, account: Account | None = None, actor=None,
           comment: str = "") -> list[Notification]:
    """Tell everyone concerned; their e-mails are sent by the worker once the caller's transaction commits."""
    notifications = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, post=post, account=account or (post.account if post else None),
                     actor=actor, comment=comment)
        for user in _recipients(kind=kind, post=post, account=account, actor=actor)
    ])
    ids = [n.pk for n in notifications]
    if ids:
        # Robust: the notifications are stored and shown in the app even when the broker is down.
        transaction.on_commit(lambda: current_app.send_task(EMAIL_TASK, args=[ids]), robust=True)
    return notifications


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read (or all, without an id); returns how many changed."""
    unread = Notification.objects.filter(recipient=user).unread()
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# --- E-mail (run by the worker) ----------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _subject(n: Notification) -> str:
    names = {"post": str(n.post) if n.post else "", "account": str(n.account) if n.account else ""}
    if n.kind == K.SUBMITTED:
        return _("To review: “%(post)s”") % names
    if n.kind == K.APPROVED:
        return _("Approved: “%(post)s”") % names
    if n.kind == K.REJECTED:
        return _("Sent back with a comment: “%(post)s”") % names
    return _("Reconnect %(account)s: the platform refused its token") % names


def _wants_email(n: Notification) -> bool:
    user = n.recipient
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    muted = profile.email_muted if profile else []
    return user.is_active and bool(user.email) and n.kind not in muted


def notifications_email(*, notification_ids: list[int]) -> int:
    """E-mail these notifications to recipients who want them; returns how many were sent.

    Each is claimed first (emailed_at), so a task delivered twice sends nothing twice.
    """
    sent = 0
    notifications = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
                     .select_related("recipient__profile", "post", "account", "actor"))
    with get_connection() as connection:
        for n in notifications:
            if not _wants_email(n):
                continue
            if Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()) != 1:
                continue  # another worker sent it
            profile = getattr(n.recipient, "profile", None) if hasattr(n.recipient, "profile") else None
            zone = profile.timezone if profile else settings.DEFAULT_USER_TIMEZONE
            language = (profile.language if profile else "") or settings.LANGUAGE_CODE
            with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
                context = {"n": n, "link": _absolute(n.target_path()), "settings_link": _absolute(reverse("profile"))}
                message = EmailMultiAlternatives(
                    _subject(n), render_to_string("emails/notification.txt", context), settings.DEFAULT_FROM_EMAIL,
                    [n.recipient.email], connection=connection,
                )
            try:
                message.send()
            except OSError:
                # The app still shows it; one refused e-mail must not stop the others.
                Notification.objects.filter(pk=n.pk).update(emailed_at=None)
                logger.exception("notification %s e-mail failed", n.pk)
                continue
            sent += 1
    return sent
