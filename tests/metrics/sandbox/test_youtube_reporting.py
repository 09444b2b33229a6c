"""The YouTube Reporting API v1 stand-in: jobs, daily reports, CSV downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from metrics.sandbox import synthetic
from metrics.sandbox.youtube_reporting import BASIC_COLUMNS
from tests.metrics.sandbox.conftest import NOW

pytestmark = pytest.mark.django_db

CHANNEL = "UCtrendingTaiwanDemo00001"
OTHER = "UCnouraTastesDemo0000009"
BASE = "/sandbox/youtubereporting.googleapis.com/v1"


def _auth(channel: str = CHANNEL) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer token-of-{channel}"}


def _create(client, channel: str = CHANNEL, report_type: str = "channel_basic_a2"):
    return client.post(f"{BASE}/jobs", {"reportTypeId": report_type, "name": "softpower"},
                       content_type="application/json", **_auth(channel))


def test_a_job_is_created_once_per_report_type_and_listed(client):
    assert client.get(f"{BASE}/jobs", **_auth()).json() == {}
    created = _create(client)
    assert created.status_code == 200
    job = created.json()
    assert set(job) == {"id", "reportTypeId", "name", "createTime"} and job["reportTypeId"] == "channel_basic_a2"
    again = _create(client)
    assert again.status_code == 409 and again.json()["error"]["status"] == "ALREADY_EXISTS"
    assert client.get(f"{BASE}/jobs", **_auth()).json() == {"jobs": [job]}
    assert client.get(f"{BASE}/jobs", **_auth(OTHER)).json() == {}  # the token's channel only
    assert _create(client, report_type="channel_nonsense_a9").status_code == 400


def test_reports_cover_30_backfilled_days_then_one_a_day(client, settings):
    job = _create(client).json()
    assert client.get(f"{BASE}/jobs/{job['id']}/reports", **_auth()).json() == {}  # none made yet
    settings.SANDBOX_NOW = NOW + dt.timedelta(hours=7)
    reports = client.get(f"{BASE}/jobs/{job['id']}/reports", **_auth()).json()["reports"]
    # Created at noon UTC: the last whole Pacific day ended at 08:00 UTC; its report comes 6 h after the job.
    assert len(reports) == 30
    first = reports[0]
    assert set(first) == {"id", "jobId", "startTime", "endTime", "createTime", "downloadUrl"}
    assert first["startTime"].endswith("T07:00:00Z") and reports[-1]["startTime"].endswith("T08:00:00Z")  # PDT, PST
    settings.SANDBOX_NOW = NOW + dt.timedelta(days=1, hours=7)
    later = client.get(f"{BASE}/jobs/{job['id']}/reports", {"createdAfter": reports[-1]["createTime"]},
                       **_auth()).json()["reports"]
    assert len(later) == 1 and later[0]["startTime"] == reports[-1]["endTime"]
    paged = client.get(f"{BASE}/jobs/{job['id']}/reports", {"pageSize": 20}, **_auth()).json()
    assert len(paged["reports"]) == 20 and paged["nextPageToken"]
    assert client.get(f"{BASE}/jobs/nope/reports", **_auth()).status_code == 404
    assert client.get(f"{BASE}/jobs/{job['id']}/reports", **_auth(OTHER)).status_code == 404


def test_the_download_is_a_csv_of_views_by_video_and_country(client, settings):
    job = _create(client).json()
    settings.SANDBOX_NOW = NOW + dt.timedelta(hours=7)
    report = client.get(f"{BASE}/jobs/{job['id']}/reports", **_auth()).json()["reports"][-1]
    path = report["downloadUrl"].split("googleapis.com", 1)[1]
    r = client.get(f"/sandbox/youtubereporting.googleapis.com{path}", **_auth())
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert tuple(rows[0]) == BASIC_COLUMNS
    assert {row["channel_id"] for row in rows} == {CHANNEL}
    assert {row["subscribed_status"] for row in rows} == {"subscribed", "not_subscribed"}
    assert len({row["country_code"] for row in rows}) > 3
    day = dt.date(2026, 11, 19)
    assert {row["date"] for row in rows} == {day.strftime("%Y%m%d")}
    # The day's views of a video are its cumulative views at the end of the day minus at its start.
    video = next(v for v in synthetic.posts("youtube", CHANNEL, NOW) if v.post_id == rows[0]["video_id"])
    start, end = (dt.datetime.combine(d, dt.time(0), tzinfo=dt.UTC) for d in (day, day + dt.timedelta(days=1)))
    expected = synthetic.post_metrics(video, end)["views"] - synthetic.post_metrics(video, start)["views"]
    got = sum(int(row["views"]) for row in rows if row["video_id"] == video.post_id)
    assert abs(got - expected) <= 2 * len({row["country_code"] for row in rows})  # rounding per country
    other = client.get(f"/sandbox/youtubereporting.googleapis.com{path}", **_auth(OTHER))
    assert other.status_code == 404


def test_reporting_needs_an_oauth_token(client):
    r = client.get(f"{BASE}/jobs")
    assert r.status_code == 401 and r.json()["error"]["status"] == "UNAUTHENTICATED"
