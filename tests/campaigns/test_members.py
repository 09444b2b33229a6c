"""Members in the app: invitations by signed, expiring link; role changes; removal; the last admin stays."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns import members
from campaigns.models import Invitation, Membership, Profile, Role
from campaigns.tasks import send_invitation

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"http://\S+/invitations/accept/\S+/", message.body).group(0)


def test_an_admin_invites_by_email_and_the_new_person_signs_up_from_the_link(client, people, org,
                                                                            django_capture_on_commit_callbacks):
    Profile.objects.create(user=people.admin, language="zh-hant")
    client.force_login(people.admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("member_list", args=[org.pk]), {"email": "lin@example.org", "role": "editor"})
    assert response.status_code == 302 and len(callbacks) == 1  # the mail goes out from the worker, after commit
    invitation = Invitation.objects.get()
    send_invitation(invitation.pk)  # what the worker runs: the id only, the link is made there
    message = mail.outbox[0]
    assert message.to == ["lin@example.org"] and "Softpower" in message.subject
    assert "邀請您" in message.body  # the inviter's language
    link = _link(message)

    client.logout()
    path = link.split("8000", 1)[1] if "8000" in link else link[link.index("/invitations/"):]
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Create your account for lin@example.org" in page.content.decode()
    weak = client.post(path, {"username": "lin", "password": "123"})
    assert weak.status_code == 200 and not Membership.objects.filter(user__username="lin").exists()
    joined = client.post(path, {"username": "lin", "password": "a-Long-passphrase-42", "first_name": "Lin"})
    assert joined.status_code == 302
    membership = Membership.objects.get(user__username="lin")
    assert membership.role == "editor" and membership.user.email == "lin@example.org"
    # The link works once.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_a_link_that_expired_or_was_tampered_with_says_so(client, org, people):
    invitation = members.member_invite(organization=org, email="old@example.org", role="viewer",
                                       invited_by=people.admin)
    token = members.invitation_token(invitation)
    bad = client.get(reverse("invitation_accept", args=[token[:-2] + "xx"]))
    assert bad.status_code == 410 and "not valid" in bad.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    expired = client.get(reverse("invitation_accept", args=[token]))
    assert expired.status_code == 410 and ("expired" in expired.content.decode())


def test_an_existing_user_accepts_only_as_the_invited_address(client, org, other_org, people):
    people.outsider.email = "oscar@example.org"
    people.outsider.save()
    invitation = members.member_invite(organization=org, email="OSCAR@example.org", role="approver",
                                       invited_by=people.admin)
    url = reverse("invitation_accept", args=[members.invitation_token(invitation)])
    assert "Log in" in client.get(url).content.decode()  # an account exists: log in first, no second account
    client.force_login(people.viewer)  # someone else holding the link
    refused = client.post(url)
    assert refused.status_code == 403 and not Membership.objects.filter(user=people.viewer, role="approver").exists()
    client.force_login(people.outsider)
    assert client.post(url).status_code == 302
    assert Membership.objects.get(user=people.outsider, organization=org).role == "approver"


def test_roles_change_and_members_leave_but_the_last_admin_stays(client, people, org):
    client.force_login(people.admin)
    admin = Membership.objects.get(user=people.admin, organization=org)
    viewer = Membership.objects.get(user=people.viewer, organization=org)
    client.post(reverse("member_role", args=[admin.pk]), {f"m{admin.pk}-role": "editor"})
    admin.refresh_from_db()
    assert admin.role == "admin"  # the last admin
    page = client.get(reverse("member_list", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "last admin" in page

    client.post(reverse("member_role", args=[viewer.pk]), {f"m{viewer.pk}-role": "admin"})
    viewer.refresh_from_db()
    assert viewer.role == "admin"
    client.post(reverse("member_remove", args=[viewer.pk]))  # no confirmation: nobody removed
    assert Membership.objects.filter(pk=viewer.pk).exists()
    client.post(reverse("member_remove", args=[viewer.pk]), {"confirm": "remove"})
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    people.viewer.refresh_from_db()
    assert not people.viewer.is_active  # in no organization any more: cannot log in

    history = Membership.history.filter(organization_id=org.pk, user_id=people.viewer.pk).order_by("history_date")
    assert [(h.history_type, h.role, h.history_user_id) for h in history][-2:] == [
        ("~", "admin", people.admin.pk), ("-", "admin", people.admin.pk)]
    page = client.get(reverse("member_list", args=[org.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "vera_viewer" in page and "已移除" in page


def test_the_api_lists_invites_changes_and_removes_members(client, people, org):
    client.force_login(people.viewer)
    listed = client.get(f"/api/v1/organizations/{org.pk}/members/").json()
    assert {m["username"]: m["role"] for m in listed}["alice_admin"] == "admin"
    assert client.post(f"/api/v1/organizations/{org.pk}/members/", {"email": "a@example.org", "role": "viewer"},
                       content_type="application/json").status_code == 403

    client.force_login(people.admin)
    made = client.post(f"/api/v1/organizations/{org.pk}/members/", {"email": "a@example.org", "role": "viewer"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["email"] == "a@example.org"
    member = client.post(f"/api/v1/organizations/{org.pk}/members/", {"email": "nope", "role": "viewer"},
                         content_type="application/json")
    assert member.status_code == 400 and "email" in member.json()["error"]["fields"]
    admin = Membership.objects.get(user=people.admin, organization=org)
    editor = Membership.objects.get(user=people.editor, organization=org)
    outsider = Membership.objects.get(user=people.outsider)
    last = client.patch(f"/api/v1/memberships/{admin.pk}/", {"role": "viewer"}, content_type="application/json")
    assert last.status_code == 409 and "last admin" in str(last.json())
    assert client.delete(f"/api/v1/memberships/{admin.pk}/").status_code == 409
    changed = client.patch(f"/api/v1/memberships/{editor.pk}/", {"role": "approver"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["role"] == Role.APPROVER
    assert client.delete(f"/api/v1/memberships/{editor.pk}/").status_code == 204
    assert client.delete(f"/api/v1/memberships/{outsider.pk}/").status_code == 404
