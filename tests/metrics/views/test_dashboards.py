import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Account, Post, PostTransition
from metrics.models import IngestionRun
from tests.factories import AccountFactory, CampaignFactory, PostFactory
from tests.metrics.dashboard_data import build_campaign


@pytest.fixture
def campaign(org):
    return build_campaign(org, n_posts=5)


@pytest.mark.django_db
def test_campaign_dashboard_shows_figures_geography_and_influence(client, people, campaign):
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_dashboard", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "One tenth of viewers were in Vietnam" in html
    assert "70 K" in html  # total views, formatted for people
    assert "Kuwaiti creator" in html
    assert "Projected to miss" in html
    assert "Interactivity" in html and 'class="principle-weak"' in html
    # Every chart has its data table behind it.
    assert html.count("<canvas") == html.count("Show the data as a table") == 5


@pytest.mark.django_db
def test_date_range_and_sorting_and_bad_dates(client, people, campaign):
    client.force_login(people.viewer)
    url = reverse("campaign_dashboard", args=[campaign.pk])
    start = (campaign.start_date + dt.timedelta(days=2)).isoformat()
    response = client.get(url, {"start": start, "sort": "score"})
    assert response.status_code == 200
    assert response.context["board"].start.isoformat() == start
    response = client.get(url, {"start": "21/05/2026", "end": "tomorrow", "sort": "'; drop"})
    assert response.status_code == 200
    assert response.context["board"].start == campaign.start_date
    assert "Dates must look like" in response.content.decode()


@pytest.mark.django_db
def test_other_organizations_campaigns_answer_404(client, people, campaign):
    client.force_login(people.outsider)
    for name in ("campaign_dashboard", "campaign_report"):
        assert client.get(reverse(name, args=[campaign.pk])).status_code == 404
    assert client.get(reverse("campaign_export", args=[campaign.pk, "posts", "csv"])).status_code == 404
    post = Post.objects.filter(campaign=campaign).first()
    assert client.get(reverse("post_performance", args=[post.pk])).status_code == 404
    assert client.get(reverse("compare_languages", args=[post.pk])).status_code == 404
    influencer = post.collaborations.first() or campaign.collaborations.first()
    assert client.get(reverse("influencer_performance", args=[influencer.influencer_id])).status_code == 404
    # Their overview shows nothing of ours.
    response = client.get(reverse("org_overview"))
    assert response.status_code == 200 and campaign.name not in response.content.decode()
    assert client.get(reverse("org_overview"), {"org": campaign.organization_id}).status_code == 404


