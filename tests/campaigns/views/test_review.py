"""The approvers' review queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Post, PostTransition
from tests.factories import MembershipFactory, OrganizationFactory, PostFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def submitted(post, by, days_ago):
    PostTransition.objects.create(post=post, from_status="draft", to_status="in_review", by=by,
                                  at=timezone.now() - dt.timedelta(days=days_ago))
    return post


def test_queue_lists_posts_in_review_of_the_approvers_organizations_oldest_first(org, other_org, people, client):
    mission = OrganizationFactory(name="Mission", slug="mission")
    MembershipFactory(user=people.approver, organization=mission, role="approver")
    newer = submitted(PostFactory(campaign__organization=org, title="Newer", status="in_review"), people.editor, 1)
    older = submitted(PostFactory(campaign__organization=mission, title="Older", status="in_review"), people.editor, 3)
    PostFactory(campaign__organization=org, title="Still a draft", status="draft")
    PostFactory(campaign__organization=other_org, title="Not ours", status="in_review")
    client.force_login(people.approver)
    response = client.get(reverse("review_queue"))
    assert [p.title for p in response.context["posts"]] == [older.title, newer.title]
    page = response.content.decode()
    assert "Still a draft" not in page and "Not ours" not in page


def test_queue_for_someone_who_does_not_review(org, people, client):
    PostFactory(campaign__organization=org, title="Waiting", status="in_review")
    client.force_login(people.editor)
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    assert "does not include reviewing" in response.content.decode()
    assert "Waiting" not in response.content.decode()


def test_inline_approve_and_reject_with_htmx(org, people, client):
    first = PostFactory(campaign__organization=org, title="First", status="in_review")
    second = PostFactory(campaign__organization=org, title="Second", status="in_review")
    client.force_login(people.approver)
    page = client.get(reverse("review_queue")).content.decode()
    assert f'hx-post="{reverse("post_transition", args=[first.pk])}"' in page

    response = client.post(reverse("post_transition", args=[first.pk]),
                           {"action": "approve", "from": "review"}, **HTMX)
    assert response.status_code == 200
    assert "Now “Approved”" in response.content.decode()
    first.refresh_from_db()
    assert first.status == Post.Status.APPROVED

    # A rejection without a comment stays in the queue with the reason shown.
    response = client.post(reverse("post_transition", args=[second.pk]),
                           {"action": "reject", "comment": "", "from": "review"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "needs a comment" in body and f'id="review-{second.pk}"' in body
    second.refresh_from_db()
    assert second.status == Post.Status.IN_REVIEW

    response = client.post(reverse("post_transition", args=[second.pk]),
                           {"action": "reject", "comment": "Cite the WHO figures", "from": "review"}, **HTMX)
    second.refresh_from_db()
    assert second.status == Post.Status.DRAFT
    assert second.transitions.last().comment == "Cite the WHO figures"
    assert [p.pk for p in client.get(reverse("review_queue")).context["posts"]] == []


def test_approving_twice_is_a_clear_message_not_an_error(org, people, client):
    post = PostFactory(campaign__organization=org, status="in_review")
    client.force_login(people.approver)
    url = reverse("post_transition", args=[post.pk])
    client.post(url, {"action": "approve", "from": "review"}, **HTMX)
    response = client.post(url, {"action": "approve", "from": "review"}, **HTMX)
    assert response.status_code == 200
    assert "cannot be moved" in response.content.decode()


def test_without_javascript_the_queue_forms_come_back_to_the_queue(org, people, client):
    post = PostFactory(campaign__organization=org, status="in_review")
    client.force_login(people.approver)
    response = client.post(reverse("post_transition", args=[post.pk]), {"action": "approve", "next": "review"})
    assert response.status_code == 302 and response["Location"] == reverse("review_queue")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_approver_clears_the_queue_in_the_browser(live_server, page, log_in, org, people):
    keep = PostFactory(campaign__organization=org, title="Perfect Pair teaser", status="in_review")
    fix = PostFactory(campaign__organization=org, title="Arabic subtitles", status="in_review")
    log_in(people.approver)
    page.goto(f"{live_server.url}{reverse('review_queue')}")
    page.click(f"#review-{keep.pk} button:has-text('Approve')")
    page.wait_for_selector(f"#review-{keep.pk} >> text=Now “Approved”")
    page.fill(f"#comment-{fix.pk}", "Check the Arabic spelling of Taipei")
    page.click(f"#review-{fix.pk} button:has-text('Reject')")
    page.wait_for_selector(f"#review-{fix.pk} >> text=Now “Draft”")
    assert page.url.endswith(reverse("review_queue"))  # swapped in place, no navigation
    keep.refresh_from_db()
    fix.refresh_from_db()
    assert (keep.status, fix.status) == (Post.Status.APPROVED, Post.Status.DRAFT)
    assert fix.transitions.get().comment == "Check the Arabic spelling of Taipei"
