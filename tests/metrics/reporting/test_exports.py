import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import Post
from metrics.reporting.exports import neutralize
from tests.metrics.dashboard_data import DAYS, build_campaign

EVIL_TITLES = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tlead", "\r=1"]


@pytest.fixture
def campaign(org):
    campaign = build_campaign(org, n_posts=len(EVIL_TITLES))
    own = Post.objects.filter(campaign=campaign, variant_of__isnull=True).order_by("id")
    for post, title in zip(own, EVIL_TITLES, strict=False):
        Post.objects.filter(pk=post.pk).update(title=title)
    return campaign


def test_neutralize_quotes_formula_starters_only():
    assert [neutralize(t)[0] for t in EVIL_TITLES] == ["'"] * len(EVIL_TITLES)
    assert neutralize("Health for all") == "Health for all"
    assert neutralize(-5) == -5 and neutralize(None) is None


@pytest.mark.django_db
def test_posts_excel_has_latest_figures_and_scores_and_no_formulas(client, people, campaign):
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_export", args=[campaign.pk, "posts", "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Post id", "Title", "Platform") and "Overall score" in header
    body = rows[1:]
    assert len(body) == len(EVIL_TITLES) + 1
    views = header.index("Views")
    by_title = {r[1]: r for r in body}
    assert by_title["An SDG a Day (Arabic)"][views] == 2000 * DAYS
    assert by_title["'+1+1"][views] == 1000 * DAYS
    assert by_title["'+1+1"][header.index("Overall score")] == 62.5
    evil = [t for t in by_title if t != "An SDG a Day (Arabic)"]
    assert len(evil) == len(EVIL_TITLES) and all(t.startswith("'") for t in evil)
    assert "'" + EVIL_TITLES[0] in by_title
    # Nothing in the workbook is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    # Times say their zone, scores are rounded, numbers are formatted as numbers (not "General").
    assert "Published (Asia/Taipei)" in header
    scores = [r[header.index("Overall score")] for r in body if r[header.index("Overall score")] is not None]
    assert scores and all(round(v, 1) == v for v in scores)
    first = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    assert first[views].number_format == "#,##0"
    assert first[header.index("Overall score")].number_format == "#,##0.0#"


@pytest.mark.django_db
def test_snapshots_and_kpis_csv(client, people, campaign):
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_export", args=[campaign.pk, "snapshots", "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Post id", "Title", "Account"]
    assert rows[0][-2:] == ["API version", "Platform metrics"]  # each series' provenance
    assert len(rows) - 1 == (len(EVIL_TITLES) + 1) * DAYS
    assert all(not row[1].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])
    response = client.get(reverse("campaign_export", args=[campaign.pk, "kpis", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    kpis = {r[0]: r for r in rows[1:]}
    assert kpis["Views"][2:4] == (1_000_000, 10_000 * (len(EVIL_TITLES) + 2))
    assert kpis["Views"][6] == "Projected to miss"


@pytest.mark.django_db
def test_unknown_export_is_404(client, people, campaign):
    client.force_login(people.viewer)
    assert client.get(reverse("campaign_export", args=[campaign.pk, "passwords", "csv"])).status_code == 404
    assert client.get(reverse("campaign_export", args=[campaign.pk, "posts", "exe"])).status_code == 404


@pytest.mark.django_db
def test_geography_and_breakdowns_exports(client, people, campaign):
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_export", args=[campaign.pk, "geography", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [("TW", "Taiwan", "Views", 18_000, 60, None),  # an empty cell
                        ("US", "United States", "Views", 9_000, 30, "yes"),
                        ("VN", "Vietnam", "Views", 3_000, 10, "yes")]
    response = client.get(reverse("campaign_export", args=[campaign.pk, "breakdowns", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    platform = {r[1]: r for r in rows[1:] if r[0] == "Platform"}
    assert platform["Instagram"][2:4] == ["1", str(2000 * DAYS)]
    assert {r[0] for r in rows[1:]} == {"Platform", "Account", "Format", "Language", "Series"}


@pytest.mark.django_db
def test_exports_and_the_pdf_follow_the_range_the_dashboard_shows(client, people, campaign):
    """Figures gained in the chosen days, as on the page: the last three days of ten gained 3,000 views a post."""
    client.force_login(people.viewer)
    today = timezone.now().date()
    start, end = today - dt.timedelta(days=2), today
    days = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    page = client.get(reverse("campaign_dashboard", args=[campaign.pk]) + "?" + days).content.decode()
    # Every export link and the PDF link carry the range; without one they ask for the whole campaign.
    links = re.findall(r'href="([^"]*/(?:export/[a-z]+\.(?:csv|xlsx)|report\.pdf)[^"]*)"', page)
    assert len(links) == 11 and all(link.endswith("?" + days.replace("&", "&amp;")) for link in links), links
    whole = client.get(reverse("campaign_dashboard", args=[campaign.pk])).content.decode()
    assert "start=" not in "".join(re.findall(r'href="([^"]*/(?:export|report)[^"]*)"', whole))

    def views_by_title(query: str) -> dict[str, int]:
        url = reverse("campaign_export", args=[campaign.pk, "posts", "csv"]) + query
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
        return {row[1]: int(row[rows[0].index("Views")]) for row in rows[1:]}

    assert views_by_title("")["'+1+1"] == 1000 * DAYS
    assert views_by_title("?" + days)["'+1+1"] == 3000
    snapshots = client.get(reverse("campaign_export", args=[campaign.pk, "snapshots", "csv"]) + "?" + days)
    read_days = {row[4][:10] for row in list(csv.reader(io.StringIO(snapshots.content.decode("utf-8-sig"))))[1:]}
    assert read_days == {f"{start + dt.timedelta(days=n):%Y-%m-%d}" for n in range(3)}

    pdf = client.get(reverse("campaign_report", args=[campaign.pk]) + "?" + days)
    cover = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert date_format(start) in cover and "figures gained from" in cover
    assert "24 K" in cover  # six posts × 3,000 and the influencer's 6,000: the range's, not the campaign's
