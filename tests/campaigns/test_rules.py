"""Each rule in one place: the models' validators and clean(), which the pages and the API both reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from campaigns import validators
from campaigns.forms import AccountForm, EventForm
from campaigns.models import Account, Campaign, Collaboration, Event, KPITarget, Post, Series
from metrics.reporting.countries import country_name
from tests.conftest import client_for
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    EventFactory,
    InfluencerFactory,
    PostFactory,
    SeriesFactory,
)


@pytest.mark.parametrize("code", ["KW", "TW", "VN", "US", "XK"])
def test_country_codes_come_from_django_countries(code):
    validators.validate_country(code)
    assert code in validators.country_codes()


@pytest.mark.parametrize("code", ["ZZ", "kw", "KWT", "Kuwait", "K"])
def test_unknown_or_misspelled_countries_are_refused(code):
    with pytest.raises(ValidationError, match="two-letter ISO country code"):
        validators.validate_country(code)


# The allies' and partners' languages too, not only those Django is translated into: Tagalog,
# Filipino, Marshallese, Palauan, Tuvaluan, Guarani, Haitian Creole, siSwati.
@pytest.mark.parametrize("tag", ["en", "zh-Hant", "zh-hant", "ar", "ja", "pt-BR", "vi",
                                 "tl", "fil", "mh", "pau", "tvl", "gn", "ht", "ss", "es-PY"])
def test_language_tags_of_real_languages_are_accepted(tag):
    validators.validate_language(tag)


@pytest.mark.parametrize("tag", ["english please", "xx", "zz-Hant", "e", "en-" + "x" * 20])
def test_other_language_tags_are_refused(tag):
    with pytest.raises(ValidationError):
        validators.validate_language(tag)


@pytest.mark.parametrize(("code", "ok"), [("TWD", True), ("USD", True), ("usd", False), ("dollars", False)])
def test_currency_codes(code, ok):
    assert validators.is_currency_code(code) is ok
    if not ok:
        with pytest.raises(ValidationError, match="three-letter currency code"):
            validators.validate_currency(code)


def test_list_validators_name_every_bad_code():
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_country_list(["US", "NARNIA", "ZZ"])
    assert "NARNIA, ZZ" in str(excinfo.value)
    with pytest.raises(ValidationError) as excinfo:
        validators.validate_language_list(["en", "klingon"])
    assert "klingon" in str(excinfo.value)
    with pytest.raises(ValidationError):
        validators.validate_language_list("en")  # a string is not a list


def test_country_names_in_both_ui_languages():
    assert country_name("TW") == "Taiwan" and country_name("us") == "United States"
    with translation.override("zh-hant"):
        assert country_name("TW") == "台灣" and country_name("VN") == "越南"
    assert country_name("") == "?" and country_name("xx") == "xx"


@pytest.mark.django_db
def test_models_validate_country_and_language_fields(org):
    event = EventFactory.build(organization=org, country="ZZ")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert set(excinfo.value.message_dict) == {"country"}
    campaign = CampaignFactory.build(organization=org, target_countries=["US", "XX"], languages=["en", "nope1"])
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean(exclude=["created_by"])
    assert {"target_countries", "languages"} <= set(excinfo.value.message_dict)


@pytest.mark.django_db
def test_date_order_rules_live_on_the_models(org):
    start = dt.datetime(2026, 5, 18, 9, tzinfo=dt.UTC)
    cases = [
        (Event(organization=org, name="x", starts_at=start, ends_at=start - dt.timedelta(hours=1)), "ends_at"),
        (Campaign(organization=org, name="x", start_date=dt.date(2026, 5, 2), end_date=dt.date(2026, 5, 1)),
         "end_date"),
        (Collaboration(start_date=dt.date(2026, 5, 2), end_date=dt.date(2026, 5, 1)), "end_date"),
        (Series(start_date=dt.date(2026, 5, 2), end_date=dt.date(2026, 5, 1)), "end_date"),
        (Series(start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 1, 2)), "end_date"),  # 367 days
        (Series(cadence=Series.Cadence.DATES, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 9)),
         "listed_dates"),
        (Series(start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 9), listed_dates=["2026-02-01"]),
         "listed_dates"),
        (KPITarget(metric=KPITarget.Metric.COUNTRY_VIEW_SHARE, target_value=5), "country"),
    ]
    for instance, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            instance.clean()
        assert set(excinfo.value.message_dict) == {field}, instance


@pytest.mark.django_db
def test_organization_rules_live_on_the_models(org, other_org):
    campaign = CampaignFactory(organization=org)
    theirs = {"event": EventFactory(organization=other_org), "account": AccountFactory(organization=other_org),
              "post": PostFactory(campaign=CampaignFactory(organization=other_org))}
    with pytest.raises(ValidationError, match="another organization"):
        campaign.clean_events([theirs["event"]])
    with pytest.raises(ValidationError, match="another organization"):
        SeriesFactory(campaign=campaign).clean_accounts([theirs["account"]])
    collaboration = Collaboration(campaign=campaign, influencer=InfluencerFactory(organization=other_org), title="x")
    with pytest.raises(ValidationError) as excinfo:
        collaboration.clean()
    assert set(excinfo.value.message_dict) == {"influencer"}
    with pytest.raises(ValidationError):
        collaboration.clean_deliverables([theirs["post"]])
    account = Account(organization=org, influencer=InfluencerFactory(organization=other_org))
    with pytest.raises(ValidationError) as excinfo:
        account.clean()
    assert set(excinfo.value.message_dict) == {"influencer"}
    post = Post(account=AccountFactory(organization=org), campaign=theirs["post"].campaign, event=theirs["event"],
                variant_of=theirs["post"])
    with pytest.raises(ValidationError) as excinfo:
        post.clean()
    assert set(excinfo.value.message_dict) == {"campaign", "event", "variant_of"}


@pytest.mark.django_db
def test_page_and_api_give_the_same_error_for_the_same_rule(org, people, client):
    starts, ends = "2026-05-18T09:00", "2026-05-17T09:00"
    form = EventForm({"organization": org.pk, "name": "WHA", "kind": "assembly", "starts_at": starts,
                      "ends_at": ends, "country": "ch", "timezone": "Europe/Zurich"}, user=people.admin)
    assert not form.is_valid()
    response = client_for(people.admin).post("/api/v1/events/", {
        "organization": org.pk, "name": "WHA", "starts_at": starts + ":00Z", "ends_at": ends + ":00Z",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["ends_at"] == form.errors["ends_at"]


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["needs_reconnect", "not_connected"])
def test_page_and_api_agree_on_the_connection_state_when_a_token_is_saved(org, people, client, state):
    client.force_login(people.admin)
    by_page, by_api = (AccountFactory(organization=org, connection_state=state) for _ in range(2))
    fields = {"platform": by_page.platform, "handle": by_page.handle, "platform_id": by_page.platform_id,
              "language": "en", "connection_state": state}
    response = client.post(reverse("account_edit", args=[by_page.pk]), {**fields, "access_token": "new-token"})
    assert response.status_code == 302
    response = client_for(people.admin).patch(f"/api/v1/accounts/{by_api.pk}/", {"access_token": "new-token"},
                                              format="json")
    assert response.status_code == 200, response.content
    for account in (by_page, by_api):
        account.refresh_from_db()
    assert by_page.connection_state == by_api.connection_state == Account.Connection.CONNECTED
    assert by_page.get_access_token() == by_api.get_access_token() == "new-token"
    # Removing the token disconnects, both ways.
    client.post(reverse("account_edit", args=[by_page.pk]), {**fields, "clear_token": "on"})
    client_for(people.admin).patch(f"/api/v1/accounts/{by_api.pk}/", {"access_token": ""}, format="json")
    for account in (by_page, by_api):
        account.refresh_from_db()
    assert by_page.connection_state == by_api.connection_state == Account.Connection.NOT_CONNECTED


@pytest.mark.django_db
def test_account_form_reports_the_models_organization_rule(org, other_org, people):
    form = AccountForm({"organization": org.pk, "platform": "x", "handle": "@a", "platform_id": "1",
                        "connection_state": "connected", "influencer": InfluencerFactory(organization=org).pk},
                       user=people.admin)
    assert form.is_valid(), form.errors
    account = Account(organization=org, influencer=InfluencerFactory(organization=other_org), platform="x",
                      handle="@a", platform_id="1")
    with pytest.raises(ValidationError, match="another organization"):
        account.full_clean()

