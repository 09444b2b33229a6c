import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from campaigns.models import Account, Post
from campaigns.services import (
    FOUND_ON_PLATFORM,
    FoundPost,
    TransitionError,
    account_mark_connected,
    account_mark_needs_reconnect,
    post_transition,
    posts_record_found,
    series_dates,
)
from tests.factories import AccountFactory, PostFactory


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


# --- what the platforms report ------------------------------------------------------------------

T = dt.datetime(2026, 11, 1, 10, 17, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_an_account_is_marked_for_reconnecting_then_connected_again():
    account = AccountFactory()
    account_mark_needs_reconnect(account_id=account.pk, error="HTTP 401 " + "x" * 3000)
    account.refresh_from_db()
    assert account.connection_state == Account.Connection.NEEDS_RECONNECT
    assert account.connection_error.startswith("HTTP 401") and len(account.connection_error) == 2000
    account_mark_connected(account_id=account.pk)
    account.refresh_from_db()
    assert account.connection_state == Account.Connection.CONNECTED and account.connection_error == ""


@pytest.mark.django_db
def test_a_post_found_unplanned_is_created_published_with_a_step_by_no_one():
    account = AccountFactory(language="fr")
    found = FoundPost("1_222", T, permalink="https://www.facebook.com/1/posts/def", title="t" * 400)
    post = posts_record_found(account=account, found=[found, found])["1_222"]
    assert post.status == Post.Status.PUBLISHED and post.campaign is None and post.language == "fr"
    assert len(post.title) == 300
    step = post.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.comment) == ("published", "published", None,
                                                                        FOUND_ON_PLATFORM)
    assert post.history.get().history_change_reason == "found on the platform"


@pytest.mark.django_db
def test_a_planned_post_found_published_records_its_step_once(people, org):
    planned = PostFactory(campaign__organization=org, status=Post.Status.SCHEDULED, platform_post_id="",
                          permalink="https://www.facebook.com/1/posts/abc")
    found = [FoundPost("1_111", T, permalink="https://www.facebook.com/1/posts/abc")]
    post = posts_record_found(account=planned.account, found=found, by=people.editor)["1_111"]
    assert post.pk == planned.pk and post.status == Post.Status.PUBLISHED and post.published_at == T
    step = post.transitions.get()
    assert (step.from_status, step.to_status, step.by, step.comment) == ("scheduled", "published", people.editor,
                                                                        FOUND_ON_PLATFORM)
    posts_record_found(account=planned.account, found=found)
    assert post.transitions.count() == 1  # found again: already published, nothing new to say


@pytest.mark.django_db
def test_posts_found_already_published_get_no_step():
    published = PostFactory(status=Post.Status.PUBLISHED, platform_post_id="1_333")
    posts_record_found(account=published.account, found=[FoundPost("1_333", T)])
    assert not published.transitions.exists()


@pytest.mark.django_db
def test_a_series_post_is_written_in_a_language_the_campaign_speaks(org):
    from campaigns.services import series_post_language
    from tests.factories import AccountFactory, CampaignFactory

    account = AccountFactory(organization=org, language="zh-Hant")
    assert series_post_language(CampaignFactory(organization=org, languages=["en"]), account) == "en"
    assert series_post_language(CampaignFactory(organization=org, languages=["en", "zh-Hant"]), account) == "zh-Hant"
    assert series_post_language(CampaignFactory(organization=org, languages=[]), account) == "zh-Hant"
