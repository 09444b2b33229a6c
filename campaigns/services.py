"""Campaign-planning services: the review workflow, the series generator, and what the platforms report.

Views, API and commands call these; they check permissions here so that every entry point obeys
the same rules (campaigns.access). `metrics` writes campaigns' rows only through the last section
(account connection state, posts found on a platform), which takes plain values: campaigns never
imports metrics.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from campaigns import access
from campaigns.models import Account, Campaign, Collaboration, Event, Notification, Post, PostTransition, Series
from campaigns.notifications import notify

S = Post.Status


class TransitionError(ValidationError):
    """A workflow step that is not allowed from the post's current status."""


@dataclass(frozen=True)
class Action:
    name: str
    source: tuple[str, ...]
    target: str
    capability: str  # see campaigns.access.CAPABILITIES
    label: str  # marked with gettext_noop, translated where shown


# The workflow: idea → draft → in review → approved → scheduled → published; a rejection sends
# the post back to draft with a comment.
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("start_draft", (S.IDEA,), S.DRAFT, "plan", gettext_noop("Start draft")),
        Action("submit", (S.DRAFT,), S.IN_REVIEW, "plan", gettext_noop("Submit for review")),
        Action("approve", (S.IN_REVIEW,), S.APPROVED, "review", gettext_noop("Approve")),
        Action("reject", (S.IN_REVIEW, S.APPROVED), S.DRAFT, "review", gettext_noop("Reject")),
        Action("schedule", (S.APPROVED,), S.SCHEDULED, "plan", gettext_noop("Schedule")),
        Action("unschedule", (S.SCHEDULED,), S.APPROVED, "plan", gettext_noop("Unschedule")),
        Action("publish", (S.SCHEDULED, S.APPROVED), S.PUBLISHED, "plan", gettext_noop("Mark published")),
    ]
}


def post_available_actions(*, post: Post, user) -> list[Action]:
    """The actions this user may take on this post now (for buttons in the UI)."""
    org_id = post.account.organization_id
    return [a for a in ACTIONS.values() if post.status in a.source and access.can(user, a.capability, org_id)]


@transaction.atomic
def post_transition(
    *,
    post: Post,
    action: str,
    by,
    comment: str = "",
    published_at: dt.datetime | None = None,
    platform_post_id: str = "",
    permalink: str = "",
) -> Post:
    """Move a post one step through the workflow, or raise TransitionError / PermissionDenied."""
    if action not in ACTIONS:
        raise TransitionError(_("Unknown action “%(action)s”.") % {"action": action})
    step = ACTIONS[action]
    post = Post.objects.select_for_update().select_related("account").get(pk=post.pk)
    if not access.can(by, step.capability, post.account.organization_id):
        raise PermissionDenied(_("Your role does not allow “%(label)s”.") % {"label": _(step.label)})
    if post.status not in step.source:
        raise TransitionError(
            _("A post that is “%(status)s” cannot be moved with “%(label)s”; allowed from: %(allowed)s.")
            % {
                "status": post.get_status_display(),
                "label": _(step.label),
                "allowed": ", ".join(str(S(s).label) for s in step.source),
            }
        )
    if action == "reject" and not comment.strip():
        raise TransitionError(_("A rejection needs a comment saying what to change."))
    if action == "schedule":
        if post.planned_at is None:
            raise TransitionError(_("Set a planned time before scheduling."))
        if post.planned_at <= timezone.now():
            raise TransitionError(_("The planned time is in the past; choose a later time to schedule."))
    if action == "publish":
        post.published_at = published_at or post.published_at or timezone.now()
        post.platform_post_id = platform_post_id or post.platform_post_id
        post.permalink = permalink or post.permalink

    from_status = post.status
    post.status = step.target
    post._change_reason = f"{action}: {comment}" if comment else action  # read by django-simple-history
    post.save()
    PostTransition.objects.create(post=post, from_status=from_status, to_status=step.target, by=by, comment=comment)
    if action in NOTIFIED:
        notify(kind=NOTIFIED[action], post=post, actor=by, comment=comment)
    return post


# Workflow steps someone else needs to hear about (campaigns.notifications decides who).
NOTIFIED = {"submit": Notification.Kind.SUBMITTED, "approve": Notification.Kind.APPROVED,
            "reject": Notification.Kind.REJECTED}


