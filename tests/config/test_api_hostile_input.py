"""Hostile input to every write endpoint: each answers 400 in the error shape, never a 500.

NUL bytes (PostgreSQL refuses them), unpaired surrogates, wrong JSON types, huge numbers,
NaN, out-of-range dates, unknown countries, languages and time zones.
"""

from __future__ import annotations

import json

import pytest

from tests.campaigns.api.factories import make_post
from tests.factories import AccountFactory, CampaignFactory, EventFactory, InfluencerFactory, SeriesFactory


def raw_post(client, url, text: str, method="post"):
    return getattr(client, method)(url, data=text.encode("utf-8", "surrogatepass"), content_type="application/json")


def assert_400(response, field: str | None = None):
    assert response.status_code == 400, response.content[:400]
    error = response.json()["error"]
    assert error["code"] in ("invalid", "parse_error") and error["message"]
    if field:
        assert any(key == field or key.startswith(field + ".") for key in error["fields"]), error


@pytest.fixture
def world(org, people):
    campaign = CampaignFactory(organization=org)
    account = AccountFactory(organization=org)
    series = SeriesFactory(campaign=campaign)
    series.accounts.add(account)
    return {
        "campaign": campaign,
        "account": account,
        "series": series,
        "event": EventFactory(organization=org),
        "influencer": InfluencerFactory(organization=org),
        "post": make_post(org, campaign=campaign, account=account),
    }


def valid_payloads(org, w):
    return {
        "/api/v1/events/": {"organization": org.pk, "name": "Forum", "starts_at": "2026-12-01T09:00:00Z"},
        "/api/v1/campaigns/": {
            "organization": org.pk, "name": "WHA", "start_date": "2026-12-01", "end_date": "2026-12-20",
        },
        "/api/v1/series/": {
            "campaign": w["campaign"].pk, "name": "Q&A week", "start_date": "2026-12-01", "end_date": "2026-12-07",
            "time_of_day": "09:00", "timezone": "Asia/Taipei", "accounts": [w["account"].pk],
        },
        "/api/v1/posts/": {"account": w["account"].pk, "campaign": w["campaign"].pk, "title": "Hello"},
        "/api/v1/influencers/": {"organization": org.pk, "name": "Creator"},
        "/api/v1/collaborations/": {
            "influencer": w["influencer"].pk, "campaign": w["campaign"].pk, "title": "Arabic translation",
        },
    }


@pytest.mark.django_db
def test_every_valid_payload_is_accepted_first(clients, org, world):
    # So that the 400s below are caused by the one bad value, not by a broken base payload.
    for url, payload in valid_payloads(org, world).items():
        response = clients.admin.post(url, payload, format="json")
        assert response.status_code == 201, (url, response.content[:300])


BAD_STRINGS = ["nul\x00byte", "\ud800 lone surrogate"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_STRINGS, ids=["nul", "surrogate"])
def test_unstorable_text_anywhere_is_refused(clients, org, world, bad):
    for url, payload in valid_payloads(org, world).items():
        for field, value in payload.items():
            if not isinstance(value, str):
                continue
            body = json.dumps({**payload, field: value + bad}, ensure_ascii=True)
            assert_400(raw_post(clients.admin, url, body), field)
        # ...also inside lists and as keys
        body = json.dumps({**payload, "themes": [bad], "hashtags": [bad], bad: 1}, ensure_ascii=True)
        assert_400(raw_post(clients.admin, url, body))


