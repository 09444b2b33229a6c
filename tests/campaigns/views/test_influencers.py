"""The influencer directory and the collaboration board: filters, forms, legal moves, roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns.models import Collaboration, Influencer
from campaigns.services import collaboration_move
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    CollaborationFactory,
    InfluencerFactory,
    PostFactory,
)

S = Collaboration.Status


@pytest.fixture
def directory(org, other_org):
    return {
        "kuwait": InfluencerFactory(
            organization=org, name="Noura Al-Fahad", country="KW", languages=["ar", "en"],
            topics=["food", "sustainability"], notes="Custard apples fan",
        ),
        "vietnam": InfluencerFactory(
            organization=org, name="Linh Tran", country="VN", languages=["vi"], topics=["health"],
        ),
        "theirs": InfluencerFactory(organization=other_org, name="Zzsecret Creator", country="KW"),
    }


def names(response) -> set[str]:
    html = response.content.decode()
    return {n for n in ("Noura Al-Fahad", "Linh Tran", "Zzsecret Creator") if n in html}


def test_directory_filters_and_scoping(client, people, directory):
    client.force_login(people.viewer)
    url = reverse("influencer_list")
    assert names(client.get(url)) == {"Noura Al-Fahad", "Linh Tran"}
    assert names(client.get(url, {"country": "KW"})) == {"Noura Al-Fahad"}
    assert names(client.get(url, {"language": "vi"})) == {"Linh Tran"}
    assert names(client.get(url, {"topic": "Food"})) == {"Noura Al-Fahad"}
    assert names(client.get(url, {"q": "custard"})) == {"Noura Al-Fahad"}
    assert names(client.get(url, {"q": "zzsecret"})) == set()
    assert client.get(url, {"country": "toolong"}).status_code == 200


def test_detail_shows_accounts_collaborations_and_the_performance_fragment(client, people, org, directory):
    kuwait = directory["kuwait"]
    AccountFactory(organization=org, influencer=kuwait, platform="instagram", handle="noura.eats")
    collaboration = CollaborationFactory(
        campaign=CampaignFactory(organization=org), influencer=kuwait, title="An SDG a Day in Arabic"
    )
    client.force_login(people.viewer)
    html = client.get(reverse("influencer_detail", args=[kuwait.pk])).content.decode()
    assert "noura.eats" in html and "An SDG a Day in Arabic" in html
    assert reverse("collaboration_detail", args=[collaboration.pk]) in html
    assert f'hx-get="{reverse("influencer_performance", args=[kuwait.pk])}" hx-trigger="load"' in html
    assert reverse("influencer_edit", args=[kuwait.pk]) not in html  # viewers change nothing

    client.force_login(people.outsider)
    assert client.get(reverse("influencer_detail", args=[kuwait.pk])).status_code == 404


def test_editor_creates_and_edits_an_influencer(client, people, org):
    client.force_login(people.editor)
    response = client.post(
        reverse("influencer_create"),
        {"organization": org.pk, "name": "Ahmad Creator", "country": "kw", "languages_text": "AR, en, ar",
         "topics_text": "food; travel", "notes": ""},
    )
    influencer = Influencer.objects.get(name="Ahmad Creator")
    assert response.status_code == 302
    assert (influencer.country, influencer.languages, influencer.topics) == ("KW", ["ar", "en"], ["food", "travel"])

    response = client.post(
        reverse("influencer_edit", args=[influencer.pk]),
        {"organization": org.pk, "name": "Ahmad Creator", "country": "Kuwait", "languages_text": "ar"},
    )
    assert response.status_code == 200 and "two-letter ISO country code" in response.content.decode()
    influencer.refresh_from_db()
    assert influencer.country == "KW"


def test_influencer_forms_refuse_viewers_and_outsiders(client, people, org, directory):
    client.force_login(people.viewer)
    assert client.get(reverse("influencer_create")).status_code == 403
    assert client.post(reverse("influencer_edit", args=[directory["kuwait"].pk]), {"name": "x"}).status_code == 403
    client.force_login(people.outsider)
    # An outsider cannot slip a record into our organization.
    client.post(reverse("influencer_create"), {"organization": org.pk, "name": "Intruder"})
    assert not Influencer.objects.filter(name="Intruder").exists()
    assert client.get(reverse("influencer_edit", args=[directory["kuwait"].pk])).status_code == 404


# --- Collaborations ---------------------------------------------------------------------------


@pytest.fixture
def collaboration(org, directory):
    return CollaborationFactory(
        campaign=CampaignFactory(organization=org), influencer=directory["kuwait"], title="Custard apples"
    )


def test_service_allows_only_neighbouring_moves(people, collaboration):
    collaboration_move(collaboration=collaboration, to_status=S.AGREED, by=people.editor)
    collaboration.refresh_from_db()
    assert collaboration.status == S.AGREED
    with pytest.raises(ValidationError):
        collaboration_move(collaboration=collaboration, to_status=S.DELIVERED, by=people.editor)
    with pytest.raises(ValidationError):
        collaboration_move(collaboration=collaboration, to_status="cancelled", by=people.editor)
    collaboration_move(collaboration=collaboration, to_status=S.PROPOSED, by=people.admin)
    with pytest.raises(PermissionDenied):
        collaboration_move(collaboration=collaboration, to_status=S.AGREED, by=people.viewer)
    with pytest.raises(PermissionDenied):
        collaboration_move(collaboration=collaboration, to_status=S.AGREED, by=people.approver)
    collaboration.refresh_from_db()
    assert collaboration.status == S.PROPOSED


def test_board_moves_a_card_with_htmx(client, people, collaboration):
    client.force_login(people.editor)
    url = reverse("collaboration_move", args=[collaboration.pk])
    response = client.post(url, {"to_status": "agreed"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="board">')
    collaboration.refresh_from_db()
    assert collaboration.status == S.AGREED
    # The card now sits in the "agreed" column.
    agreed_column = html.split('data-column="agreed"')[1].split('data-column="in_progress"')[0]
    assert "Custard apples" in agreed_column

    response = client.post(url, {"to_status": "closed"}, headers={"HX-Request": "true"})
    assert "can only move one step" in response.content.decode()
    collaboration.refresh_from_db()
    assert collaboration.status == S.AGREED


def test_viewers_see_the_board_without_buttons_and_cannot_move(client, people, collaboration):
    client.force_login(people.viewer)
    html = client.get(reverse("collaboration_board")).content.decode()
    assert "Custard apples" in html
    assert reverse("collaboration_move", args=[collaboration.pk]) not in html
    move = reverse("collaboration_move", args=[collaboration.pk])
    assert client.post(move, {"to_status": "agreed"}).status_code == 403
    client.force_login(people.outsider)
    assert "Custard apples" not in client.get(reverse("collaboration_board")).content.decode()
    assert client.post(move, {"to_status": "agreed"}).status_code == 404
    collaboration.refresh_from_db()
    assert collaboration.status == S.PROPOSED


def test_plain_form_move_redirects_back(client, people, collaboration):
    client.force_login(people.editor)
    response = client.post(
        reverse("collaboration_move", args=[collaboration.pk]), {"to_status": "agreed", "next": "detail"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("collaboration_detail", args=[collaboration.pk])


def test_create_collaboration_with_deliverables_on_the_influencers_accounts(client, people, org, directory):
    campaign = CampaignFactory(organization=org)
    kuwait = directory["kuwait"]
    own = PostFactory(campaign=campaign, account=AccountFactory(organization=org, influencer=kuwait))
    someone_else = PostFactory(
        campaign=campaign, account=AccountFactory(organization=org, influencer=directory["vietnam"])
    )
    data = {
        "title": "An SDG a Day (Arabic)", "campaign": campaign.pk, "influencer": kuwait.pk,
        "start_date": "2026-05-01", "end_date": "2026-05-31", "deliverables": [own.pk],
        "compensation_amount": "", "compensation_currency": "", "in_kind_terms": "Custard apples tasting trip",
        "sponsorship_disclosed": "on", "content_rights": "Ministry may reshare", "outcome_notes": "",
    }
    client.force_login(people.editor)
    response = client.post(reverse("collaboration_create"), {**data, "deliverables": [someone_else.pk]})
    assert "posts on this influencer" in response.content.decode()
    response = client.post(reverse("collaboration_create"), {**data, "end_date": "2026-04-01"})
    assert "must not be before the start" in response.content.decode()
    response = client.post(reverse("collaboration_create"), {**data, "compensation_amount": "500"})
    assert "currency" in response.content.decode()
    assert Collaboration.objects.count() == 0

    response = client.post(reverse("collaboration_create"), data)
    collaboration = Collaboration.objects.get()
    assert response.status_code == 302
    assert collaboration.status == S.PROPOSED and collaboration.sponsorship_disclosed
    assert list(collaboration.deliverables.all()) == [own]
    html = client.get(reverse("collaboration_detail", args=[collaboration.pk])).content.decode()
    assert "Custard apples tasting trip" in html and "Disclosed" in html


def test_collaboration_cannot_pair_organizations(client, people, org, other_org, directory):
    client.force_login(people.editor)
    response = client.post(
        reverse("collaboration_create"),
        {"title": "Mixed", "campaign": CampaignFactory(organization=org).pk, "influencer": directory["theirs"].pk},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Collaboration.objects.count() == 0


def test_collaboration_edit_roles(client, people, collaboration):
    url = reverse("collaboration_edit", args=[collaboration.pk])
    client.force_login(people.viewer)
    assert client.get(url).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.admin)
    response = client.post(url, {
        "title": "Custard apples", "campaign": collaboration.campaign_id, "influencer": collaboration.influencer_id,
        "outcome_notes": "Sales rose in Kuwait",
    })
    assert response.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.outcome_notes == "Sales rose in Kuwait"


def test_a_collaboration_without_dates_says_so_instead_of_dashes(client, people, org, directory):
    collaboration = CollaborationFactory(campaign=CampaignFactory(organization=org), influencer=directory["kuwait"],
                                         title="National Day greetings", start_date=None, end_date=None)
    client.force_login(people.viewer)
    for url in (reverse("influencer_detail", args=[directory["kuwait"].pk]),
                reverse("collaboration_detail", args=[collaboration.pk])):
        html = client.get(url).content.decode()
        assert "— – —" not in html and "not set" in html
