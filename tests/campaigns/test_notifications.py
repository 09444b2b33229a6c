"""Notifications: who is told about each workflow step and refused token, in the app and by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Notification, Post, Profile
from campaigns.notifications import notifications_email
from campaigns.services import account_mark_needs_reconnect, post_transition
from tests.factories import AccountFactory, PostFactory

K = Notification.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org, people):
    return PostFactory(campaign__organization=org, status=Post.Status.DRAFT, created_by=people.editor,
                       title="Gold Card for health workers")


def test_the_reject_flow_reaches_the_editor_in_the_bell_and_by_email_in_their_language(
        draft, people, client, jobs_inline, django_capture_on_commit_callbacks, settings, capsys):
    """Submitted → the approvers and admins; rejected with a comment → the author, in zh-Hant as their profile says."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = "http://127.0.0.1:8106"
    Profile.objects.create(user=people.editor, language="zh-hant", timezone="Asia/Taipei")
    url = reverse("post_transition", args=[draft.pk])

    client.force_login(people.editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "submit"})
    told = Notification.objects.filter(kind=K.SUBMITTED)
    assert {n.recipient for n in told} == {people.approver, people.admin}
    assert ("campaigns.email_notifications", [sorted(n.pk for n in told)]) in [
        (name, [sorted(args[0])]) for name, args in jobs_inline]
    capsys.readouterr()

    client.force_login(people.approver)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "comment": "Name the hospital, and cite the ministry's figure."})
    rejected = Notification.objects.get(kind=K.REJECTED)
    assert (rejected.recipient, rejected.actor) == (people.editor, people.approver)

    printed = capsys.readouterr().out
    assert "To: erin_editor@example.org" in printed
    assert "aaron_approver 將「Gold Card for health workers」退回草稿。" in printed
    assert "Name the hospital, and cite the ministry's figure." in printed
    assert f"http://127.0.0.1:8106/posts/{draft.pk}/" in printed

    client.force_login(people.editor)
    home = client.get(reverse("home")).content.decode()
    assert 'id="bell-count">1<' in home
    listed = client.get(reverse("notification_list")).content.decode()
    assert "Name the hospital, and cite the ministry&#x27;s figure." in listed


def test_approval_tells_the_author_and_nobody_hears_of_their_own_step(draft, people):
    post_transition(post=draft, action="submit", by=people.editor)
    post_transition(post=draft, action="approve", by=people.admin)
    approved = Notification.objects.get(kind=K.APPROVED)
    assert (approved.recipient, approved.actor) == (people.editor, people.admin)
    # The admin submitted nothing to themselves; the approver was told of the submission only.
    assert not Notification.objects.filter(recipient=people.editor, kind=K.SUBMITTED).exists()
    assert not Notification.objects.filter(recipient__in=[people.viewer, people.outsider]).exists()


def test_a_refused_token_tells_the_admins_once(org, people):
    account = AccountFactory(organization=org)
    account_mark_needs_reconnect(account_id=account.pk, error="HTTP 401")
    account_mark_needs_reconnect(account_id=account.pk, error="HTTP 401 again")
    told = Notification.objects.filter(kind=K.RECONNECT)
    assert [(n.recipient, n.account) for n in told] == [(people.admin, account)]
    account.refresh_from_db()
    assert account.connection_error == "HTTP 401 again"


def test_email_goes_once_and_only_for_kinds_the_user_wants(draft, people):
    Profile.objects.create(user=people.approver, email_muted=[K.SUBMITTED])
    post_transition(post=draft, action="submit", by=people.editor)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_email(notification_ids=ids) == 1
    assert notifications_email(notification_ids=ids) == 0  # a redelivered task sends nothing twice
    assert [m.to for m in mail.outbox] == [[people.admin.email]]
    assert "erin_editor submitted “Gold Card for health workers” for review." in mail.outbox[0].body


def test_the_settings_page_chooses_which_kinds_come_by_email(people, client):
    client.force_login(people.editor)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="email_kinds" value="rejected"' in page and "checked" in page
    client.post(reverse("profile"), {"timezone": "Europe/Paris", "email_kinds": [K.REJECTED, K.APPROVED]})
    profile = Profile.objects.get(user=people.editor)
    assert sorted(profile.email_muted) == sorted([K.SUBMITTED, K.RECONNECT])


def test_marking_read_one_and_all_from_the_list(draft, people, client):
    post_transition(post=draft, action="submit", by=people.editor)
    post_transition(post=draft, action="reject", by=people.approver, comment="Shorter")
    post_transition(post=draft, action="submit", by=people.editor)
    post_transition(post=draft, action="approve", by=people.approver)
    mine = Notification.objects.filter(recipient=people.editor)
    first = mine.last()
    client.force_login(people.editor)
    response = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert response["Location"] == reverse("post_detail", args=[draft.pk])
    assert mine.unread().count() == 1
    # Someone else's notification does not exist for this user.
    theirs = Notification.objects.filter(recipient=people.admin).first()
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notification_read_all"))
    assert mine.unread().count() == 0
    assert Notification.objects.filter(recipient=people.admin).unread().count() == 2
    assert 'id="bell-count"' not in client.get(reverse("home")).content.decode()


def test_api_lists_your_own_newest_first_and_marks_them_read(draft, people, clients):
    post_transition(post=draft, action="submit", by=people.editor)
    post_transition(post=draft, action="reject", by=people.approver, comment="Shorter")
    post_transition(post=draft, action="submit", by=people.editor)
    post_transition(post=draft, action="approve", by=people.approver)
    listed = clients.editor.get("/api/v1/notifications/").json()["results"]
    assert [n["kind"] for n in listed] == [K.APPROVED, K.REJECTED]
    assert listed[1]["comment"] == "Shorter" and listed[1]["actor"] == "aaron_approver" and listed[1]["unread"]

    read = clients.editor.post(f"/api/v1/notifications/{listed[1]['id']}/read/")
    assert read.status_code == 200 and read.json()["unread"] is False
    unread = clients.editor.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [n["kind"] for n in unread] == [K.APPROVED]

    # Another user's notification: 404 to read or to mark; the approver's own list is theirs only.
    assert clients.approver.get(f"/api/v1/notifications/{listed[0]['id']}/").status_code == 404
    assert clients.approver.post(f"/api/v1/notifications/{listed[0]['id']}/read/").status_code == 404
    assert {n["kind"] for n in clients.approver.get("/api/v1/notifications/").json()["results"]} == {K.SUBMITTED}
    assert clients.anon.get("/api/v1/notifications/").status_code in (401, 403)

    assert clients.editor.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert clients.editor.get("/api/v1/notifications/?unread=true").json()["results"] == []
