"""The Graph API stand-in: Pages, posts, insights, Instagram media, batches, paging, errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from metrics.sandbox import synthetic
from tests.metrics.sandbox.conftest import NOW
from tests.metrics.sandbox.shapes import assert_shape, fixture

pytestmark = pytest.mark.django_db

PAGE = "104857600000001"
IG_USER = "17841400000000001"
POST_FIELDS = ("id,message,created_time,permalink_url,status_type,shares,"
               "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)")


def test_published_posts_have_the_documented_shape(graph):
    r = graph(f"v25.0/{PAGE}/published_posts", fields=POST_FIELDS, limit=25)
    assert r.status_code == 200
    body = r.json()
    assert len(body["data"]) == 25
    assert_shape(body, fixture("facebook", "published_posts"), optional=frozenset({"shares"}))
    assert body["data"][0]["created_time"].endswith("+0000")
    # `shares` is absent, not zero, when nobody shared.
    assert all(p["shares"]["count"] > 0 for p in body["data"] if "shares" in p)


def test_posts_edge_and_unversioned_path_answer_too(graph):
    a = graph(f"v25.0/{PAGE}/posts", limit=5).json()
    b = graph(f"{PAGE}/published_posts", limit=5).json()
    assert [p["id"] for p in a["data"]] == [p["id"] for p in b["data"]]
    assert set(a["data"][0]) == {"id", "message", "created_time"}  # Graph's default fields


def test_paging_to_the_end_has_no_gaps_or_duplicates_and_no_next_on_the_last_page(graph, client):
    expected = [p.post_id for p in synthetic.posts("facebook", PAGE, NOW)]
    seen, url, pages = [], None, 0
    r = graph(f"v25.0/{PAGE}/published_posts", limit=100)
    while True:
        body = r.json()
        pages += 1
        seen += [p["id"] for p in body["data"]]
        if "next" not in body.get("paging", {}):
            break
        url = body["paging"]["next"]
        assert url.startswith("http://testserver/sandbox/graph.facebook.com/v25.0/")
        r = client.get(url)
    assert seen == expected
    assert len(set(seen)) == len(seen)
    assert pages == -(-len(expected) // 100)
    assert "cursors" in body["paging"]


def test_since_until_and_seeded_posts_are_served(graph):
    body = graph(f"v25.0/{PAGE}/published_posts", since="2026-05-12T00:00:00", until="2026-05-12T23:59:59",
                 limit=100).json()
    ids = [p["id"] for p in body["data"]]
    assert "104857600000001_5001" in ids
    assert all(p["created_time"].startswith("2026-05-12") for p in body["data"])


def test_post_insights_and_the_retired_metric_error(graph):
    post = next(p for p in synthetic.posts("facebook", PAGE, NOW) if p.format == "image")
    r = graph(f"v25.0/{post.post_id}/insights",
              metric="post_media_view,post_total_media_view_unique,post_reactions_by_type_total")
    assert r.status_code == 200
    assert_shape(r.json(), fixture("facebook", "post_insights"))
    values = {d["name"]: d["values"][0]["value"] for d in r.json()["data"]}
    assert values["post_media_view"] == synthetic.post_metrics(post, NOW)["views"]
    for retired in ("post_impressions", "post_impressions_unique", "post_engaged_users"):
        r = graph(f"v25.0/{post.post_id}/insights", metric=f"post_media_view,{retired}")
        assert r.status_code == 400  # the whole request fails for one bad metric
        assert_shape(r.json(), fixture("facebook", "error_invalid_metric"))
        assert r.json()["error"]["code"] == 100


def test_video_insights_for_a_video_post(graph):
    post = next(p for p in synthetic.posts("facebook", PAGE, NOW) if p.format == "video")
    listed = graph(f"v25.0/{post.post_id}", fields="attachments").json()
    video_id = listed["attachments"]["data"][0]["target"]["id"]
    r = graph(f"v25.0/{video_id}/video_insights")
    assert r.status_code == 200
    names = {d["name"] for d in r.json()["data"]}
    assert {"total_video_views", "total_video_views_unique"} <= names
    assert r.json()["data"][0]["id"].startswith(f"{video_id}/video_insights/")


def test_page_fields_and_page_insights(graph):
    body = graph(f"v25.0/{PAGE}", fields="followers_count,fan_count").json()
    assert body["followers_count"] == synthetic.followers("facebook", PAGE, NOW)
    assert isinstance(body["fan_count"], int)
    ins = graph(f"v25.0/{PAGE}/insights", metric="page_follows", period="day").json()
    assert ins["data"][0]["name"] == "page_follows"
    assert all("end_time" in v for v in ins["data"][0]["values"])
    assert graph(f"v25.0/{PAGE}/insights", metric="page_fans").status_code == 400


def test_instagram_media_and_insights(graph):
    r = graph(f"v25.0/{IG_USER}/media", host="graph.instagram.com",
              fields="id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count,shortcode")
    assert r.status_code == 200
    assert_shape(r.json(), fixture("instagram", "media"))
    types = {m["media_product_type"] for m in r.json()["data"]}
    assert types <= {"FEED", "REELS"}  # Stories are on /stories only
    media = r.json()["data"][0]["id"]
    r = graph(f"v25.0/{media}/insights", metric="views,reach,likes,comments,saved,shares,total_interactions")
    assert r.status_code == 200
    assert_shape(r.json(), fixture("instagram", "media_insights"))
    r = graph(f"v25.0/{media}/insights", metric="views,impressions")
    assert r.status_code == 400
    assert "Starting from version 22" in r.json()["error"]["message"]


def test_instagram_story_after_24h_gives_empty_data_and_tiny_media_code_10(graph, settings):
    story = next(p for p in synthetic.posts("instagram", IG_USER, NOW) if p.format == "story")
    r = graph(f"v25.0/{story.post_id}/insights", metric="views,reach")
    assert r.status_code == 200 and r.json() == {"data": []}
    # A minute after publication almost nobody has seen a post yet.
    fresh = next(p for p in synthetic.posts("instagram", IG_USER, NOW) if p.format == "image")
    settings.SANDBOX_NOW = fresh.published_at + dt.timedelta(seconds=1)
    r = graph(f"v25.0/{fresh.post_id}/insights", metric="views,reach")
    assert r.status_code == 400
    assert_shape(r.json(), fixture("instagram", "error_not_enough_viewers"))
    assert r.json()["error"]["code"] == 10


def test_instagram_follower_demographics_by_country(graph):
    r = graph(f"v25.0/{IG_USER}/insights", metric="follower_demographics", period="lifetime",
              metric_type="total_value", breakdown="country")
    assert r.status_code == 200
    assert_shape(r.json(), fixture("instagram", "follower_demographics"))
    results = r.json()["data"][0]["total_value"]["breakdowns"][0]["results"]
    assert results[0]["dimension_values"] == ["TW"]  # the profile's top country
    followers = graph(f"v25.0/{IG_USER}", fields="followers_count").json()["followers_count"]
    assert sum(x["value"] for x in results) <= followers


def test_batch_answers_each_item_like_graph(client):
    post = synthetic.posts("facebook", PAGE, NOW)[3]
    items = [{"method": "GET", "relative_url": f"v25.0/{post.post_id}/insights?metric=post_media_view"},
             {"method": "GET", "relative_url": f"/{PAGE}?fields=followers_count"},
             {"method": "GET", "relative_url": f"{post.post_id}/insights?metric=post_impressions"}]
    r = client.post("/sandbox/graph.facebook.com/", {"access_token": "tok", "batch": json.dumps(items)})
    assert r.status_code == 200
    out = r.json()
    assert [i["code"] for i in out] == [200, 200, 400]
    assert all({"code", "headers", "body"} == set(i) for i in out)
    assert json.loads(out[1]["body"])["followers_count"] > 0
    assert json.loads(out[2]["body"])["error"]["code"] == 100
    assert {"name": "Content-Type", "value": "text/javascript; charset=UTF-8"} in out[0]["headers"]


def test_batch_of_more_than_50_is_refused(client):
    items = [{"method": "GET", "relative_url": f"{PAGE}"}] * 51
    r = client.post("/sandbox/graph.facebook.com/v25.0", {"access_token": "tok", "batch": json.dumps(items)})
    assert r.status_code == 400
    assert "Maximum batch size is 50" in r.json()["error"]["message"]
    ok = client.post("/sandbox/graph.facebook.com/v25.0", {"access_token": "tok", "batch": json.dumps(items[:50])})
    assert ok.status_code == 200 and len(ok.json()) == 50


def test_missing_token_and_unknown_objects(graph, client):
    r = client.get(f"/sandbox/graph.facebook.com/v25.0/{PAGE}/published_posts")
    assert r.status_code == 400 and r.json()["error"]["type"] == "OAuthException"
    bearer = client.get(f"/sandbox/graph.facebook.com/v25.0/{PAGE}", HTTP_AUTHORIZATION="Bearer tok")
    assert bearer.status_code == 200
    for bad in (f"{PAGE}_99999999999999", "17954321098765432999", "not-an-id"):
        r = graph(f"v25.0/{bad}/insights", metric="post_media_view")
        assert r.status_code == 400, bad
        assert r.json()["error"]["code"] == 100


def test_usage_headers_on_every_response_and_they_count(graph):
    r = graph(f"v25.0/{PAGE}", fields="followers_count")
    expected = fixture("facebook", "usage_headers")
    assert_shape(json.loads(r["X-App-Usage"]), expected["X-App-Usage"])
    buc = json.loads(r["X-Business-Use-Case-Usage"])
    assert list(buc) == [PAGE]  # keyed by the Page id
    assert_shape(buc[PAGE], expected["X-Business-Use-Case-Usage"]["104857600123456"])
    first = json.loads(r["X-Business-Use-Case-Usage"])[PAGE][0]["call_count"]
    for _ in range(60):
        r = graph(f"v25.0/{PAGE}", fields="followers_count")
    later = json.loads(r["X-Business-Use-Case-Usage"])[PAGE][0]["call_count"]
    assert later > first


def test_instagram_stories_edge_serves_only_the_last_24_hours(graph, settings):
    story = next(p for p in synthetic.posts("instagram", IG_USER, NOW) if p.format == "story")
    settings.SANDBOX_NOW = story.published_at + dt.timedelta(hours=2)
    body = graph(f"v25.0/{IG_USER}/stories", fields="id,media_product_type,timestamp").json()
    assert story.post_id in [m["id"] for m in body["data"]]
    assert {m["media_product_type"] for m in body["data"]} == {"STORY"}
    r = graph(f"v25.0/{story.post_id}/insights", metric="views,reach,replies,navigation")
    assert r.status_code == 200 and len(r.json()["data"]) == 4
    settings.SANDBOX_NOW = story.published_at + dt.timedelta(hours=25)
    body = graph(f"v25.0/{IG_USER}/stories").json()
    assert story.post_id not in [m["id"] for m in body["data"]]


def test_previous_pages_back_to_the_first_page(graph, client):
    first = graph(f"v25.0/{PAGE}/published_posts", limit=10).json()
    assert "previous" not in first["paging"]
    second = client.get(first["paging"]["next"]).json()
    back = client.get(second["paging"]["previous"]).json()
    assert [p["id"] for p in back["data"]] == [p["id"] for p in first["data"]]
    assert graph(f"v25.0/{PAGE}/published_posts", limit=10, after="bm90LWEtY3Vyc29y").status_code == 400


def test_page_names_its_linked_instagram_account(graph):
    linked = graph(f"v25.0/{PAGE}", fields="id,instagram_business_account").json()
    assert linked == {"id": PAGE, "instagram_business_account": {"id": IG_USER}}
    alone = graph("v25.0/104857600000002", fields="id,instagram_business_account").json()
    assert alone == {"id": "104857600000002"}


# --- several objects in one call: ?ids= with field expansion --------------------------------------

def test_ids_read_fields_and_expanded_insights_of_many_posts_in_one_call(graph):
    posts = [p for p in synthetic.posts("facebook", PAGE, NOW) if p.format in ("image", "text", "link")][:50]
    fields = ("shares,reactions.summary(total_count).limit(0),"
              "insights.metric(post_media_view,post_total_media_view_unique){name,values}")
    r = graph("v25.0/", ids=",".join(p.post_id for p in posts), fields=fields)
    assert r.status_code == 200
    body = r.json()
    assert list(body) == [p.post_id for p in posts]  # keyed by id, in the order asked
    first = body[posts[0].post_id]
    assert first["id"] == posts[0].post_id
    assert first["reactions"]["summary"]["total_count"] == synthetic.post_metrics(posts[0], NOW)["likes"]
    values = {d["name"]: d["values"][0]["value"] for d in first["insights"]["data"]}
    assert values == {"post_media_view": synthetic.post_metrics(posts[0], NOW)["views"],
                      "post_total_media_view_unique": synthetic.post_metrics(posts[0], NOW)["reach"]}
    assert set(first["insights"]["data"][0]) == {"name", "values"}  # only the sub-fields asked


def test_ids_refuses_more_than_50_with_graphs_error(graph):
    ids = [p.post_id for p in synthetic.posts("facebook", PAGE, NOW)][:51]
    r = graph("v25.0/", ids=",".join(ids), fields="id")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == 100
    assert r.json()["error"]["message"] == "(#100) Too many IDs. Maximum: 50. Provided: 51."
    assert graph("v25.0/", ids=",".join(ids[:50]), fields="id").status_code == 200


def test_ids_with_an_unknown_id_fails_the_whole_request_and_names_it(graph):
    ids = [p.post_id for p in synthetic.posts("facebook", PAGE, NOW)][:3]
    gone = f"{PAGE}_999999999999"
    r = graph("v25.0/", ids=",".join([*ids, gone]), fields="id")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == 803
    assert r.json()["error"]["message"].endswith(f"do not exist: {gone}")


def test_ids_one_retired_metric_or_one_reel_fails_the_whole_request(graph):
    posts = synthetic.posts("facebook", PAGE, NOW)
    images = [p.post_id for p in posts if p.format == "image"][:3]
    r = graph("v25.0/", ids=",".join(images), fields="insights.metric(post_media_view,post_impressions)")
    assert r.status_code == 400 and r.json()["error"]["code"] == 100
    reel = next(p.post_id for p in posts if p.format == "short_video")
    r = graph("v25.0/", ids=",".join([*images, reel]), fields="insights.metric(post_media_view)")
    assert r.status_code == 400 and "nonexisting field (insights)" in r.json()["error"]["message"]
    r = graph("v25.0/", ids=reel, fields="video_insights.metric(total_video_views){name,values}")
    assert r.json()[reel]["video_insights"]["data"][0]["name"] == "total_video_views"


def test_ids_for_instagram_media_with_the_v22_refusal(graph):
    media = [p.post_id for p in synthetic.posts("instagram", IG_USER, NOW) if p.format in ("image", "carousel")][:4]
    ok = graph("v25.0/", ids=",".join(media), fields="like_count,insights.metric(views,reach){name,values}")
    assert ok.status_code == 200
    assert {d["name"] for d in ok.json()[media[0]]["insights"]["data"]} == {"views", "reach"}
    refused = graph("v25.0/", ids=",".join(media), fields="insights.metric(views,impressions)")
    assert refused.status_code == 400
    assert "Starting from version 22 and above, the impressions metric" in refused.json()["error"]["message"]
