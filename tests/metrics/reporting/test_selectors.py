import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Post
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.reporting.formatting import change, compact, percent, share_in_words
from metrics.reporting.rollups import post_rollups_recompute
from metrics.reporting.selectors import (
    campaign_dashboard,
    cumulative_series,
    family_headline,
    geography_from,
    influencer_performance,
    post_family,
    project_linear,
)
from metrics.reporting.selectors.common import latest_rollups
from tests.factories import PostFactory
from tests.metrics.dashboard_data import DAYS, build_campaign

D0 = dt.date(2026, 11, 1)


def test_compact_numbers_read_like_people_say_them():
    assert compact(None) == "—"
    assert compact(999) == "999"
    assert compact(12_345) == "12.3 K"
    assert compact(1_440_000) == "1.44 M"
    assert compact(1_400_000) == "1.4 M"
    assert compact(10_000_000) == "10 M"
    assert compact(999_999) == "1 M"
    assert compact(-2500) == "-2.5 K"
    assert percent(4.234) == "4.2 %"
    assert change(-3) == "−3.0 %" and change(12.5) == "+12.5 %"
    assert share_in_words(0.1) == "one tenth" and share_in_words(0.27) == "27 %"


def test_projection_extends_the_recent_daily_pace_to_the_end_date():
    # 100 a day for ten days, then 300 a day for the last seven: the recent pace counts.
    series = [(D0 + dt.timedelta(days=n), 100 * n) for n in range(11)]
    series += [(D0 + dt.timedelta(days=10 + n), 1000 + 300 * n) for n in range(1, 8)]
    today = D0 + dt.timedelta(days=17)
    assert series[-1][1] == 3100
    assert project_linear(series, today=today, end=today + dt.timedelta(days=10)) == pytest.approx(3100 + 3000)
    # Fewer than seven days: the pace of the days there are.
    short = [(D0, 0), (D0 + dt.timedelta(days=1), 50), (D0 + dt.timedelta(days=2), 100)]
    assert project_linear(short, today=D0 + dt.timedelta(days=2), end=D0 + dt.timedelta(days=12)) == 600
    # A finished campaign projects to what it got; no data projects to nothing.
    assert project_linear(short, today=D0 + dt.timedelta(days=2), end=D0) == 100
    assert project_linear([], today=D0, end=D0) is None


@pytest.mark.django_db
def test_latest_rollups_take_each_posts_last_day_on_or_before_the_date():
    read, later, unread = PostFactory(), PostFactory(), PostFactory()
    at = lambda d: dt.datetime.combine(D0 + dt.timedelta(days=d), dt.time(10), tzinfo=dt.UTC)  # noqa: E731
    post_snapshots_upsert([PostReading(read.id, at(0), metrics={"views": 100}),
                           PostReading(read.id, at(3), metrics={"views": 300}),
                           PostReading(later.id, at(5), metrics={"views": 50})])
    post_rollups_recompute(post_ids=[read.id, later.id])
    on_day_two = latest_rollups(Post.objects.all(), on_or_before=D0 + dt.timedelta(days=2))
    assert {pid: (r["day"], r["views"]) for pid, r in on_day_two.items()} == {read.id: (D0 + dt.timedelta(days=2), 100)}
    by_ids = latest_rollups([read.id, later.id, unread.id], on_or_before=D0 + dt.timedelta(days=9))
    assert {pid: r["views"] for pid, r in by_ids.items()} == {read.id: 300, later.id: 50}
    assert latest_rollups([], on_or_before=D0) == {}


