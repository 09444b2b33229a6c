"""No input makes the sandbox answer 500: garbage gets the platform's own 4xx error shapes."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/published_posts", {"access_token": "t"}, {}),
    ("/sandbox/graph.facebook.com/v25.0/104857600000001_179530540201/insights", {"access_token": "t"}, {}),
    ("/sandbox/graph.instagram.com/v25.0/17841400000000001/insights", {"access_token": "t"}, {}),
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/insights", {"access_token": "t"}, {}),
    ("/sandbox/api.x.com/2/users/1300000000000000001/tweets", {}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/api.x.com/2/tweets", {}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/api.x.com/2/users/1300000000000000001", {}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/www.googleapis.com/youtube/v3/playlistItems", {"key": "k"}, {}),
    ("/sandbox/www.googleapis.com/youtube/v3/videos", {"key": "k"}, {}),
    ("/sandbox/www.googleapis.com/youtube/v3/channels", {"key": "k"}, {}),
    ("/sandbox/youtubeanalytics.googleapis.com/v2/reports", {"ids": "channel==MINE"},
     {"HTTP_AUTHORIZATION": "Bearer t"}),
]
PARAM_NAMES = ["fields", "limit", "after", "before", "since", "until", "metric", "period", "breakdown",
               "metric_type", "max_results", "pagination_token", "start_time", "end_time", "ids", "tweet.fields",
               "user.fields", "since_id", "part", "id", "playlistId", "maxResults", "pageToken", "mine",
               "startDate", "endDate", "metrics", "dimensions", "filters", "sort", "startIndex"]
junk = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
values = st.one_of(junk, st.sampled_from(["0", "-1", "101", "abc", "2026-13-45", "views,impressions",
                                          "id,reactions.summary(total_count).limit(0)", "{", "(((", "MINE",
                                          "channel==MINE", "country", "day", "-views", "snippet,statistics"]))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), params=st.dictionaries(st.sampled_from(PARAM_NAMES), values, max_size=5))
def test_random_parameters_never_give_a_500(client, endpoint, params):
    path, base, headers = endpoint
    r = client.get(path, {**base, **params}, **headers)
    assert r.status_code < 500, (path, params, r.content[:300])
    json.loads(r.content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.one_of(junk, st.lists(st.dictionaries(st.sampled_from(["method", "relative_url", "body"]),
                                                          st.one_of(junk, st.integers(), st.none()),
                                                          max_size=3), max_size=4)))
def test_random_batches_never_give_a_500(client, batch):
    payload = batch if isinstance(batch, str) else json.dumps(batch)
    r = client.post("/sandbox/graph.facebook.com/", {"access_token": "t", "batch": payload})
    assert r.status_code < 500, (payload, r.content[:300])


@pytest.mark.parametrize("params", [
    {"startIndex": "abc"}, {"startIndex": "0"}, {"maxResults": "-3"}, {"maxResults": "x"},
    {"startDate": "2026-02-30"}, {"endDate": "2020-01-01"}, {"filters": "video=="}, {"filters": "nope==1"},
    {"dimensions": "day,unknownDim"}, {"sort": "-nope"}, {"ids": "channel==NOTACHANNEL"},
])
def test_analytics_bad_parameters_are_400s(client, params):
    base = {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-10", "metrics": "views",
            "dimensions": "day", "sort": "day"}
    r = client.get("/sandbox/youtubeanalytics.googleapis.com/v2/reports", {**base, **params},
                   HTTP_AUTHORIZATION="Bearer t")
    assert 400 <= r.status_code < 500, (params, r.content[:300])
    assert "error" in r.json()


@pytest.mark.parametrize(("path", "params", "headers"), [
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/published_posts",
     {"access_token": "t", "since": "99999999999999999"}, {}),
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/published_posts", {"access_token": "t", "limit": "²"}, {}),
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/published_posts", {"access_token": "t", "after": "@@"}, {}),
    ("/sandbox/graph.facebook.com/v25.0/104857600000001/published_posts/extra", {"access_token": "t"}, {}),
    ("/sandbox/api.x.com/2/users/1300000000000000001/tweets", {"max_results": "²"}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/api.x.com/2/users/١٢٣/tweets", {}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/api.x.com/2/tweets", {"ids": "1,²"}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/api.x.com/2/nothing/here", {}, {"HTTP_AUTHORIZATION": "Bearer t"}),
    ("/sandbox/www.googleapis.com/youtube/v3/search", {"key": "k"}, {}),
    ("/sandbox/www.googleapis.com/youtube/v3/videos", {"key": "k", "part": "nonsense", "id": "tcHperfPair"}, {}),
])
def test_known_traps_are_4xx(client, path, params, headers):
    r = client.get(path, params, **headers)
    assert 400 <= r.status_code < 500, r.content[:300]
    json.loads(r.content)


def test_a_bad_relative_url_in_a_batch_is_that_items_400(client):
    items = [{"method": "GET", "relative_url": "//[bad"}, {"method": "POST", "relative_url": "104857600000001"}]
    out = client.post("/sandbox/graph.facebook.com/", {"access_token": "t", "batch": json.dumps(items)}).json()
    assert [i["code"] for i in out] == [400, 400]
