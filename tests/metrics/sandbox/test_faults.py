"""Every fault knob on every platform: errors as the platform sends them, counted down, then over."""

from __future__ import annotations

import json
import time

import pytest

from metrics.sandbox import synthetic
from metrics.sandbox.faults import claim_fault, sandbox_fault_clear, sandbox_fault_set
from metrics.sandbox.models import SandboxFault
from tests.metrics.sandbox.conftest import NOW
from tests.metrics.sandbox.shapes import assert_shape, fixture

pytestmark = pytest.mark.django_db

PAGE = "104857600000001"
OTHER_PAGE = "104857600000002"
IG_USER = "17841400000000001"
X_USER = "1300000000000000001"
CHANNEL = "UCtrendingTaiwanDemo00001"
YT = "/sandbox/www.googleapis.com/youtube/v3"


def _json_ok(r) -> bool:
    try:
        json.loads(r.content)
    except ValueError:
        return False
    return True


# --- the helpers ------------------------------------------------------------------------------

def test_set_replaces_the_same_kind_and_clear_removes():
    sandbox_fault_set("x", X_USER, "rate_limit", remaining=3)
    sandbox_fault_set("x", X_USER, "rate_limit", remaining=1, style="v1")
    sandbox_fault_set("x", X_USER, "slow", delay_seconds=0.01)
    assert SandboxFault.objects.filter(kind="rate_limit").get().options == {"style": "v1"}
    assert sandbox_fault_clear("x", X_USER, "slow") == 1
    assert sandbox_fault_clear() == 1
    with pytest.raises(ValueError):
        sandbox_fault_set("x", X_USER, "meteor_strike")


def test_remaining_counts_down_exactly_then_the_fault_is_over():
    fault = sandbox_fault_set("facebook", PAGE, "server_error", remaining=3)
    claims = [claim_fault("facebook", [PAGE]) for _ in range(5)]
    assert [c is not None for c in claims] == [True, True, True, False, False]
    fault.refresh_from_db()
    assert fault.remaining == 0
    assert claim_fault("facebook", [OTHER_PAGE]) is None


def test_disabled_fault_does_nothing(graph):
    sandbox_fault_set("facebook", PAGE, "expired_token")
    SandboxFault.objects.update(enabled=False)
    assert graph(f"v25.0/{PAGE}", fields="followers_count").status_code == 200


# --- Graph ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "status"), [(4, 403), (17, 403), (32, 403), (613, 400)])
def test_graph_rate_limit_codes_with_usage_at_100(graph, code, status):
    sandbox_fault_set("facebook", PAGE, "rate_limit", remaining=1, code=code)
    r = graph(f"v25.0/{PAGE}/published_posts")
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert json.loads(r["X-App-Usage"])["call_count"] == 100
    buc = json.loads(r["X-Business-Use-Case-Usage"])[PAGE][0]
    assert buc["call_count"] == 100 and buc["estimated_time_to_regain_access"] >= 1
    assert graph(f"v25.0/{PAGE}/published_posts").status_code == 200  # remaining ran out


def test_graph_fault_reaches_the_accounts_posts_not_other_accounts(graph):
    sandbox_fault_set("facebook", PAGE, "expired_token")
    post = synthetic.posts("facebook", PAGE, NOW)[0]
    r = graph(f"v25.0/{post.post_id}/insights", metric="post_media_view")
    assert r.status_code == 400
    assert_shape(r.json(), fixture("facebook", "error_expired_token"))
    assert (r.json()["error"]["code"], r.json()["error"]["error_subcode"]) == (190, 463)
    assert graph(f"v25.0/{OTHER_PAGE}/published_posts").status_code == 200


def test_instagram_fault_reaches_media_by_id(graph):
    sandbox_fault_set("instagram", IG_USER, "rate_limit", code=80002)
    media = synthetic.posts("instagram", IG_USER, NOW)[2]
    r = graph(f"v25.0/{media.post_id}/insights", host="graph.instagram.com", metric="views")
    assert r.json()["error"]["code"] == 80002
    assert json.loads(r["X-Business-Use-Case-Usage"])[IG_USER][0]["type"] == "instagram"


