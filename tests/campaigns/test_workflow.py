"""Every workflow transition, legal and illegal, through the service and through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Post, PostTransition
from campaigns.services import ACTIONS, TransitionError, post_transition
from tests.factories import PostFactory

S = Post.Status
ALL = [(status, action) for status in S.values for action in ACTIONS]
# The table the product promises (issue 2): idea → draft → in review → approved → scheduled → published,
# rejection back to draft; unscheduling back to approved; approved or scheduled posts can be marked published.
LEGAL = {
    (S.IDEA, "start_draft"): S.DRAFT,
    (S.DRAFT, "submit"): S.IN_REVIEW,
    (S.IN_REVIEW, "approve"): S.APPROVED,
    (S.IN_REVIEW, "reject"): S.DRAFT,
    (S.APPROVED, "reject"): S.DRAFT,
    (S.APPROVED, "schedule"): S.SCHEDULED,
    (S.SCHEDULED, "unschedule"): S.APPROVED,
    (S.SCHEDULED, "publish"): S.PUBLISHED,
    (S.APPROVED, "publish"): S.PUBLISHED,
}
ROLE_MAY = {
    "admin": set(ACTIONS),
    "editor": {"start_draft", "submit", "schedule", "unschedule", "publish"},
    "approver": {"approve", "reject"},
    "viewer": set(),
}


def _post(org, status):
    return PostFactory(campaign__organization=org, status=status, planned_at=timezone.now() + dt.timedelta(days=2))


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), ALL)
def test_service_transition_table(status, action, org, people):
    post = _post(org, status)
    if (status, action) in LEGAL:
        moved = post_transition(post=post, action=action, by=people.admin, comment="Looks off-message")
        assert moved.status == LEGAL[(status, action)]
        step = PostTransition.objects.get(post=post)
        assert (step.from_status, step.to_status, step.by) == (status, moved.status, people.admin)
    else:
        with pytest.raises(TransitionError):
            post_transition(post=post, action=action, by=people.admin, comment="Looks off-message")
        post.refresh_from_db()
        assert post.status == status
        assert not PostTransition.objects.filter(post=post).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "editor", "approver", "viewer"])
@pytest.mark.parametrize(("status", "action"), sorted(LEGAL))
def test_service_checks_the_role(role, status, action, org, people):
    post = _post(org, status)
    user = getattr(people, role)
    if action in ROLE_MAY[role]:
        assert post_transition(post=post, action=action, by=user, comment="ok").status == LEGAL[(status, action)]
    else:
        with pytest.raises(PermissionDenied):
            post_transition(post=post, action=action, by=user, comment="ok")
        post.refresh_from_db()
        assert post.status == status


@pytest.mark.django_db
def test_outsider_cannot_move_another_organizations_post(org, people):
    post = _post(org, S.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        post_transition(post=post, action="approve", by=people.outsider)


@pytest.mark.django_db
def test_scheduling_needs_a_future_planned_time(org, people):
    post = _post(org, S.APPROVED)
    Post.objects.filter(pk=post.pk).update(planned_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(TransitionError, match="past"):
        post_transition(post=post, action="schedule", by=people.editor)
    Post.objects.filter(pk=post.pk).update(planned_at=None)
    with pytest.raises(TransitionError, match="planned time"):
        post_transition(post=post, action="schedule", by=people.editor)


# --- Through the pages -------------------------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "action"), ALL)
def test_page_transition_table(status, action, org, people, client):
    post = _post(org, status)
    client.force_login(people.admin)
    response = client.post(
        reverse("post_transition", args=[post.pk]), {"action": action, "comment": "Please shorten"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("post_detail", args=[post.pk])
    post.refresh_from_db()
    if (status, action) in LEGAL:
        assert post.status == LEGAL[(status, action)]
        assert any("is now" in m for m in _messages(response))
    else:
        assert post.status == status
        (message,) = _messages(response)
        assert "cannot be moved" in message


@pytest.mark.django_db
def test_page_reports_a_missing_rejection_comment_and_a_forbidden_role(org, people, client):
    post = _post(org, S.IN_REVIEW)
    client.force_login(people.approver)
    url = reverse("post_transition", args=[post.pk])
    response = client.post(url, {"action": "reject", "comment": " "}, follow=True)
    assert "needs a comment" in _messages(response)[0]
    client.force_login(people.editor)
    response = client.post(reverse("post_transition", args=[post.pk]), {"action": "approve"}, follow=True)
    assert response.status_code == 200
    assert "does not allow" in _messages(response)[0]
    response = client.post(reverse("post_transition", args=[post.pk]), {"action": "launch-rockets"}, follow=True)
    assert "Unknown action" in _messages(response)[0]
    post.refresh_from_db()
    assert post.status == S.IN_REVIEW


@pytest.mark.django_db
def test_a_post_travels_the_whole_workflow_through_the_pages(org, people, client):
    post = _post(org, S.IDEA)
    url = reverse("post_transition", args=[post.pk])
    steps = [
        (people.editor, "start_draft", ""), (people.editor, "submit", ""),
        (people.approver, "reject", "Add the Arabic subtitles"), (people.editor, "submit", ""),
        (people.approver, "approve", ""), (people.editor, "schedule", ""), (people.editor, "publish", ""),
    ]
    for user, action, comment in steps:
        client.force_login(user)
        page = client.get(reverse("post_detail", args=[post.pk]))
        assert f'value="{action}"' in page.content.decode(), f"{user} sees no {action} button"
        client.post(url, {"action": action, "comment": comment})
    post.refresh_from_db()
    assert post.status == S.PUBLISHED and post.published_at is not None
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "Add the Arabic subtitles" in page  # the rejection's comment stays in the log
    assert post.transitions.count() == len(steps)


@pytest.mark.django_db
def test_buttons_follow_the_role(org, people, client):
    post = _post(org, S.IN_REVIEW)
    client.force_login(people.approver)
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert 'value="approve"' in page and 'name="comment"' in page
    for user in (people.editor, people.viewer):
        client.force_login(user)
        page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
        assert 'value="approve"' not in page and 'value="reject"' not in page


@pytest.mark.django_db
def test_publishing_from_the_page_records_the_permalink(org, people, client):
    post = _post(org, S.SCHEDULED)
    client.force_login(people.editor)
    url = reverse("post_transition", args=[post.pk])
    response = client.post(url, {"action": "publish", "permalink": "javascript:alert(1)"}, follow=True)
    assert "not a valid web address" in _messages(response)[0]
    post.refresh_from_db()
    assert post.status == S.SCHEDULED
    client.post(url, {"action": "publish", "permalink": "https://www.youtube.com/watch?v=perfectpair"})
    post.refresh_from_db()
    assert (post.status, post.permalink) == (S.PUBLISHED, "https://www.youtube.com/watch?v=perfectpair")