@pytest.mark.django_db
def test_pages_need_a_login(client, campaign):
    response = client.get(reverse("campaign_dashboard", args=[campaign.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_overview_alerts(client, people, org, campaign):
    AccountFactory(organization=org, handle="broken.page", connection_state=Account.Connection.NEEDS_RECONNECT)
    account = Account.objects.filter(organization=org).first()
    IngestionRun.objects.create(platform="facebook", account=account, status=IngestionRun.Status.FAILED)
    waiting = PostFactory(campaign=campaign, account=account, status=Post.Status.IN_REVIEW, title="Awaiting approval")
    PostTransition.objects.create(post=waiting, from_status="draft", to_status="in_review",
                                  at=timezone.now() - dt.timedelta(days=3))
    fresh = PostFactory(campaign=campaign, account=account, status=Post.Status.IN_REVIEW, title="Just submitted")
    PostTransition.objects.create(post=fresh, from_status="draft", to_status="in_review", at=timezone.now())
    client.force_login(people.viewer)
    response = client.get(reverse("org_overview"))
    html = response.content.decode()
    overview = response.context["overview"]
    assert "broken.page" in html
    assert "Reading figures for Facebook" in html and "failed" in html
    assert [p.title for p in overview.overdue_reviews] == ["Awaiting approval"]
    assert any(k.target.metric == "views" for _c, k in overview.at_risk)
    # The week against the week before: every post gains 1,000 views a day (the influencer's 2,000).
    assert overview.this_period.views == 7 * 7000
    assert overview.changes["views"] is not None
    assert overview.top_by_interactions[0][0].title == "An SDG a Day (Arabic)"
    assert overview.top_by_interactions[0][1]["interactions"] == 1000


@pytest.mark.django_db
def test_compare_campaigns_and_languages(client, people, org, campaign):
    other = build_campaign(org, n_posts=2, name="An SDG a Day")
    client.force_login(people.viewer)
    response = client.get(reverse("compare_campaigns"), {"ids": [campaign.pk, other.pk]})
    assert response.status_code == 200
    assert [c.campaign.pk for c in response.context["comparisons"]] == sorted(
        [campaign.pk, other.pk], key=lambda pk: [o.pk for o in response.context["available"]].index(pk))
    response = client.get(reverse("compare_campaigns"), {"ids": [campaign.pk, "x"]})
    assert response.status_code == 200 and response.context["comparisons"] == []
    original = Post.objects.filter(campaign=campaign, variant_of__isnull=True, language="zh-hant").first()
    html = client.get(reverse("compare_languages", args=[original.pk])).content.decode()
    assert "The Arabic version drew 20 K views." in html


@pytest.mark.django_db
def test_post_and_influencer_fragments(client, people, campaign):
    client.force_login(people.viewer)
    original = Post.objects.filter(campaign=campaign, variant_of__isnull=True, language="zh-hant").first()
    html = client.get(reverse("post_performance", args=[original.pk])).content.decode()
    assert "<html" not in html  # a fragment
    assert "10 snapshots" in html and "The Arabic version drew" in html
    influencer_id = campaign.collaborations.first().influencer_id
    html = client.get(reverse("influencer_performance", args=[influencer_id])).content.decode()
    assert "SDG video in Arabic" in html and "0.50" in html  # 500 USD for 1,000 interactions


def _grow(org, campaign, n_posts):
    """More posts with figures in the same campaign, to show the query count does not follow."""
    from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
    from metrics.reporting.rollups import post_rollups_recompute

    account = Account.objects.filter(organization=org, influencer__isnull=True).first() or AccountFactory(
        organization=org)
    posts = [PostFactory(campaign=campaign, account=account, status=Post.Status.PUBLISHED) for _ in range(n_posts)]
    now = timezone.now()
    post_snapshots_upsert([PostReading(p.id, now - dt.timedelta(days=d), metrics={"views": 100 * (5 - d)})
                           for p in posts for d in range(5)])
    post_rollups_recompute(post_ids=[p.id for p in posts])


QUERY_BOUND = 30  # measured: 16 (dashboard) and 21 (overview) queries


@pytest.mark.django_db
@pytest.mark.parametrize("extra_posts", [0, 45])
def test_dashboard_query_count_does_not_depend_on_posts(client, people, org, campaign,
                                                        django_assert_max_num_queries, extra_posts):
    """5 posts or 50: the same bound (session, user and membership queries included)."""
    _grow(org, campaign, extra_posts)
    assert Post.objects.filter(campaign=campaign).count() == 6 + extra_posts
    client.force_login(people.viewer)
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(reverse("campaign_dashboard", args=[campaign.pk])).status_code == 200
    with django_assert_max_num_queries(QUERY_BOUND):
        assert client.get(reverse("org_overview")).status_code == 200


@pytest.mark.django_db
def test_dashboard_query_count_is_exactly_the_same_for_5_and_50_posts(client, people, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.viewer)
    counts = {}
    for n in (5, 50):
        campaign = CampaignFactory(organization=org, name=f"Campaign with {n}")
        _grow(org, campaign, n)
        for name, url in (("dashboard", reverse("campaign_dashboard", args=[campaign.pk])),
                          ("overview", reverse("org_overview"))):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[(name, n)] = len(ctx.captured_queries)
    assert counts[("dashboard", 5)] == counts[("dashboard", 50)]
    assert counts[("overview", 5)] == counts[("overview", 50)]


@pytest.mark.django_db
def test_campaign_summary_api(client, people, campaign):
    url = reverse("api_dashboard_campaign", args=[campaign.pk])
    assert client.get(url).status_code == 401  # not signed in (token auth asks for credentials)
    client.force_login(people.viewer)
    data = client.get(url).json()
    assert data["name"] == campaign.name
    assert data["totals"]["views"] == 70_000
    assert {k["metric"]: k["status"] for k in data["kpis"]}["views"] == "at_risk"
    assert data["geography"]["measure"] == "views" and data["geography"]["countries"][0]["code"] == "TW"
    assert data["influence"]["influencers"]["reach"] == 16_000
    assert data["scores"]["weakest"] == "interactivity"
    assert data["series"][-1]["views"] == 70_000
    assert client.get(url, {"start": "not-a-date"}).status_code == 400
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_overview_api(client, people, campaign):
    url = reverse("api_dashboard_overview")
    client.force_login(people.viewer)
    data = client.get(url).json()
    assert data["days"] == 7 and data["this_period"]["views"] == 7 * 7000
    assert data["campaigns"][0]["name"] == campaign.name
    assert data["alerts"]["kpis_at_risk"] == 1
    assert client.get(url, {"days": "9"}).status_code == 400
    assert client.get(url, {"org": "abc"}).status_code == 404
    client.force_login(people.outsider)
    assert client.get(url).json()["campaigns"] == []


@pytest.mark.django_db
def test_dashboard_endpoints_are_in_the_schema(client, people):
    client.force_login(people.viewer)
    schema = client.get(reverse("api_schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/dashboards/overview/" in paths and "/api/v1/dashboards/campaigns/{id}/" in paths
    ok = paths["/api/v1/dashboards/campaigns/{id}/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/CampaignSummary")


@pytest.mark.django_db
def test_pages_without_any_data_render(client, people, org):
    from tests.factories import InfluencerFactory, KPITargetFactory

    planned = CampaignFactory(organization=org, name="Next year", status="planned",
                              start_date=timezone.now().date() + dt.timedelta(days=30),
                              end_date=timezone.now().date() + dt.timedelta(days=60))
    KPITargetFactory(campaign=planned, metric="follower_growth_pct", target_value=20)
    KPITargetFactory(campaign=planned, metric="posts_published", target_value=7)
    KPITargetFactory(campaign=planned, metric="interaction_rate", target_value=3)
    empty = CampaignFactory(organization=org, name="Nothing read yet")
    post = PostFactory(campaign=empty)
    client.force_login(people.viewer)
    urls = [
        reverse("campaign_dashboard", args=[planned.pk]), reverse("campaign_dashboard", args=[empty.pk]),
        reverse("campaign_dashboard", args=[empty.pk]) + "?start=2030-01-01&end=2020-01-01",
        reverse("org_overview"), reverse("org_overview") + "?days=28",
        reverse("compare_campaigns") + f"?ids={planned.pk}&ids={empty.pk}",
        reverse("compare_languages", args=[post.pk]), reverse("post_performance", args=[post.pk]),
        reverse("influencer_performance", args=[InfluencerFactory(organization=org).pk]),
        reverse("campaign_report", args=[planned.pk]),
        reverse("campaign_export", args=[planned.pk, "kpis", "xlsx"]),
        reverse("campaign_export", args=[empty.pk, "posts", "csv"]),
        reverse("api_dashboard_campaign", args=[planned.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    kpis = client.get(urls[0]).context["board"].kpis
    assert {k.target.metric: k.status for k in kpis} == {
        "follower_growth_pct": "unknown", "posts_published": "at_risk", "interaction_rate": "unknown"}


@pytest.mark.django_db
def test_planned_posts_without_figures_are_not_bottom_posts(client, people, campaign):
    account = Post.objects.filter(campaign=campaign).first().account
    for n in range(12):
        PostFactory(campaign=campaign, account=account, title=f"Draft {n}")
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_dashboard", args=[campaign.pk]))
    shown = [r.post.title for r in response.context["top_posts"] + response.context["bottom_posts"]]
    assert len(shown) == 6 and not any(t.startswith("Draft") for t in shown)
    board = response.context["board"]
    assert board.totals.posts == 6 and board.influence.own.posts == 5
    assert sum(b.figures.posts for b in board.breakdowns["platform"]) == 6
