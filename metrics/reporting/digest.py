"""The weekly digest e-mail for managers (viewers) and admins: the overview's headline figures,
the campaigns' targets, what needs attention, and links to the dashboards.

Sent through Django's e-mail backend: the console backend in the demo, SMTP from the environment.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Membership, Role
from metrics.reporting import selectors
from metrics.reporting.formatting import change, compact

logger = logging.getLogger(__name__)
DIGEST_ROLES = (Role.VIEWER, Role.ADMIN)


@dataclass
class Digest:
    subject: str
    text: str
    html: str


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def digest_for(*, user) -> Digest | None:
    """The user's digest over the organizations where they manage or administer; None without any."""
    org_ids = list(
        Membership.objects.filter(user=user, role__in=DIGEST_ROLES).values_list("organization_id", flat=True)
    )
    if not org_ids:
        return None
    overview = selectors.org_overview(organization_ids=org_ids, days=7)
    campaigns = [
        {"campaign": c, "kpis": kpis, "url": _absolute(reverse("campaign_dashboard", args=[c.pk]))}
        for c, kpis in overview.campaigns
    ]
    context = {
        "user": user, "o": overview, "changes": overview.changes, "campaigns": campaigns,
        "overview_url": _absolute(reverse("org_overview")),
    }
    subject = _("Softpower weekly: %(views)s views (%(change)s), %(alerts)s to look at") % {
        "views": compact(overview.this_period.views), "change": change(overview.changes["views"]),
        "alerts": overview.alert_count,
    }
    return Digest(subject=subject, text=render_to_string("emails/digest.txt", context),
                  html=render_to_string("emails/digest.html", context))


def digests_send_weekly() -> int:
    """Send every manager and admin their digest; returns how many went out. One failure does not stop the rest."""
    users = (
        get_user_model().objects.filter(memberships__role__in=DIGEST_ROLES, is_active=True).exclude(email="")
        .distinct().select_related("profile")
    )
    sent = 0
    with get_connection() as connection:
        for user in users:
            profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
            zone = profile.timezone if profile else settings.DEFAULT_USER_TIMEZONE
            # Each reader's own zone and language, never whatever the sending thread had active.
            language = (profile.language if profile else "") or settings.LANGUAGE_CODE
            with timezone.override(zoneinfo.ZoneInfo(zone)), translation.override(language):
                digest = digest_for(user=user)
            if digest is None:
                continue
            message = EmailMultiAlternatives(digest.subject, digest.text, settings.DEFAULT_FROM_EMAIL, [user.email],
                                             connection=connection)
            message.attach_alternative(digest.html, "text/html")
            try:
                message.send()
            except OSError:
                logger.exception("weekly digest to user %s failed", user.pk)
                continue
            sent += 1
    return sent