@pytest.mark.django_db
def test_nul_in_query_strings_is_refused(clients):
    assert_400(clients.admin.get("/api/v1/posts/?search=a%00b"))
    assert_400(clients.admin.get("/api/v1/posts/?a%00=1"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/api/v1/campaigns/", "target_countries", "TW"),  # a string, not a list
        ("/api/v1/campaigns/", "target_countries", ["XX"]),
        ("/api/v1/campaigns/", "target_countries", [["TW"]]),
        ("/api/v1/campaigns/", "target_countries", {"TW": 1}),
        ("/api/v1/campaigns/", "languages", ["english please"]),
        ("/api/v1/campaigns/", "languages", [1]),
        ("/api/v1/campaigns/", "themes", ["x" * 101]),
        ("/api/v1/campaigns/", "themes", ["t"] * 101),
        ("/api/v1/campaigns/", "start_date", "0001-01-01"),
        ("/api/v1/campaigns/", "end_date", "2026-11-31"),
        ("/api/v1/campaigns/", "end_date", "2026-11-01"),  # before the start
        ("/api/v1/campaigns/", "organization", 2**70),
        ("/api/v1/campaigns/", "organization", "1; drop table"),
        ("/api/v1/campaigns/", "organization", True),
        ("/api/v1/campaigns/", "organization", [1]),
        ("/api/v1/campaigns/", "kpi_targets", [{"metric": "views", "target_value": 10**20}]),
        ("/api/v1/campaigns/", "kpi_targets", [{"metric": "views", "target_value": -1}]),
        ("/api/v1/campaigns/", "kpi_targets", [{"metric": "country_view_share", "target_value": 10}]),
        ("/api/v1/campaigns/", "kpi_targets", [{"metric": "views", "target_value": 1}] * 2),
        ("/api/v1/campaigns/", "kpi_targets", "views"),
        ("/api/v1/events/", "timezone", "Mars/Olympus_Mons"),
        ("/api/v1/events/", "country", "ZZ"),
        ("/api/v1/events/", "starts_at", "9999-12-31T23:59:59-12:00"),
        ("/api/v1/events/", "ends_at", "2026-11-30T00:00:00Z"),  # before the start
        ("/api/v1/series/", "timezone", ""),
        ("/api/v1/series/", "time_of_day", "25:00"),
        ("/api/v1/series/", "end_date", "2028-12-31"),  # more than a year
        ("/api/v1/series/", "cadence", "dates"),  # without listed dates
        ("/api/v1/series/", "listed_dates", ["2030-01-01"]),  # outside the range
        ("/api/v1/series/", "accounts", []),
        ("/api/v1/posts/", "traits", ["mind_control"]),
        ("/api/v1/posts/", "traits", "poll"),
        ("/api/v1/posts/", "hashtags", [{"tag": 1}]),
        ("/api/v1/posts/", "permalink", "javascript:alert(1)"),
        ("/api/v1/posts/", "planned_at", "tomorrow"),
        ("/api/v1/posts/", "status", "published"),  # read-only: ignored, so the post stays an idea
        ("/api/v1/collaborations/", "compensation_amount", "1e400"),
        ("/api/v1/collaborations/", "compensation_currency", "dollars"),
        ("/api/v1/influencers/", "languages", "ar"),
    ],
)
def test_bad_values_answer_400_with_the_field(clients, org, world, url, field, value):
    payload = {**valid_payloads(org, world)[url], field: value}
    response = clients.admin.post(url, payload, format="json")
    if field == "status":
        assert response.status_code == 201 and response.json()["status"] == "idea"
        return
    assert_400(response, "listed_dates" if field == "cadence" else field)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["", "[]", "null", "42", '"text"', "{", '{"name": NaN}', '{"name": Infinity}', "\x00", '{"a":' * 5000],
)
def test_malformed_bodies_answer_400(clients, text):
    response = raw_post(clients.admin, "/api/v1/campaigns/", text)
    assert response.status_code == 400, (text[:20], response.content[:200])
    assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.django_db
def test_weird_ids_in_paths_and_filters_never_500(clients, world):
    for path in ["/api/v1/posts/abc/", "/api/v1/posts/99999999999999999999999/", "/api/v1/posts/-1/",
                 "/api/v1/posts/1.5/", "/api/v1/posts/%F0%9F%92%A9/"]:
        response = clients.admin.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", path
    for query in ["campaign=99999999999999999999999", "campaign=abc", "planned_after=yesterday", "page=0",
                  "page=abc", "page_size=-5", "ordering=password", "ordering=-account__organization__name"]:
        response = clients.admin.get(f"/api/v1/posts/?{query}")
        assert response.status_code in (200, 400, 404), (query, response.content[:200])
        assert response["Content-Type"] == "application/json"
    for cursor in ["garbage", "cD0xJm89MQ==", "cD1hYmM="]:  # "p=1&o=1", "p=abc"
        response = clients.admin.get(f"/api/v1/snapshots/?cursor={cursor}")
        assert response.status_code == 404, (cursor, response.content[:200])


@pytest.mark.django_db
def test_unicode_text_round_trips(clients, org, world):
    body = "台灣能幫忙 🇹🇼 — الصحة للجميع"
    payload = {**valid_payloads(org, world)["/api/v1/posts/"], "body": body, "language": "zh-Hant"}
    response = clients.editor.post("/api/v1/posts/", payload, format="json")
    assert response.status_code == 201, response.content
    assert clients.editor.get(f"/api/v1/posts/{response.json()['id']}/").json()["body"] == payload["body"]