def test_graph_5xx_burst_then_recovery(graph):
    sandbox_fault_set("facebook", PAGE, "server_error", remaining=2, status=503)
    statuses = [graph(f"v25.0/{PAGE}").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    sandbox_fault_set("facebook", PAGE, "server_error", remaining=1)
    r = graph(f"v25.0/{PAGE}")
    assert r.status_code == 500 and r.json()["error"]["is_transient"] is True


def test_graph_batch_items_fail_individually(client):
    sandbox_fault_set("facebook", PAGE, "rate_limit", remaining=1, code=32)
    items = [{"method": "GET", "relative_url": f"{PAGE}?fields=followers_count"},
             {"method": "GET", "relative_url": f"{OTHER_PAGE}?fields=followers_count"},
             {"method": "GET", "relative_url": f"{PAGE}?fields=followers_count"}]
    out = client.post("/sandbox/graph.facebook.com/", {"access_token": "t", "batch": json.dumps(items)}).json()
    assert [i["code"] for i in out] == [403, 200, 200]
    assert json.loads(out[0]["body"])["error"]["code"] == 32


def test_graph_slow_and_malformed(graph):
    sandbox_fault_set("facebook", PAGE, "slow", remaining=1, delay_seconds=0.3)
    t = time.monotonic()
    assert graph(f"v25.0/{PAGE}").status_code == 200
    assert time.monotonic() - t >= 0.3
    sandbox_fault_set("facebook", PAGE, "malformed", remaining=1)
    r = graph(f"v25.0/{PAGE}/published_posts")
    assert r.status_code == 200 and not _json_ok(r)
    assert _json_ok(graph(f"v25.0/{PAGE}/published_posts"))


# --- X ----------------------------------------------------------------------------------------

def test_x_429_problem_and_v1_styles_with_reset_in_the_future(xapi):
    sandbox_fault_set("x", X_USER, "rate_limit", remaining=1, reset_seconds=120)
    r = xapi(f"2/users/{X_USER}/tweets")
    assert r.status_code == 429 and r["Content-Type"].startswith("application/problem+json")
    assert_shape(r.json(), fixture("x", "error_429_problem"))
    assert r["x-rate-limit-remaining"] == "0"
    assert int(r["x-rate-limit-reset"]) >= time.time() + 100
    sandbox_fault_set("x", X_USER, "rate_limit", remaining=1, style="v1")
    r = xapi(f"2/users/{X_USER}/tweets")
    assert r.status_code == 429
    assert_shape(r.json(), fixture("x", "error_429_v1"))
    assert r.json()["errors"][0]["code"] == 88
    assert xapi(f"2/users/{X_USER}/tweets").status_code == 200


def test_x_fault_reaches_lookups_of_the_accounts_posts(xapi):
    ids = ",".join(p.post_id for p in synthetic.posts("x", X_USER, NOW)[:3])
    other = synthetic.posts("x", "1300000000000000002", NOW)[0].post_id
    sandbox_fault_set("x", X_USER, "expired_token")
    r = xapi("2/tweets", ids=ids)
    assert r.status_code == 401
    assert_shape(r.json(), fixture("x", "error_401"))
    assert xapi("2/tweets", ids=other).status_code == 200


def test_x_fault_for_an_unknown_account_reaches_its_posts_by_bucket(xapi):
    user = "4242424242"
    post = synthetic.posts("x", user, NOW)[0]
    sandbox_fault_set("x", user, "server_error", remaining=1, status=500)
    assert xapi("2/tweets", ids=post.post_id).status_code == 500
    assert xapi("2/tweets", ids=post.post_id).status_code == 200


def test_x_5xx_slow_and_malformed(xapi):
    sandbox_fault_set("x", X_USER, "server_error", remaining=2)
    assert [xapi(f"2/users/{X_USER}").status_code for _ in range(3)] == [503, 503, 200]
    sandbox_fault_set("x", X_USER, "slow", remaining=1, delay_seconds=0.2)
    t = time.monotonic()
    xapi(f"2/users/{X_USER}")
    assert time.monotonic() - t >= 0.2
    sandbox_fault_set("x", X_USER, "malformed", remaining=1)
    r = xapi(f"2/users/{X_USER}/tweets")
    assert r.status_code == 200 and not _json_ok(r)


# --- YouTube ----------------------------------------------------------------------------------

def test_youtube_quota_exceeded_and_other_reasons(client):
    sandbox_fault_set("youtube", CHANNEL, "rate_limit", remaining=1)
    r = client.get(f"{YT}/channels", {"part": "contentDetails", "id": CHANNEL, "key": "k"})
    assert r.status_code == 403
    assert_shape(r.json(), fixture("youtube", "error_quota"))
    assert r.json()["error"]["errors"][0]["reason"] == "quotaExceeded"
    sandbox_fault_set("youtube", CHANNEL, "rate_limit", remaining=1, reason="rateLimitExceeded")
    r = client.get(f"{YT}/channels", {"part": "contentDetails", "id": CHANNEL, "key": "k"})
    assert r.json()["error"]["errors"][0] == {"message": "Rate Limit Exceeded", "domain": "usageLimits",
                                              "reason": "rateLimitExceeded"}


def test_youtube_expired_token_on_videos_by_id_and_analytics(client):
    video = synthetic.posts("youtube", CHANNEL, NOW)[0].post_id
    sandbox_fault_set("youtube", CHANNEL, "expired_token", remaining=2)
    r = client.get(f"{YT}/videos", {"part": "statistics", "id": video}, HTTP_AUTHORIZATION="Bearer t")
    assert r.status_code == 401
    assert_shape(r.json(), fixture("youtube", "error_401"))
    r = client.get("/sandbox/youtubeanalytics.googleapis.com/v2/reports",
                   {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-02", "metrics": "views"},
                   HTTP_AUTHORIZATION="Bearer t")
    assert r.status_code == 401 and r.json()["error"]["errors"][0]["reason"] == "authError"


def test_youtube_5xx_and_malformed(client):
    params = {"part": "snippet", "playlistId": "UU" + CHANNEL[2:], "key": "k"}
    sandbox_fault_set("youtube", CHANNEL, "server_error", remaining=1, status=500)
    r = client.get(f"{YT}/playlistItems", params)
    assert r.status_code == 500 and r.json()["error"]["errors"][0]["reason"] == "backendError"
    sandbox_fault_set("youtube", CHANNEL, "malformed", remaining=1)
    r = client.get(f"{YT}/playlistItems", params)
    assert r.status_code == 200 and not _json_ok(r)
    assert _json_ok(client.get(f"{YT}/playlistItems", params))


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_never_use_one_unit_twice():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    sandbox_fault_set("x", X_USER, "server_error", remaining=10)

    def worker(_):
        try:
            return sum(claim_fault("x", [X_USER]) is not None for _ in range(5))
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        hits = sum(pool.map(worker, range(6)))
    assert hits == 10
    assert SandboxFault.objects.get().remaining == 0
