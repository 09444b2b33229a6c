"""Metrics endpoints: snapshots (cursor), time series, scores, ingestion runs, CSV import (202)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from metrics.models import AccountSnapshot, IngestionRun, MetricImport, PostMetricSnapshot, PostScore
from metrics.reporting.rollups import post_rollups_recompute
from tests.campaigns.api.factories import make_post
from tests.factories import AccountFactory, CampaignFactory

CSV_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"

UTC = dt.UTC


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=UTC)


@pytest.mark.django_db
def test_snapshots_are_cursor_paginated_newest_first_and_scoped(clients, org, other_org):
    post = make_post(org)
    for n in range(5):
        PostMetricSnapshot.objects.create(post=post, slot=at(1, n), views=n * 10)
    PostMetricSnapshot.objects.create(post=make_post(other_org), slot=at(1, 0), views=1)
    page = clients.viewer.get("/api/v1/snapshots/?page_size=2").json()
    assert [s["views"] for s in page["results"]] == [40, 30]
    seen = [s["views"] for s in page["results"]]
    while page["next"]:
        page = clients.viewer.get(page["next"]).json()
        seen += [s["views"] for s in page["results"]]
    assert seen == [40, 30, 20, 10, 0]
    assert clients.outsider.get(f"/api/v1/snapshots/?post={post.pk}").json()["results"] == []
    data = clients.viewer.get(f"/api/v1/snapshots/?post={post.pk}&slot_after=2026-11-01T03:00:00Z").json()
    assert [s["views"] for s in data["results"]] == [40, 30]


@pytest.mark.django_db
def test_post_time_series_takes_the_latest_snapshot_per_bucket_and_carries_forward(clients, org):
    post = make_post(org)
    PostMetricSnapshot.objects.create(post=post, slot=at(1, 8), captured_at=at(1, 8), views=100, reactions=1)
    PostMetricSnapshot.objects.create(post=post, slot=at(1, 20), captured_at=at(1, 20), views=300, reactions=4,
                                      comments=2)
    PostMetricSnapshot.objects.create(post=post, slot=at(3, 9), captured_at=at(3, 9), views=900, reactions=9,
                                      comments=3)
    post_rollups_recompute(post_ids=[post.pk])  # as the pipeline does after every run
    data = clients.viewer.get(f"/api/v1/timeseries/posts/{post.pk}/?from=2026-11-01&to=2026-11-04").json()
    points = [(p["bucket_start"], p["views"], p["interactions"]) for p in data["points"]]
    assert points == [
        ("2026-11-01", 300, 6),
        ("2026-11-02", 300, 6),  # no new reading: carried forward
        ("2026-11-03", 900, 12),
        ("2026-11-04", 900, 12),
    ]
    assert data["points"][0]["shares"] is None  # not offered stays null
    weekly = clients.viewer.get(f"/api/v1/timeseries/posts/{post.pk}/?from=2026-11-01&to=2026-11-10&interval=week")
    assert [(p["bucket_start"], p["views"]) for p in weekly.json()["points"]] == [
        ("2026-10-26", 300), ("2026-11-02", 900), ("2026-11-09", 900),
    ]


@pytest.mark.django_db
def test_campaign_time_series_sums_its_posts(clients, org, other_org):
    campaign = CampaignFactory(organization=org)
    first, second = make_post(org, campaign=campaign), make_post(org, campaign=campaign)
    PostMetricSnapshot.objects.create(post=first, slot=at(1, 8), captured_at=at(1, 8), views=100)
    PostMetricSnapshot.objects.create(post=second, slot=at(2, 8), captured_at=at(2, 8), views=50)
    other = make_post(org)  # another campaign
    PostMetricSnapshot.objects.create(post=other, slot=at(2, 8), captured_at=at(2, 8), views=7)
    post_rollups_recompute(post_ids=[first.pk, second.pk, other.pk])
    data = clients.viewer.get(f"/api/v1/timeseries/campaigns/{campaign.pk}/?from=2026-11-01&to=2026-11-02").json()
    assert [p["views"] for p in data["points"]] == [100, 150]
    assert clients.outsider.get(f"/api/v1/timeseries/campaigns/{campaign.pk}/").status_code == 404


@pytest.mark.django_db
def test_account_time_series(clients, org):
    account = AccountFactory(organization=org)
    AccountSnapshot.objects.create(account=account, slot=at(1, 1), followers=1000)
    AccountSnapshot.objects.create(account=account, slot=at(1, 23), followers=1200)
    data = clients.viewer.get(f"/api/v1/timeseries/accounts/{account.pk}/?from=2026-10-31&to=2026-11-02").json()
    assert [p["followers"] for p in data["points"]] == [None, 1200, 1200]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["from=2026-11-05&to=2026-11-01", "interval=month", "from=1900-01-01", "from=2020-01-01&to=2026-01-01",
     "from=not-a-date"],
)
def test_time_series_parameters_are_validated(clients, org, query):
    post = make_post(org)
    response = clients.viewer.get(f"/api/v1/timeseries/posts/{post.pk}/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]


@pytest.mark.django_db
def test_scores_come_with_their_explanation(clients, org):
    post = make_post(org)
    explanation = {"timeliness": {"value": 80, "reason": "published within 2 hours of the event"}}
    PostScore.objects.create(post=post, method_version="4p-1", overall=72.5, timeliness=80, explanation=explanation)
    data = clients.viewer.get(f"/api/v1/scores/?post={post.pk}").json()
    assert data["results"][0]["explanation"] == explanation and data["results"][0]["overall"] == 72.5
    assert clients.outsider.get(f"/api/v1/scores/?post={post.pk}").json()["results"] == []


@pytest.mark.django_db
def test_ingestion_runs_are_scoped(clients, org, other_org):
    mine = IngestionRun.objects.create(platform="facebook", account=AccountFactory(organization=org), status="failed",
                                       errors=[{"code": "190", "message": "expired", "permanent": True}])
    IngestionRun.objects.create(platform="x", account=AccountFactory(organization=other_org))
    data = clients.viewer.get("/api/v1/ingestion-runs/?status=failed").json()
    assert [r["id"] for r in data["results"]] == [mine.pk]
    assert data["results"][0]["errors"][0]["code"] == "190"


@pytest.mark.django_db(transaction=True)
def test_csv_upload_answers_202_enqueues_by_name_after_commit_and_reports_progress(clients, org, sent_tasks):
    account = AccountFactory(organization=org)
    upload = SimpleUploadedFile("Meta export\x00.csv", (CSV_FIXTURES / "meta_facebook.csv").read_bytes(),
                                content_type="text/csv")
    response = clients.editor.post("/api/v1/metric-imports/", {"account": account.pk, "file": upload},
                                   format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "pending" and body["original_name"] == "Meta export.csv"
    assert response["Location"] == body["status_url"]
    assert sent_tasks == [("metrics.run_import", [body["id"]])]

    # What the importer task writes, the status URL reports.
    MetricImport.objects.filter(pk=body["id"]).update(
        status="running", total_rows=2, processed_rows=2, imported_rows=1,
        row_errors=[{"line": 3, "reason": "Views: “oops” is not a number"}],
    )
    status = clients.viewer.get(body["status_url"]).json()
    assert (status["processed_rows"], status["total_rows"], status["row_error_count"]) == (2, 2, 1)
    assert status["row_errors"][0]["line"] == 3
    assert clients.outsider.get(body["status_url"]).status_code == 404


@pytest.mark.django_db
def test_csv_upload_checks(clients, org, other_org, sent_tasks):
    account = AccountFactory(organization=org)
    response = clients.viewer.post(
        "/api/v1/metric-imports/", {"account": account.pk, "file": SimpleUploadedFile("a.csv", b"x")},
        format="multipart",
    )
    assert response.status_code == 403
    response = clients.editor.post(
        "/api/v1/metric-imports/", {"account": AccountFactory(organization=other_org).pk,
                                    "file": SimpleUploadedFile("a.csv", b"x")}, format="multipart",
    )
    assert response.status_code == 400 and "account" in response.json()["error"]["fields"]
    response = clients.editor.post("/api/v1/metric-imports/", {"account": account.pk,
                                   "file": SimpleUploadedFile("a.csv", b"")}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    response = clients.editor.post("/api/v1/metric-imports/", {"account": account.pk}, format="json")
    assert response.status_code == 415
    assert sent_tasks == []


@pytest.mark.django_db
def test_the_api_and_the_page_refuse_an_oversized_export_with_the_same_message(clients, client, people, org,
                                                                               settings, sent_tasks):
    settings.METRIC_IMPORT_MAX_BYTES = 10
    account = AccountFactory(organization=org, platform="facebook")
    data = b"Post ID,Publish time\n1,2\n"
    api = clients.editor.post("/api/v1/metric-imports/", {
        "account": account.pk, "file": SimpleUploadedFile("e.csv", data, content_type="text/csv")}, format="multipart")
    client.force_login(people.editor)
    page = client.post(reverse("metric_import"), {
        "account": account.pk, "file": SimpleUploadedFile("e.csv", data, content_type="text/csv")})
    expected = "The file is too large (25\xa0bytes); the limit is 10\xa0bytes. Export a shorter period."
    assert api.status_code == 400 and api.json()["error"]["fields"]["file"] == [expected]
    assert page.status_code == 400 and expected in html.unescape(page.content.decode())
    assert sent_tasks == []


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [
    ("export.xlsx", b"PK\x03\x04"),
    ("export.csv", b"\x00\x01\x02binary"),
    ("export.csv", "meta_facebook_semicolon.csv"),
    ("Table data.csv", "youtube_studio.csv"),
    ("export.csv", b"Post,When\n1,2\n"),
])
def test_the_api_and_the_page_refuse_a_file_they_cannot_import_with_the_same_message(
        clients, client, people, org, sent_tasks, name, content):
    account = AccountFactory(organization=org, platform="facebook")
    data = (CSV_FIXTURES / content).read_bytes() if isinstance(content, str) else content
    api = clients.editor.post("/api/v1/metric-imports/", {
        "account": account.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")}, format="multipart")
    client.force_login(people.editor)
    page = client.post(reverse("metric_import"), {
        "account": account.pk, "file": SimpleUploadedFile(name, data, content_type="text/csv")})
    assert api.status_code == 400, api.content
    (message,) = api.json()["error"]["fields"]["file"]
    assert page.status_code == 400 and message in html.unescape(page.content.decode())
    assert sent_tasks == [] and not MetricImport.objects.exists()