@pytest.mark.django_db
def test_cumulative_series_carries_posts_that_stopped_being_read():
    early = PostFactory()
    late = PostFactory(campaign=None, account=early.account)
    at = lambda d: dt.datetime.combine(D0 + dt.timedelta(days=d), dt.time(10), tzinfo=dt.UTC)  # noqa: E731
    post_snapshots_upsert([PostReading(early.id, at(0), metrics={"views": 100, "reactions": 1}),
                           PostReading(early.id, at(1), metrics={"views": 200, "reactions": 2})])
    post_snapshots_upsert([PostReading(late.id, at(3), metrics={"views": 50})])
    post_rollups_recompute(post_ids=[early.id, late.id])
    series = cumulative_series(Post.objects.all(), start=D0, end=D0 + dt.timedelta(days=4))
    assert [v for _d, v, _i in series] == [100, 200, 200, 250, 250]
    assert [i for _d, _v, i in series] == [1, 2, 2, 2, 2]
    assert [v for _d, v, _i in cumulative_series(Post.objects.all(), start=D0 + dt.timedelta(days=2),
                                                  end=D0 + dt.timedelta(days=3))] == [200, 250]


@pytest.mark.django_db
def test_campaign_dashboard_figures_kpis_geography_and_influence(org):
    today = timezone.now().date()
    campaign = build_campaign(org, n_posts=5, today=today)
    board = campaign_dashboard(campaign=campaign, today=today)
    # 5 own posts at 1,000 views a day for DAYS days, and the influencer's at twice that.
    assert board.totals.views == 5 * 1000 * DAYS + 2000 * DAYS
    assert board.totals.interactions == 5 * 50 * DAYS + 100 * DAYS
    assert board.series[-1][1:] == (board.totals.views, board.totals.interactions)
    assert board.series[0][1] == 0  # the start day has no readings yet
    kpis = {k.target.metric: k for k in board.kpis}
    assert kpis["views"].actual == 70_000
    # 7,000 views a day over the last week, ten days to go.
    assert kpis["views"].projected == pytest.approx(70_000 + 7000 * 10)
    assert kpis["views"].status == "at_risk"
    assert kpis["interactions"].status == "met"
    # Two YouTube videos with views by country: 2,000 of 20,000 from Vietnam.
    assert board.geography.measure == "views"
    assert kpis["country_view_share"].actual == pytest.approx(10.0)
    assert kpis["country_view_share"].status == "met"
    assert board.geography.target_share == pytest.approx(0.4)
    assert board.geography.headline == "one tenth of viewers were in Vietnam; 30 % of viewers were in United States"
    assert [c.code for c in board.geography.countries] == ["TW", "US", "VN"]
    # Influencer contribution: one Arabic deliverable, reach 16,000 against 11,250 own followers (10k+5k at day 10).
    inf = board.influence
    assert inf.influencers.views == 20_000 and inf.influencers.reach == 16_000
    assert inf.own.views == 50_000
    assert inf.own_followers == 11_000 + 5_500
    assert inf.added_audience_pct == pytest.approx(100 * 16_000 / 16_500)
    assert inf.lines[0].name == "Kuwaiti creator" and inf.lines[0].followers == 40_000
    # Scores: the weakest principle is interactivity.
    assert board.scores.weakest == "interactivity"
    assert board.scores.campaign["timeliness"] == 80
    by_platform = {b.key: b.figures.views for b in board.breakdowns["platform"]}
    assert by_platform == {"facebook": 30_000, "youtube": 20_000, "instagram": 20_000}
    growth = {g["account"].handle: g["growth_pct"] for g in board.follower_growth}
    assert growth["MOFA.Taiwan"] == pytest.approx(10.0)


@pytest.mark.django_db
def test_a_date_range_counts_only_what_was_gained_in_it(org):
    today = timezone.now().date()
    campaign = build_campaign(org, n_posts=2, today=today)
    start = campaign.start_date + dt.timedelta(days=4)
    end = campaign.start_date + dt.timedelta(days=6)
    board = campaign_dashboard(campaign=campaign, today=today, start=start, end=end)
    # Days 4, 5 and 6: 3 days × (2 posts × 1,000 + 2,000 for the influencer's).
    assert board.totals.views == 3 * 4000
    assert [d for d, _v, _i in board.series] == [start, start + dt.timedelta(days=1), end]


