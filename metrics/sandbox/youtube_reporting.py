"""YouTube Reporting API v1 stand-in: jobs, their daily reports and the CSV downloads.

The real flow (https://developers.google.com/youtube/reporting/v1/reports): `jobs.create` once per
channel and report type; YouTube then makes one report a day, each covering a 24-hour day that
starts at midnight Pacific, plus reports for the 30 days before the job was created; `jobs.reports.list`
(filter `createdAfter`) lists them with a `downloadUrl`; an authorised GET on that URL returns the CSV.
`channel_basic_a2` has one row per date × channel × video × live/on-demand × subscribed status × country
(https://developers.google.com/youtube/reporting/v1/reports/channel_reports).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zoneinfo
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from metrics.sandbox import common, synthetic
from metrics.sandbox.models import SandboxReportingJob
from metrics.sandbox.youtube import YTError, _auth, _bad, _fault, _mine, _rows, channel_exists

HOST = "youtubereporting.googleapis.com"
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
BACKFILL_DAYS = 30
# A day's report appears some hours after the day ends (the docs promise no exact time).
REPORT_DELAY = dt.timedelta(hours=6)
# Reports stay downloadable for 60 days (30 for the backfilled ones); the sandbox keeps 60 for all.
REPORT_KEPT_DAYS = 60
DEFAULT_PAGE_SIZE = 100
REPORT_TYPES = {"channel_basic_a2": "User activity"}
BASIC_COLUMNS = (
    "date", "channel_id", "video_id", "live_or_on_demand", "subscribed_status", "country_code",
    "views", "comments", "likes", "dislikes", "videos_added_to_playlists", "videos_removed_from_playlists",
    "shares", "watch_time_minutes", "average_view_duration_seconds", "average_view_duration_percentage",
    "annotation_click_through_rate", "annotation_close_rate", "annotation_impressions",
    "annotation_clickable_impressions", "annotation_closable_impressions", "annotation_clicks",
    "annotation_closes", "card_click_rate", "card_teaser_click_rate", "card_impressions",
    "card_teaser_impressions", "card_clicks", "card_teaser_clicks", "subscribers_gained", "subscribers_lost",
    "red_views", "red_watch_time_minutes",
)
# Of each (video, country) day's activity, this share comes from subscribers (rows split on it).
SUBSCRIBED_SHARE = 0.2


def _ts(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_ts(raw: str, name: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as e:
        raise _bad(f"Invalid value at '{name}' ({raw})", "badRequest", name) from e
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _job_body(job: SandboxReportingJob) -> dict[str, Any]:
    return {"id": job.job_id, "reportTypeId": job.report_type_id, "name": job.name,
            "createTime": _ts(job.created_at)}


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=PACIFIC).astimezone(dt.UTC)


def _report_id(job_id: str, day: dt.date) -> str:
    return str(int(hashlib.blake2b(f"{job_id}|{day}".encode(), digest_size=6).hexdigest(), 16))


def _reports(job: SandboxReportingJob, now: dt.datetime) -> list[dict[str, Any]]:
    """Every report of the job that exists at `now`: one per Pacific day, oldest first."""
    first = job.created_at.astimezone(PACIFIC).date() - dt.timedelta(days=BACKFILL_DAYS)
    first = max(first, now.astimezone(PACIFIC).date() - dt.timedelta(days=REPORT_KEPT_DAYS))
    found = []
    day = first
    while True:
        start, end = _day_start(day), _day_start(day + dt.timedelta(days=1))
        created = max(end, job.created_at) + REPORT_DELAY
        if end > now:
            break
        if created <= now:
            report_id = _report_id(job.job_id, day)
            found.append({
                "id": report_id, "jobId": job.job_id, "startTime": _ts(start), "endTime": _ts(end),
                "createTime": _ts(created),
                "downloadUrl": f"https://{HOST}/v1/media/CHANNEL/{job.channel_id}/jobs/{job.job_id}"
                               f"/reports/{report_id}?alt=media",
            })
        day += dt.timedelta(days=1)
    return found


@csrf_exempt  # a token-authenticated API, not a form
def reporting_view(request: HttpRequest, host: str, path: str) -> HttpResponse:
    try:
        _auth(request, oauth_only=True)
        channel = _mine(request)
        if not channel_exists(channel):
            raise YTError(403, "The caller does not have permission", "forbidden", status="PERMISSION_DENIED")
        parts = path.strip("/").split("/")
        malformed = _fault([channel], [])
        if parts == ["reportTypes"] and request.method == "GET":
            body: Any = {"reportTypes": [{"id": k, "name": v} for k, v in REPORT_TYPES.items()]}
        elif parts == ["jobs"] and request.method == "GET":
            jobs = SandboxReportingJob.objects.filter(channel_id=channel).order_by("created_at")
            body = {"jobs": [_job_body(j) for j in jobs]} if jobs else {}
        elif parts == ["jobs"] and request.method == "POST":
            body = _job_create(request, channel)
        elif len(parts) == 3 and parts[0] == "jobs" and parts[2] == "reports" and request.method == "GET":
            body = _reports_list(request, _job(channel, parts[1]))
        elif parts[:2] == ["media", "CHANNEL"] and len(parts) == 7 and request.method == "GET":
            return _download(channel, parts[2], _job(channel, parts[4]), parts[6])
        else:
            raise YTError(404, "Requested entity was not found.", "notFound", status="NOT_FOUND")
        resp = common.json_response(body)
        return common.malformed(resp) if malformed else resp
    except YTError as e:
        return common.json_response(e.body(), status=e.code)


def _job(channel: str, job_id: str) -> SandboxReportingJob:
    job = SandboxReportingJob.objects.filter(channel_id=channel, job_id=job_id).first()
    if job is None:
        raise YTError(404, "Requested entity was not found.", "notFound", status="NOT_FOUND")
    return job


def _job_create(request: HttpRequest, channel: str) -> dict[str, Any]:
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError as e:
        raise _bad("Invalid JSON payload received.", "badRequest") from e
    report_type = payload.get("reportTypeId") if isinstance(payload, dict) else None
    if report_type not in REPORT_TYPES:
        raise _bad(f"Invalid value at 'job.report_type_id' ({report_type})", "badRequest", "reportTypeId")
    now = common.now()
    job_id = hashlib.blake2b(f"{channel}|{report_type}".encode(), digest_size=16).hexdigest()
    try:
        with transaction.atomic():
            job = SandboxReportingJob.objects.create(
                channel_id=channel, report_type_id=report_type, job_id=job_id,
                name=str(payload.get("name") or "")[:200], created_at=now)
    except IntegrityError as e:
        raise YTError(409, "Job for this report type already exists.", "alreadyExists",
                      status="ALREADY_EXISTS") from e
    return _job_body(job)


def _reports_list(request: HttpRequest, job: SandboxReportingJob) -> dict[str, Any]:
    reports = _reports(job, common.now())
    if request.GET.get("createdAfter"):
        after = _parse_ts(request.GET["createdAfter"], "createdAfter")
        reports = [r for r in reports if _parse_ts(r["createTime"], "createTime") > after]
    if request.GET.get("startTimeAtOrAfter"):
        at_or_after = _parse_ts(request.GET["startTimeAtOrAfter"], "startTimeAtOrAfter")
        reports = [r for r in reports if _parse_ts(r["startTime"], "startTime") >= at_or_after]
    if request.GET.get("startTimeBefore"):
        before = _parse_ts(request.GET["startTimeBefore"], "startTimeBefore")
        reports = [r for r in reports if _parse_ts(r["startTime"], "startTime") < before]
    size_raw = request.GET.get("pageSize") or str(DEFAULT_PAGE_SIZE)
    if not common.is_number(size_raw) or int(size_raw) < 1:
        raise _bad(f"Invalid value at 'page_size' ({size_raw})", "badRequest", "pageSize")
    token = request.GET.get("pageToken") or "0"
    if not common.is_number(token):
        raise _bad("Invalid page token.", "badRequest", "pageToken")
    offset, size = int(token), int(size_raw)
    body: dict[str, Any] = {}
    if reports[offset:offset + size]:
        body["reports"] = reports[offset:offset + size]
    if offset + size < len(reports):
        body["nextPageToken"] = str(offset + size)
    return body


def _download(channel: str, url_channel: str, job: SandboxReportingJob, report_id: str) -> HttpResponse:
    now = common.now()
    report = next((r for r in _reports(job, now) if r["id"] == report_id), None)
    if report is None or url_channel != channel:
        raise YTError(404, "Requested entity was not found.", "notFound", status="NOT_FOUND")
    start = _parse_ts(report["startTime"], "startTime")
    day = start.astimezone(PACIFIC).date()
    end = _parse_ts(report["endTime"], "endTime")
    videos = synthetic.posts("youtube", channel, now, until=end)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BASIC_COLUMNS)
    metrics = ["views", "comments", "likes", "dislikes", "shares", "estimatedMinutesWatched",
               "subscribersGained", "subscribersLost"]
    # The Analytics stand-in's daily sums, keyed by UTC day; a Pacific day is close enough for synthetic data.
    for video_id, country, *values in _rows(videos, day, day, metrics, ["video", "country"], None, now):
        row = dict(zip(metrics, values, strict=True))
        for status, share in (("subscribed", SUBSCRIBED_SHARE), ("not_subscribed", 1 - SUBSCRIBED_SHARE)):
            part = {k: int(v * share) if status == "subscribed" else v - int(v * SUBSCRIBED_SHARE)
                    for k, v in row.items()}
            if not part["views"]:
                continue
            watched = part["estimatedMinutesWatched"]
            writer.writerow([
                day.strftime("%Y%m%d"), channel, video_id, "on_demand", status, country,
                part["views"], part["comments"], part["likes"], part["dislikes"], 0, 0, part["shares"],
                watched, round(60 * watched / part["views"]), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                part["subscribersGained"], part["subscribersLost"], 0, 0,
            ])
    return HttpResponse(out.getvalue(), content_type="application/octet-stream")
