"""campaigns.views.common.needs: the one permission check of the pages (the matrix covers every route;
these pin what the decorator itself does)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from campaigns.models import Campaign, Post
from campaigns.views.common import needs
from tests.factories import AccountFactory, CampaignFactory, PostFactory

pytestmark = pytest.mark.django_db


def _request(user, method: str = "get"):
    request = getattr(RequestFactory(), method)("/somewhere/")
    request.user = user
    return request


@needs("plan", model=Campaign)
def _edit_campaign(request, campaign, **rest):
    return HttpResponse(f"{campaign.pk} {sorted(rest)}")


@needs(None, model=Post, path="account__organization")
def _read_post(request, post):
    return HttpResponse(str(post.pk))


@needs(None, writes="plan")
def _upload(request):
    return HttpResponse("done")


@needs("review")
def _create_something(request):
    return HttpResponse("form")


def test_the_view_receives_the_object_instead_of_the_pk(org, people):
    campaign = CampaignFactory(organization=org)
    response = _edit_campaign(_request(people.editor), pk=campaign.pk, table="posts")
    assert response.content.decode() == f"{campaign.pk} ['table']"


def test_another_organizations_object_is_not_found(org, people):
    post = PostFactory(account=AccountFactory(organization=org), campaign=CampaignFactory(organization=org))
    assert _read_post(_request(people.viewer), pk=post.pk).status_code == 200
    with pytest.raises(Http404):
        _read_post(_request(people.outsider), pk=post.pk)


def test_a_role_without_the_capability_is_refused_with_the_reason(org, people):
    campaign = CampaignFactory(organization=org)
    with pytest.raises(PermissionDenied, match="does not allow this change"):
        _edit_campaign(_request(people.viewer), pk=campaign.pk)


def test_anonymous_users_are_sent_to_log_in(org):
    campaign = CampaignFactory(organization=org)
    response = _edit_campaign(_request(AnonymousUser()), pk=campaign.pk)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_writes_need_the_write_capability_and_reads_do_not(people):
    assert _upload(_request(people.viewer)).status_code == 200
    with pytest.raises(PermissionDenied, match="any of your organizations"):
        _upload(_request(people.viewer, "post"))
    assert _upload(_request(people.editor, "post")).status_code == 200


def test_pages_without_an_object_need_the_capability_somewhere(people):
    assert _create_something(_request(people.approver)).status_code == 200
    with pytest.raises(PermissionDenied, match="any of your organizations"):
        _create_something(_request(people.editor))


def test_the_declarations_are_readable():
    assert (_edit_campaign.needs, _edit_campaign.needs_to_write) == ("plan", "plan")
    assert (_upload.needs, _upload.needs_to_write) == (None, "plan")


def test_score_weights_refusal_says_only_admins(org, people, client):
    client.force_login(people.editor)
    response = client.get(reverse("score_weights", args=[org.pk]))
    assert response.status_code == 403
    assert "Only the organization&#x27;s admins change its score weights." in response.content.decode()
