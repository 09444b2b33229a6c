"""The X API v2 stand-in: timelines, lookups by id, users, errors, rate-limit headers."""

from __future__ import annotations

import time

import pytest

from metrics.sandbox import synthetic
from tests.metrics.sandbox.conftest import NOW
from tests.metrics.sandbox.shapes import assert_shape, fixture

pytestmark = pytest.mark.django_db

USER = "1300000000000000001"
FIELDS = "created_at,public_metrics,non_public_metrics,organic_metrics"


def test_timeline_pages_to_the_end_without_gaps_or_duplicates(xapi):
    expected = [p.post_id for p in synthetic.posts("x", USER, NOW)]
    seen, token, pages = [], None, 0
    while True:
        params = {"max_results": 100, "tweet.fields": "created_at,public_metrics"}
        if token:
            params["pagination_token"] = token
        body = xapi(f"2/users/{USER}/tweets", **params).json()
        pages += 1
        seen += [t["id"] for t in body["data"]]
        assert body["meta"]["result_count"] == len(body["data"])
        assert body["meta"]["newest_id"] == body["data"][0]["id"]
        assert ("previous_token" in body["meta"]) == (pages > 1)
        token = body["meta"].get("next_token")
        if not token:
            break
    assert seen == expected and len(set(seen)) == len(seen)
    assert "1790000000000005001" in seen  # the seeded demo post


def test_previous_token_pages_back_to_the_page_before(xapi):
    params = {"max_results": 5, "tweet.fields": "created_at"}
    first = xapi(f"2/users/{USER}/tweets", **params).json()
    second = xapi(f"2/users/{USER}/tweets", pagination_token=first["meta"]["next_token"], **params).json()
    third = xapi(f"2/users/{USER}/tweets", pagination_token=second["meta"]["next_token"], **params).json()
    assert second["meta"]["previous_token"] != first["meta"]["next_token"]
    back = xapi(f"2/users/{USER}/tweets", pagination_token=third["meta"]["previous_token"], **params).json()
    assert back["data"] == second["data"]
    back = xapi(f"2/users/{USER}/tweets", pagination_token=second["meta"]["previous_token"], **params).json()
    assert back["data"] == first["data"]


def test_timeline_start_time_and_max_results_bounds(xapi):
    body = xapi(f"2/users/{USER}/tweets", max_results=5, start_time="2026-11-19T00:00:00Z",
                **{"tweet.fields": "created_at"}).json()
    assert len(body["data"]) == 5
    assert all(t["created_at"] >= "2026-11-19" for t in body["data"])
    for bad in ("4", "101", "x"):
        r = xapi(f"2/users/{USER}/tweets", max_results=bad)
        assert r.status_code == 400
        assert_shape(r.json(), fixture("x", "invalid_request"))


def test_lookup_has_the_documented_shape_and_matches_the_timeline(xapi):
    listed = xapi(f"2/users/{USER}/tweets", max_results=5, **{"tweet.fields": FIELDS}).json()
    ids = [t["id"] for t in listed["data"]]
    r = xapi("2/tweets", ids=",".join(ids), **{"tweet.fields": FIELDS})
    assert r.status_code == 200
    body = r.json()
    assert_shape({**body, "meta": listed["meta"]}, fixture("x", "tweets_lookup"))
    assert [t["id"] for t in body["data"]] == ids
    assert body["data"] == listed["data"]
    assert "errors" not in body


def test_lookup_with_unknown_ids_is_200_with_errors(xapi):
    known = synthetic.posts("x", USER, NOW)[0].post_id
    r = xapi("2/tweets", ids=f"{known},1843000000000000999", **{"tweet.fields": "public_metrics"})
    assert r.status_code == 200
    body = r.json()
    assert [t["id"] for t in body["data"]] == [known]
    assert_shape({"errors": body["errors"]}, fixture("x", "partial_not_found"))
    assert body["errors"][0]["resource_id"] == "1843000000000000999"
    only_unknown = xapi("2/tweets", ids="1843000000000000999").json()
    assert "data" not in only_unknown and len(only_unknown["errors"]) == 1


def test_lookup_of_more_than_100_ids_is_an_invalid_request(xapi):
    ids = [p.post_id for p in synthetic.posts("x", USER, NOW)[:101]]
    r = xapi("2/tweets", ids=",".join(ids))
    assert r.status_code == 400
    assert_shape(r.json(), fixture("x", "invalid_request"), optional=frozenset({"max_results"}))
    assert list(r.json()["errors"][0]["parameters"]) == ["ids"]
    assert xapi("2/tweets", ids=",".join(ids[:100])).status_code == 200


