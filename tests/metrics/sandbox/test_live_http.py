"""End to end over real HTTP (a live server): plain `requests` clients and Google's own client library."""

from __future__ import annotations

import pytest
import requests
from google.oauth2.credentials import Credentials
from googleapiclient import discovery
from googleapiclient.errors import HttpError

from metrics.sandbox import synthetic
from tests.metrics.sandbox.conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "104857600000001"
X_USER = "1300000000000000002"
CHANNEL = "UCnouraTastesDemo0000009"


def test_a_graph_client_follows_next_urls_verbatim_to_the_last_page(live_server):
    session = requests.Session()
    url = f"{live_server.url}/sandbox/graph.facebook.com/v25.0/{PAGE}/published_posts"
    params = {"access_token": "t", "limit": 100, "fields": "id,created_time,reactions.summary(total_count).limit(0)"}
    seen, requests_made = [], 0
    while url:
        r = session.get(url, params=params, timeout=10)
        requests_made += 1
        params = None  # the next URL carries everything, as Graph's does
        assert r.status_code == 200 and "X-App-Usage" in r.headers
        body = r.json()
        seen += [p["id"] for p in body["data"]]
        url = body.get("paging", {}).get("next")
    assert seen == [p.post_id for p in synthetic.posts("facebook", PAGE, NOW)]
    assert requests_made == -(-len(seen) // 100)


def test_an_x_client_pages_a_timeline_then_looks_up_100_at_a_time(live_server):
    session = requests.Session()
    session.headers["Authorization"] = "Bearer sandbox"
    base = f"{live_server.url}/sandbox/api.twitter.com/2"
    ids, token = [], None
    while True:
        params = {"max_results": 100, **({"pagination_token": token} if token else {})}
        body = session.get(f"{base}/users/{X_USER}/tweets", params=params, timeout=10).json()
        ids += [t["id"] for t in body["data"]]
        token = body["meta"].get("next_token")
        if not token:
            break
    found = []
    for i in range(0, len(ids), 100):
        r = session.get(f"{base}/tweets", params={"ids": ",".join(ids[i:i + 100]),
                                                  "tweet.fields": "public_metrics"}, timeout=10)
        assert int(r.headers["x-rate-limit-remaining"]) < 900
        found += [t["id"] for t in r.json()["data"]]
    assert found == ids


def test_google_api_python_client_works_unchanged(live_server):
    youtube = discovery.build("youtube", "v3", developerKey="sandbox-key", static_discovery=True,
                              client_options={"api_endpoint": live_server.url + "/sandbox/www.googleapis.com"})
    channel = youtube.channels().list(part="contentDetails,statistics", id=CHANNEL).execute()
    uploads = channel["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]
    video_ids = []
    request = youtube.playlistItems().list(part="contentDetails", playlistId=uploads, maxResults=50)
    while request is not None:  # the library's own paging helper reads nextPageToken
        page = request.execute()
        video_ids += [i["contentDetails"]["videoId"] for i in page["items"]]
        request = youtube.playlistItems().list_next(request, page)
    assert "sdgAdayAr01" in video_ids
    videos = youtube.videos().list(part="statistics,contentDetails", id=",".join(video_ids[:50])).execute()
    assert len(videos["items"]) == min(50, len(video_ids))
    assert all(isinstance(v["statistics"]["viewCount"], str) for v in videos["items"])

    analytics = discovery.build(
        "youtubeAnalytics", "v2", static_discovery=True,
        credentials=Credentials(token="sandbox-oauth-token"),
        client_options={"api_endpoint": live_server.url + "/sandbox/youtubeanalytics.googleapis.com"})
    table = analytics.reports().query(ids="channel==" + CHANNEL, startDate="2026-09-20", endDate="2026-11-19",
                                      metrics="views,estimatedMinutesWatched", dimensions="country",
                                      filters="video==sdgAdayAr01", sort="-views").execute()
    assert table["rows"][0][0] == "KW"

    with pytest.raises(HttpError) as exc:
        youtube.videos().list(part="statistics", id=",".join(video_ids[:51] + ["x"] * 51)).execute()
    assert exc.value.resp.status == 400
