import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from campaigns.models import Post
from campaigns.services import TransitionError, post_transition, series_dates
from tests.factories import PostFactory


def test_series_dates_keep_local_time_across_dst_change():
    # New York leaves daylight time on 2026-11-01: 09:00 local is 13:00 UTC before, 14:00 UTC after.
    dates = series_dates(
        cadence="daily", start_date=dt.date(2026, 10, 30), end_date=dt.date(2026, 11, 2),
        time_of_day=dt.time(9, 0), tz_name="America/New_York",
    )
    assert [d.hour for d in dates] == [13, 13, 14, 14]
    assert all(d.tzinfo is dt.UTC for d in dates)


def test_series_dates_skip_a_nonexistent_local_time():
    # 02:30 does not exist in New York on 2026-03-08 (clocks jump from 02:00 to 03:00).
    (when,) = series_dates(
        cadence="dates", start_date=dt.date(2026, 3, 8), end_date=dt.date(2026, 3, 8),
        time_of_day=dt.time(2, 30), tz_name="America/New_York", listed_dates=["2026-03-08"],
    )
    assert when == dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC)  # 03:30 EDT


@pytest.mark.django_db
def test_reject_needs_a_comment_and_returns_to_draft(people, org):
    post = PostFactory(campaign__organization=org, status=Post.Status.IN_REVIEW)
    with pytest.raises(TransitionError):
        post_transition(post=post, action="reject", by=people.approver)
    post = post_transition(post=post, action="reject", by=people.approver, comment="Add the Arabic subtitles")
    assert post.status == Post.Status.DRAFT
    assert post.transitions.get().comment == "Add the Arabic subtitles"


@pytest.mark.django_db
def test_editor_cannot_approve(people, org):
    post = PostFactory(campaign__organization=org, status=Post.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        post_transition(post=post, action="approve", by=people.editor)
