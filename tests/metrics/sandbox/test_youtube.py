"""The YouTube Data API v3 and Analytics API v2 stand-ins."""

from __future__ import annotations

import pytest

from metrics.sandbox import synthetic
from tests.metrics.sandbox.conftest import NOW
from tests.metrics.sandbox.shapes import assert_shape, fixture

pytestmark = pytest.mark.django_db

CHANNEL = "UCtrendingTaiwanDemo00001"
DATA = "/sandbox/www.googleapis.com/youtube/v3"
ANALYTICS = "/sandbox/youtubeanalytics.googleapis.com/v2/reports"


def test_channel_uploads_playlist_and_string_statistics(client):
    r = client.get(f"{DATA}/channels", {"part": "contentDetails,statistics,snippet", "id": CHANNEL, "key": "k"})
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert item["contentDetails"]["relatedPlaylists"]["uploads"] == "UU" + CHANNEL[2:]
    stats = item["statistics"]
    assert all(isinstance(stats[k], str) for k in ("viewCount", "subscriberCount", "videoCount"))
    assert int(stats["subscriberCount"]) == synthetic.followers("youtube", CHANNEL, NOW)
    mine = client.get(f"{DATA}/channels", {"part": "id", "mine": "true"}, HTTP_AUTHORIZATION="Bearer t").json()
    assert mine["items"][0]["id"] == CHANNEL


@pytest.mark.parametrize("handle", ["@TrendingTaiwanDemo", "trendingtaiwandemo"])
def test_channels_for_handle(client, handle):
    r = client.get(f"{DATA}/channels", {"part": "snippet", "forHandle": handle, "key": "k"})
    assert r.status_code == 200
    (item,) = r.json()["items"]
    assert item["id"] == CHANNEL and item["snippet"]["customUrl"] == "@trendingtaiwandemo"
    nobody = client.get(f"{DATA}/channels", {"part": "snippet", "forHandle": "@nobodyHere", "key": "k"}).json()
    assert "items" not in nobody and nobody["pageInfo"]["totalResults"] == 0


def test_playlist_items_page_to_the_end_and_back(client):
    expected = [v.post_id for v in synthetic.posts("youtube", CHANNEL, NOW)]
    seen, token, bodies = [], None, []
    while True:
        params = {"part": "contentDetails,snippet", "playlistId": "UU" + CHANNEL[2:], "maxResults": 20, "key": "k"}
        if token:
            params["pageToken"] = token
        body = client.get(f"{DATA}/playlistItems", params).json()
        bodies.append(body)
        seen += [i["contentDetails"]["videoId"] for i in body["items"]]
        assert body["pageInfo"] == {"totalResults": len(expected), "resultsPerPage": 20}
        token = body.get("nextPageToken")
        if not token:
            break
    assert seen == expected and len(set(seen)) == len(seen)
    assert "tcHperfPair" in seen
    assert "prevPageToken" not in bodies[0]
    back = client.get(f"{DATA}/playlistItems", {"part": "contentDetails", "playlistId": "UU" + CHANNEL[2:],
                                                "maxResults": 20, "key": "k",
                                                "pageToken": bodies[2]["prevPageToken"]}).json()
    assert [i["contentDetails"]["videoId"] for i in back["items"]] == \
        [i["contentDetails"]["videoId"] for i in bodies[1]["items"]]


def test_playlist_errors(client):
    r = client.get(f"{DATA}/playlistItems", {"part": "snippet", "playlistId": "PLnope", "key": "k"})
    assert r.status_code == 404 and r.json()["error"]["errors"][0]["reason"] == "playlistNotFound"
    r = client.get(f"{DATA}/playlistItems", {"part": "snippet", "playlistId": "UU" + CHANNEL[2:], "key": "k",
                                             "maxResults": 51})
    assert r.status_code == 400
    r = client.get(f"{DATA}/playlistItems", {"part": "snippet", "playlistId": "UU" + CHANNEL[2:], "key": "k",
                                             "pageToken": "%%%"})
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["reason"] == "invalidPageToken"