# --- Series -----------------------------------------------------------------------------------

WEEKDAYS = range(0, 5)  # Monday..Friday


def _local_to_utc(day: dt.date, at: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The UTC instant of a wall-clock time in `tz`.

    A wall time that does not exist (clocks jumped forward) resolves, per PEP 495 fold=0, with the
    pre-jump offset: 02:30 on a spring-forward night becomes 03:30, the first valid minute after.
    A repeated wall time (clocks fell back) takes its first occurrence.
    """
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def series_dates(
    *,
    cadence: str,
    start_date: dt.date,
    end_date: dt.date,
    time_of_day: dt.time,
    tz_name: str,
    listed_dates: list[str] | None = None,
) -> list[dt.datetime]:
    """The UTC publication times of a series: `time_of_day` in the audience's zone on each day."""
    tz = zoneinfo.ZoneInfo(tz_name)
    if cadence == Series.Cadence.DATES:
        days = sorted({dt.date.fromisoformat(str(d)) for d in listed_dates or []})
    else:
        days = []
        day = start_date
        while day <= end_date:
            if (
                cadence == Series.Cadence.DAILY
                or (cadence == Series.Cadence.WEEKDAYS and day.weekday() in WEEKDAYS)
                or (cadence == Series.Cadence.WEEKLY and day.weekday() == start_date.weekday())
            ):
                days.append(day)
            day += dt.timedelta(days=1)
    return [_local_to_utc(day, time_of_day, tz) for day in days]


def series_preview(*, series: Series) -> list[dt.datetime]:
    return series_dates(
        cadence=series.cadence,
        start_date=series.start_date,
        end_date=series.end_date,
        time_of_day=series.time_of_day,
        tz_name=series.timezone,
        listed_dates=series.listed_dates,
    )


def series_post_language(campaign: Campaign, account: Account) -> str:
    """The account's language when the campaign speaks it (or names none), else the campaign's first language:
    a series aimed at the United States is not written in the ministry's own language by default."""
    languages = [tag.lower() for tag in campaign.languages or []]
    if not languages or (account.language or "").lower() in languages:
        return account.language
    return campaign.languages[0]


def series_post_event(events: Sequence[Event], when: dt.datetime) -> Event | None:
    """The campaign's event a series post belongs to, so timeliness can judge it: the one under way at the
    post's time, else the nearest by its start (a campaign usually has one)."""
    if not events:
        return None
    under_way = [e for e in events if e.starts_at <= when <= (e.ends_at or e.starts_at)]
    return min(under_way or events, key=lambda e: (abs((e.starts_at - when).total_seconds()), e.pk))


@transaction.atomic
def series_generate_posts(*, series: Series, by) -> list[Post]:
    """Create the planned posts of a series (one per date and account), skipping those that exist.

    Running it twice creates nothing new; posts already edited by hand are left alone.
    """
    if not access.can(by, "plan", series.campaign.organization_id):
        raise PermissionDenied(_("Your role does not allow planning posts."))
    accounts = list(series.accounts.all())
    if not accounts:
        raise ValidationError(_("Choose at least one account for the series."))
    existing = set(series.posts.values_list("account_id", "planned_at"))
    events = list(series.campaign.events.all())
    created = []
    for n, when in enumerate(series_preview(series=series), start=1):
        for account in accounts:
            if (account.id, when) in existing:
                continue
            title = series.title_template.replace("{n}", str(n)) if series.title_template else f"{series.name} #{n}"
            post = Post(
                campaign=series.campaign,
                series=series,
                account=account,
                status=Post.Status.DRAFT,
                planned_at=when,
                format=series.format,
                title=title[:300],
                language=series_post_language(series.campaign, account),
                created_by=by,
                event=series_post_event(events, when),
            )
            post._change_reason = "generated by series planner"
            created.append(post)
    # Saved one by one (not bulk_create) so history records each new post.
    for post in created:
        post.save()
    return created


# --- Posts found on a platform, given to a campaign ---------------------------------------------


@transaction.atomic
def posts_attach_to_campaign(*, post_ids: Sequence[int], campaign: Campaign, by) -> list[Post]:
    """Give posts that belong to no campaign (imported or found on an account) to `campaign`, all or none.

    A post of another organization does not exist for this; one already in a campaign is refused,
    so that moving planned posts between campaigns stays the post form's decision.
    """
    if not access.can(by, "plan", campaign.organization_id):
        raise PermissionDenied(_("Your role does not allow planning posts."))
    wanted = set(post_ids)
    if not wanted:
        raise ValidationError({"posts": _("Choose at least one post.")})
    posts = list(Post.objects.select_for_update().filter(pk__in=wanted,
                                                         account__organization_id=campaign.organization_id))
    missing = wanted - {p.pk for p in posts}
    if missing:
        raise ValidationError({"posts": _("These posts were not found: %(ids)s")
                               % {"ids": ", ".join(map(str, sorted(missing)))}})
    taken = [p for p in posts if p.campaign_id is not None]
    if taken:
        raise ValidationError({"posts": _("Already in a campaign: %(posts)s") % {"posts": ", ".join(map(str, taken))}})
    for post in posts:
        post.campaign = campaign
        post._change_reason = f"attached to campaign {campaign.pk}"  # read by django-simple-history
        post.save(update_fields=["campaign", "updated_at"])
    return posts


# --- Collaborations ---------------------------------------------------------------------------

COLLABORATION_ORDER: list[str] = [
    Collaboration.Status.PROPOSED,
    Collaboration.Status.AGREED,
    Collaboration.Status.IN_PROGRESS,
    Collaboration.Status.DELIVERED,
    Collaboration.Status.CLOSED,
]


def collaboration_neighbours(status: str) -> tuple[str | None, str | None]:
    """The statuses one step back and one step forward on the board (None at either end)."""
    i = COLLABORATION_ORDER.index(status)
    back = COLLABORATION_ORDER[i - 1] if i > 0 else None
    forward = COLLABORATION_ORDER[i + 1] if i + 1 < len(COLLABORATION_ORDER) else None
    return back, forward


@transaction.atomic
def collaboration_move(*, collaboration: Collaboration, to_status: str, by) -> Collaboration:
    """Move a collaboration one column forward or back on the board; any other jump is refused."""
    collaboration = Collaboration.objects.select_for_update().select_related("campaign").get(pk=collaboration.pk)
    if not access.can(by, "plan", collaboration.campaign.organization_id):
        raise PermissionDenied(_("Your role does not allow changing collaborations."))
    if to_status not in COLLABORATION_ORDER:
        raise ValidationError(_("Unknown collaboration status “%(status)s”.") % {"status": to_status})
    if to_status not in collaboration_neighbours(collaboration.status):
        raise ValidationError(
            _("A collaboration that is “%(from)s” can only move one step, not to “%(to)s”.")
            % {
                "from": collaboration.get_status_display(),
                "to": Collaboration.Status(to_status).label,
            }
        )
    collaboration.status = to_status
    collaboration.save(update_fields=["status"])
    return collaboration


# --- What the platforms report (called by metrics' ingestion and CSV imports) -----------------


def account_mark_connected(*, account_id: int) -> None:
    """A run reached the platform with the account's token: it is connected, with no error kept."""
    # Most runs find it connected already: then the filter matches nothing and nothing is written.
    Account.objects.filter(pk=account_id).exclude(connection_state=Account.Connection.CONNECTED,
                                                  connection_error="").update(
        connection_state=Account.Connection.CONNECTED, connection_error=""
    )


@transaction.atomic
def account_mark_needs_reconnect(*, account_id: int, error: str) -> None:
    """The platform refused the token: only a person can fix this, by reconnecting the account.

    The admins are told once, when the account stops working, not on every refused run after.
    """
    accounts = Account.objects.filter(pk=account_id)
    fields = {"connection_state": Account.Connection.NEEDS_RECONNECT, "connection_error": error[:2000]}
    if accounts.exclude(connection_state=Account.Connection.NEEDS_RECONNECT).update(**fields):
        notify(kind=Notification.Kind.RECONNECT, account=accounts.select_related("organization").get())
    else:
        accounts.update(**fields)


@dataclass(frozen=True)
class FoundPost:
    """A post as a platform reports it (by its API or in a CSV export); plain values, no ORM."""

    platform_post_id: str
    published_at: dt.datetime | None = None
    permalink: str = ""
    format: str = "text"  # a campaigns.models.PostFormat value
    title: str = ""
    body: str = ""
    language: str = ""


# The comment of the workflow step recorded for a post found published; stored as written, in English.
FOUND_ON_PLATFORM = gettext_noop("Found published on the platform")
FOUND_REASON = "found on the platform"  # the history row's change reason, like the workflow's action names


@transaction.atomic
def posts_record_found(*, account: Account, found: Sequence[FoundPost], by=None, max_new: int | None = None,
                       _retry: bool = True) -> dict[str, Post]:
    """platform_post_id → Post for every found post: planned posts are linked, the rest created.

    A found post is matched to a planned one by platform id first, then by permalink; what matches
    nothing becomes a published post outside any campaign. Each post that becomes published gets a
    workflow step (by `by`, or by no one when a sync found it) so its history says how.

    New posts and their steps are written in bulk inserts (with their history rows): a
    100,000-row CSV export creating them one by one spent most of its time on single-row inserts.
    With `max_new`, at most that many posts are created; the found posts beyond it are left out of
    the result (the caller reports them).
    """
    ids = [f.platform_post_id for f in found]
    links = [f.permalink for f in found if f.permalink]
    known = Post.objects.filter(account=account).filter(Q(platform_post_id__in=ids) | Q(permalink__in=links))
    by_id = {p.platform_post_id: p for p in known if p.platform_post_id}
    by_link = {p.permalink: p for p in known if p.permalink}
    result: dict[str, Post] = {}
    new: dict[str, Post] = {}
    steps: list[PostTransition] = []
    for f in found:
        if f.platform_post_id in result or f.platform_post_id in new:
            continue
        post = by_id.get(f.platform_post_id) or (by_link.get(f.permalink) if f.permalink else None)
        if post is None:
            if max_new is not None and len(new) >= max_new:
                continue
            new[f.platform_post_id] = Post(
                account=account, status=Post.Status.PUBLISHED, platform_post_id=f.platform_post_id,
                permalink=f.permalink, published_at=f.published_at, format=f.format, title=f.title[:300],
                body=f.body, language=f.language or account.language,
            )
            continue
        step = _post_link(post, f, by=by)
        if step is not None:
            steps.append(step)
        result[f.platform_post_id] = post
        by_id[f.platform_post_id] = post
    # Before the new posts: a retry below finds these already published and records nothing twice.
    PostTransition.objects.bulk_create(steps, batch_size=500)
    if new:
        try:
            with transaction.atomic():
                created = bulk_create_with_history(list(new.values()), Post, batch_size=500, default_user=by,
                                                   default_change_reason=FOUND_REASON)
        except IntegrityError:
            if not _retry:
                raise
            # Another run created some of these meanwhile: match again, and they are found this time.
            return posts_record_found(account=account, found=found, by=by, max_new=max_new, _retry=False)
        # A post unknown until now was never planned: its first step is already "published".
        PostTransition.objects.bulk_create(
            [_found_step(post, from_status=Post.Status.PUBLISHED, by=by) for post in created], batch_size=500
        )
        result.update({post.platform_post_id: post for post in created})
    return result


def _found_step(post: Post, *, from_status: str, by) -> PostTransition:
    return PostTransition(post=post, from_status=from_status, to_status=Post.Status.PUBLISHED, by=by,
                          comment=FOUND_ON_PLATFORM)


def _post_link(post: Post, f: FoundPost, *, by) -> PostTransition | None:
    """Fill in what the platform says about a known post; the planning status follows the facts.

    Returns the workflow step to record when the post was not published yet.
    """
    changed = []
    if not post.platform_post_id:
        post.platform_post_id = f.platform_post_id
        changed.append("platform_post_id")
    if f.permalink and not post.permalink:
        post.permalink = f.permalink
        changed.append("permalink")
    if f.published_at and not post.published_at:
        post.published_at = f.published_at
        changed.append("published_at")
    step = None
    if post.status != Post.Status.PUBLISHED:
        step = _found_step(post, from_status=post.status, by=by)
        post.status = Post.Status.PUBLISHED
        post._change_reason = FOUND_REASON  # read by django-simple-history
        changed.append("status")
    if changed:
        post.save(update_fields=[*changed, "updated_at"])
    return step
