"""The content calendar: month and week grids of posts, bucketed by day in the viewer's time zone.

A post sits on the day of its published time when it has one, else of its planned time. Days are cut
at midnight in the viewer's zone (not UTC): a post planned for 23:30 UTC shows on the next day in
Taipei, which is where the team sitting in Taipei expects it.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from campaigns import access
from campaigns.models import Event, Post

MONTH = "month"
WEEK = "week"
VIEWS = (MONTH, WEEK)
# A month cell shows this many posts, then "+N more" opening that week: accounts that publish several
# times a day (and the posts found on them by ingestion) would otherwise stretch a month over metres.
MONTH_CELL_LIMIT = 6

# Bootstrap colour of each workflow status, shared by the grid and its legend.
STATUS_COLOURS: dict[str, str] = {
    Post.Status.IDEA: "secondary",
    Post.Status.DRAFT: "dark",
    Post.Status.IN_REVIEW: "warning",
    Post.Status.APPROVED: "info",
    Post.Status.SCHEDULED: "primary",
    Post.Status.PUBLISHED: "success",
}


@dataclass
class CalendarDay:
    date: dt.date
    in_range: bool  # False for the grey days of neighbouring months in the month view
    is_today: bool
    posts: list[Post] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # diplomatic events on that day (or spanning it)
    limit: int | None = None  # how many posts the cell shows; None shows all (week view)

    @property
    def shown(self) -> list[Post]:
        if self.limit is None or len(self.posts) <= self.limit:
            return self.posts
        # The team's own campaign posts first, then posts found on the accounts; shown in time order.
        # `when` is annotated by calendar_posts, which the model's type cannot know (here and below).
        kept = sorted(self.posts, key=lambda p: (p.campaign_id is None, p.when))[: self.limit]  # type: ignore[attr-defined]
        return sorted(kept, key=lambda p: p.when)  # type: ignore[attr-defined]

    @property
    def hidden_count(self) -> int:
        return len(self.posts) - len(self.shown)


@dataclass(frozen=True)
class CalendarFilters:
    campaign_id: int | None = None
    account_id: int | None = None
    platform: str = ""
    status: str = ""


@dataclass
class CalendarGrid:
    view: str
    anchor: dt.date
    first_day: dt.date  # first day shown
    last_day: dt.date  # last day shown (inclusive)
    weeks: list[list[CalendarDay]]
    previous: dt.date
    next: dt.date
    post_count: int


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 + months
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def calendar_range(*, view: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) shown: whole Monday-to-Sunday weeks."""
    if view == WEEK:
        first = anchor - dt.timedelta(days=anchor.weekday())
        return first, first + dt.timedelta(days=6)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
    return weeks[0][0], weeks[-1][-1]


def calendar_posts(
    *, user, first_day: dt.date, last_day: dt.date, tz: zoneinfo.ZoneInfo, filters: CalendarFilters
) -> QuerySet[Post]:
    """The user's posts whose day (in `tz`) falls between first_day and last_day, with `when` annotated."""
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    posts = (
        access.scope(Post.objects.all(), user, path="account__organization")
        .annotate(when=Coalesce("published_at", "planned_at"))
        .filter(when__gte=start, when__lt=end)
        .select_related("account", "campaign")
        .order_by("when", "id")
    )
    if filters.campaign_id:
        posts = posts.filter(campaign_id=filters.campaign_id)
    if filters.account_id:
        posts = posts.filter(account_id=filters.account_id)
    if filters.platform:
        posts = posts.filter(account__platform=filters.platform)
    if filters.status:
        posts = posts.filter(status=filters.status)
    return posts


def calendar_events(
    *, user, first_day: dt.date, last_day: dt.date, tz: zoneinfo.ZoneInfo, filters: CalendarFilters
) -> QuerySet[Event]:
    """The user's events overlapping the days shown (a campaign's own events when filtered by campaign)."""
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    events = (
        access.scope(Event.objects.all(), user)
        .filter(starts_at__lt=end)
        .filter(Q(ends_at__gte=start) | Q(ends_at__isnull=True, starts_at__gte=start))
        .order_by("starts_at", "id")
    )
    if filters.campaign_id:
        events = events.filter(campaigns__id=filters.campaign_id)
    return events


def calendar_grid(
    *, user, view: str, anchor: dt.date, today: dt.date, tz: zoneinfo.ZoneInfo, filters: CalendarFilters
) -> CalendarGrid:
    view = view if view in VIEWS else MONTH
    first_day, last_day = calendar_range(view=view, anchor=anchor)
    days: dict[dt.date, CalendarDay] = {}
    day = first_day
    while day <= last_day:
        in_range = view == WEEK or day.month == anchor.month
        days[day] = CalendarDay(
            date=day, in_range=in_range, is_today=day == today, limit=None if view == WEEK else MONTH_CELL_LIMIT
        )
        day += dt.timedelta(days=1)

    for event in calendar_events(user=user, first_day=first_day, last_day=last_day, tz=tz, filters=filters):
        start = max(event.starts_at.astimezone(tz).date(), first_day)
        end = min((event.ends_at or event.starts_at).astimezone(tz).date(), last_day)
        while start <= end:
            days[start].events.append(event)
            start += dt.timedelta(days=1)

    count = 0
    for post in calendar_posts(user=user, first_day=first_day, last_day=last_day, tz=tz, filters=filters):
        local_day = post.when.astimezone(tz).date()  # type: ignore[attr-defined]
        if local_day in days:  # always true; guards against a database returning a naive edge value
            post.colour = STATUS_COLOURS.get(post.status, "secondary")
            days[local_day].posts.append(post)
            count += 1

    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    if view == WEEK:
        previous, following = anchor - dt.timedelta(days=7), anchor + dt.timedelta(days=7)
    else:
        previous, following = _add_months(anchor, -1), _add_months(anchor, 1)
    return CalendarGrid(
        view=view,
        anchor=anchor,
        first_day=first_day,
        last_day=last_day,
        weeks=weeks,
        previous=previous,
        next=following,
        post_count=count,
    )