def test_app_only_token_gets_public_metrics_only_and_old_posts_no_private_ones(xapi):
    recent = synthetic.posts("x", USER, NOW)[0]
    old = synthetic.posts("x", USER, NOW)[-5]
    app = xapi("2/tweets", token="AAAAAAAAAAAAAAAAAAAAAsandbox", ids=recent.post_id, **{"tweet.fields": FIELDS})
    assert set(app.json()["data"][0]) >= {"public_metrics"}
    assert "non_public_metrics" not in app.json()["data"][0]
    body = xapi("2/tweets", ids=f"{recent.post_id},{old.post_id}", **{"tweet.fields": FIELDS}).json()
    user = body["data"]
    assert "non_public_metrics" in user[0] and "non_public_metrics" not in user[1]
    assert "public_metrics" in user[1]
    # The old post's private metrics are refused item by item, as X documents (Field Authorization Error).
    assert body["errors"] == [{
        "value": field, "title": "Field Authorization Error", "resource_type": "tweet", "field": field,
        "parameter": "tweet.fields", "resource_id": old.post_id, "section": "data",
        "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet with ids: [{old.post_id}].",
        "type": "https://api.twitter.com/2/problems/not-authorized-for-field",
    } for field in ("non_public_metrics", "organic_metrics")]


def test_user_lookup_followers(xapi):
    r = xapi(f"2/users/{USER}", host="api.twitter.com", **{"user.fields": "public_metrics"})
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["username"] == "MOFA_Taiwan_demo"
    assert data["public_metrics"]["followers_count"] == synthetic.followers("x", USER, NOW)


def test_missing_bearer_is_401_problem(client):
    r = client.get(f"/sandbox/api.x.com/2/users/{USER}/tweets")
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/problem+json")
    assert_shape(r.json(), fixture("x", "error_401"))


def test_rate_limit_headers_count_down_per_request(xapi):
    first = xapi(f"2/users/{USER}", **{"user.fields": "public_metrics"})
    second = xapi(f"2/users/{USER}", **{"user.fields": "public_metrics"})
    for r in (first, second):
        assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(r.headers)
    assert int(second["x-rate-limit-remaining"]) == int(first["x-rate-limit-remaining"]) - 1
    assert int(first["x-rate-limit-reset"]) > time.time()


def test_media_expansion_brings_video_view_counts(xapi):
    video = next(p for p in synthetic.posts("x", USER, NOW) if p.format == "video")
    text = next(p for p in synthetic.posts("x", USER, NOW) if p.format == "text")
    body = xapi("2/tweets", ids=f"{video.post_id},{text.post_id}", expansions="attachments.media_keys,author_id",
                **{"tweet.fields": "attachments,public_metrics", "media.fields": "public_metrics,duration_ms,type"}
                ).json()
    key = body["data"][0]["attachments"]["media_keys"][0]
    assert "attachments" not in body["data"][1]
    media = body["includes"]["media"]
    assert [m["media_key"] for m in media] == [key]
    assert media[0]["type"] == "video" and media[0]["public_metrics"]["view_count"] > 0
    assert body["includes"]["users"][0]["id"] == USER
    assert xapi("2/tweets", ids=video.post_id, expansions="nonsense").status_code == 400


def test_an_unknown_user_id_is_a_200_with_a_not_found_item(xapi):
    r = xapi("2/users/12345", **{"user.fields": "public_metrics"})
    assert r.status_code == 200
    assert r.json() == {"errors": [{
        "value": "12345", "detail": "Could not find user with id: [12345].", "title": "Not Found Error",
        "resource_type": "user", "parameter": "id", "resource_id": "12345",
        "type": "https://api.twitter.com/2/problems/resource-not-found"}]}
    assert xapi(f"2/users/{USER}").json()["data"]["id"] == USER
    assert xapi("2/users/1048576000000001").json()["data"]["id"] == "1048576000000001"


def test_a_lookup_names_the_author_of_any_account_it_has_served(xapi):
    other = "1048576000000001"  # not a demo account
    listed = xapi(f"2/users/{other}/tweets", max_results=5, **{"tweet.fields": "author_id,public_metrics"}).json()
    ids = [t["id"] for t in listed["data"]]
    assert {t["author_id"] for t in listed["data"]} == {other}
    body = xapi("2/tweets", ids=",".join(ids), expansions="author_id",
                **{"tweet.fields": "author_id,public_metrics"}).json()
    assert [t["author_id"] for t in body["data"]] == [other] * len(ids)
    assert body["data"] == listed["data"]
    assert [u["id"] for u in body["includes"]["users"]] == [other]