@pytest.mark.django_db
def test_translated_family_and_influencer_cost_per_interaction(org):
    campaign = build_campaign(org, n_posts=1)
    original = Post.objects.get(campaign=campaign, variant_of__isnull=True, account__influencer__isnull=True)
    rows = post_family(post=original)
    assert [r.language for r in rows] == ["Traditional Chinese", "Arabic"]
    assert family_headline(rows) == "The Arabic version drew 20 K views."
    (line,) = influencer_performance(influencer_id=rows[1].post.account.influencer_id)
    assert line.totals.interactions == 1000
    assert line.cost_per_interaction == pytest.approx(0.5)


def test_geography_without_targets_has_no_target_share():
    geo = geography_from({"TW": 3, "US": 1}, measure="followers", target_countries=[])
    assert geo.target_share is None and geo.headline == "" and geo.countries[0].share == 0.75


@pytest.mark.django_db
def test_follower_growth_and_posts_published_kpis(org):
    from tests.factories import KPITargetFactory

    today = timezone.now().date()
    campaign = build_campaign(org, n_posts=2, today=today)
    KPITargetFactory(campaign=campaign, metric="follower_growth_pct", target_value=15)
    KPITargetFactory(campaign=campaign, metric="posts_published", target_value=5)
    KPITargetFactory(campaign=campaign, metric="interaction_rate", target_value=4)
    account = Post.objects.filter(campaign=campaign).first().account
    for days in (3, 30):  # one scheduled before the end date, one after it
        PostFactory(campaign=campaign, account=account, status=Post.Status.SCHEDULED,
                    planned_at=timezone.now() + dt.timedelta(days=days))
    kpis = {k.target.metric: k for k in campaign_dashboard(campaign=campaign, today=today).kpis}
    # Own accounts: 15,000 followers at the start, 16,500 after ten days (the influencer's do not count).
    growth = kpis["follower_growth_pct"]
    assert growth.actual == pytest.approx(10.0)
    assert growth.projected == pytest.approx(20.0)  # one point a day, ten more days
    assert growth.status == "on_track"
    published = kpis["posts_published"]
    assert (published.actual, published.projected, published.status) == (3, 4, "at_risk")
    assert kpis["interaction_rate"].actual == pytest.approx(5.0) and kpis["interaction_rate"].status == "met"


@pytest.mark.django_db
def test_a_campaign_measured_after_its_end_counts_its_posts_figures_to_today():
    # Teams often start measuring after a campaign: its posts' later readings are its figures.
    post = PostFactory(status=Post.Status.PUBLISHED)
    campaign = post.campaign
    campaign.start_date, campaign.end_date = D0, D0 + dt.timedelta(days=5)
    campaign.save()
    campaign.kpi_targets.create(metric="views", target_value=1000)
    read_on = D0 + dt.timedelta(days=20)
    post_snapshots_upsert([PostReading(post.id, dt.datetime.combine(read_on, dt.time(9), tzinfo=dt.UTC),
                                       metrics={"views": 1200, "reactions": 30})])
    post_rollups_recompute(post_ids=[post.id])
    board = campaign_dashboard(campaign=campaign, today=read_on)
    (views_kpi,) = board.kpis
    assert views_kpi.actual == 1200
    assert board.totals.views == 1200


def test_figures_keep_reach_unknown_until_a_platform_gives_it():
    from metrics.reporting.selectors import Figures

    youtube_only = Figures()
    youtube_only.add({"views": 800, "reach": None, "interactions": 20})
    assert youtube_only.reach is None and compact(youtube_only.reach) == "—"
    assert youtube_only.audience == 800  # views stand in, as the pages say
    mixed = Figures()
    mixed.add({"views": 800, "reach": None})
    mixed.add({"views": 100, "reach": 70})
    assert mixed.reach == 70