def test_videos_list_shape_strings_and_unknown_ids_left_out(client):
    ids = [v.post_id for v in synthetic.posts("youtube", CHANNEL, NOW)[:49]] + ["dQw4w9WgXcQ"]
    r = client.get(f"{DATA}/videos", {"part": "snippet,statistics,contentDetails", "id": ",".join(ids), "key": "k"})
    assert r.status_code == 200
    body = r.json()
    assert_shape(body, fixture("youtube", "videos_list"), optional=frozenset({"likeCount", "commentCount"}))
    assert [i["id"] for i in body["items"]] == ids[:49]
    for item in body["items"]:
        assert all(isinstance(v, str) for v in item["statistics"].values())
        assert item["contentDetails"]["duration"].startswith("PT")
        assert item["snippet"]["channelId"] == CHANNEL


def test_videos_list_refuses_more_than_50_ids(client):
    ids = [v.post_id for v in synthetic.posts("youtube", CHANNEL, NOW)[:51]]
    r = client.get(f"{DATA}/videos", {"part": "statistics", "id": ",".join(ids), "key": "k"})
    assert r.status_code == 400
    assert client.get(f"{DATA}/videos", {"part": "statistics", "id": ",".join(ids[:50]), "key": "k"}).status_code \
        == 200


def test_youtube_host_alias_and_missing_credentials(client):
    ok = client.get("/sandbox/youtube.googleapis.com/youtube/v3/videos",
                    {"part": "statistics", "id": "tcHperfPair"}, HTTP_AUTHORIZATION="Bearer t")
    assert ok.status_code == 200 and ok.json()["items"][0]["id"] == "tcHperfPair"
    r = client.get(f"{DATA}/videos", {"part": "statistics", "id": "tcHperfPair"})
    assert r.status_code == 403 and r.json()["error"]["errors"][0]["reason"] == "forbidden"
    r = client.get(ANALYTICS, {"ids": "channel==MINE", "startDate": "2026-11-01", "endDate": "2026-11-10",
                               "metrics": "views", "key": "k"})
    assert r.status_code == 401


def test_analytics_country_report_for_a_video(client):
    r = client.get(ANALYTICS, {"ids": "channel==MINE", "startDate": "2026-05-01", "endDate": "2026-11-19",
                               "dimensions": "country", "filters": "video==tcHperfPair", "sort": "-views",
                               "metrics": "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,"
                                          "subscribersGained", "maxResults": 25},
                   HTTP_AUTHORIZATION="Bearer t")
    assert r.status_code == 200
    body = r.json()
    assert_shape(body, fixture("youtube", "analytics_report"))
    assert [h["name"] for h in body["columnHeaders"]][:2] == ["country", "views"]
    views = [row[1] for row in body["rows"]]
    assert views == sorted(views, reverse=True)
    assert body["rows"][0][0] == "TW"  # the seeded film's top country
    total = synthetic.post_metrics(synthetic.post_by_id("youtube", "tcHperfPair", NOW), NOW)["views"]
    assert abs(sum(views) - total) <= total * 0.02


def test_analytics_daily_views_sum_up_and_empty_ranges_have_no_rows(client):
    video = synthetic.posts("youtube", CHANNEL, NOW)[3]
    r = client.get(ANALYTICS, {"ids": f"channel=={CHANNEL}", "startDate": video.published_at.date().isoformat(),
                               "endDate": "2026-11-20", "dimensions": "day", "metrics": "views,likes",
                               "filters": f"video=={video.post_id}"}, HTTP_AUTHORIZATION="Bearer t")
    rows = r.json()["rows"]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert sum(row[1] for row in rows) == synthetic.post_metrics(video, NOW)["views"]
    empty = client.get(ANALYTICS, {"ids": f"channel=={CHANNEL}", "startDate": "2020-01-01", "endDate": "2020-01-31",
                                   "metrics": "views", "filters": f"video=={video.post_id}"},
                       HTTP_AUTHORIZATION="Bearer t").json()
    assert "rows" not in empty and empty["columnHeaders"][0]["name"] == "views"
    bad = client.get(ANALYTICS, {"ids": f"channel=={CHANNEL}", "startDate": "2026-11-01", "endDate": "2026-11-02",
                                 "metrics": "views,thumbnailImpressions"}, HTTP_AUTHORIZATION="Bearer t")
    assert bad.status_code == 400
