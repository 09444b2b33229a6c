"""Plans that show when they slip: overdue posts flagged, the projection counting what is planned, events on
the calendar, series posts given the campaign's event, found posts given to a campaign, alerts that clear."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import KPITarget, Post
from campaigns.services import posts_attach_to_campaign, series_generate_posts
from metrics.models import IngestionRun, MetricImport
from metrics.reporting.selectors import campaign_kpis, org_overview
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    EventFactory,
    KPITargetFactory,
    PostFactory,
    SeriesFactory,
)

S = Post.Status
pytestmark = pytest.mark.django_db


def _ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, name="Health for all")


@pytest.fixture
def plans(campaign, people):
    """One post of each kind of plan, planned yesterday or tomorrow."""
    def post(status, planned_at, title):
        return PostFactory(campaign=campaign, status=status, planned_at=planned_at, title=title,
                           created_by=people.editor)
    return {
        "late draft": post(S.DRAFT, _ago(days=1), "Late draft"),
        "late review": post(S.IN_REVIEW, _ago(hours=2), "Late review"),
        "late approved": post(S.APPROVED, _ago(days=3), "Late approved"),
        "scheduled": post(S.SCHEDULED, _ago(minutes=1), "Scheduled a minute ago"),
        "idea": post(S.IDEA, _ago(days=1), "Old idea"),
        "published": post(S.PUBLISHED, _ago(days=1), "Went out"),
        "future draft": post(S.DRAFT, _ago(days=-1), "Tomorrow's draft"),
    }


def test_one_rule_says_which_plans_slipped(plans):
    late = {"late draft", "late review", "late approved"}
    assert set(Post.objects.overdue()) == {plans[k] for k in late}
    assert {k for k, p in plans.items() if p.is_overdue} == late


def test_overdue_posts_are_flagged_on_home_calendar_and_overview(plans, people, client):
    client.force_login(people.editor)
    home = client.get(reverse("home")).content.decode()
    assert "3 plans have slipped" in home and "Late approved" in home
    assert "Tomorrow&#x27;s draft" not in home.split('id="overdue"')[1].split("</ul>")[0]

    # The calendar's days are the user's (the default zone: no profile).
    zone = zoneinfo.ZoneInfo(settings.DEFAULT_USER_TIMEZONE)
    day = timezone.localtime(_ago(days=1), zone).date()
    calendar = client.get(reverse("calendar"), {"view": "week", "date": day.isoformat()})
    flagged = calendar.content.decode().count("data-overdue>")
    expected = sum(1 for k in ("late draft", "late review", "late approved")
                   if timezone.localtime(plans[k].planned_at, zone).date() in _week_of(day))
    assert flagged == expected >= 1

    overview = client.get(reverse("org_overview")).content.decode()
    assert overview.count("<li data-overdue>") == 3
    assert "“Late approved” was planned for" in overview


def _week_of(day: dt.date) -> set[dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return {monday + dt.timedelta(days=i) for i in range(7)}


def test_the_projection_of_published_posts_counts_what_is_still_planned(plans, campaign):
    target = KPITargetFactory(campaign=campaign, metric=KPITarget.Metric.POSTS_PUBLISHED, target_value=6)
    [kpi] = campaign_kpis(campaign=campaign, today=timezone.localdate(), targets=[target])
    # Published: 1; still planned by the end date: the three late ones, the scheduled one, tomorrow's draft.
    assert (kpi.actual, kpi.projected) == (1, 6)


def test_events_are_on_the_calendar(org, campaign, people, client):
    event = EventFactory(organization=org, name="World Health Assembly", starts_at=timezone.now(),
                         ends_at=timezone.now() + dt.timedelta(days=1))
    campaign.events.add(event)
    EventFactory(name="Someone else's summit", starts_at=timezone.now())  # another organization
    client.force_login(people.viewer)
    page = client.get(reverse("calendar"), {"view": "week"}).content.decode()
    assert "World Health Assembly" in page and "Someone else" not in page
    assert page.count(f'data-event="{event.pk}"') >= 1


def test_series_posts_take_the_campaigns_event(org, campaign, people):
    series = SeriesFactory(campaign=campaign)
    series.accounts.add(AccountFactory(organization=org))
    near = EventFactory(organization=org, starts_at=timezone.now() + dt.timedelta(days=3))
    far = EventFactory(organization=org, starts_at=timezone.now() + dt.timedelta(days=90))
    campaign.events.add(near, far)
    posts = series_generate_posts(series=series, by=people.editor)
    assert posts and {p.event for p in posts} == {near}


def test_found_posts_are_given_to_a_campaign_from_the_import_page(org, campaign, people, client):
    account = AccountFactory(organization=org)
    found = [PostFactory(campaign=None, account=account, status=S.PUBLISHED, title=f"Found {n}",
                         published_at=_ago(days=n)) for n in range(3)]
    imp = MetricImport(account=account, original_name="export.csv", uploaded_by=people.editor)
    imp.file.save("export.csv", ContentFile(b"Post ID,Views\n1,2\n"), save=False)
    imp.save()
    url = reverse("metric_import_detail", args=[imp.pk])

    client.force_login(people.editor)
    assert "Found 2" in client.get(url).content.decode()
    response = client.post(url, {"campaign": campaign.pk, "posts": [found[0].pk, found[2].pk]})
    assert response.status_code == 302
    assert {p.pk for p in campaign.posts.all()} == {found[0].pk, found[2].pk}
    assert Post.objects.get(pk=found[1].pk).campaign is None
    client.force_login(people.viewer)
    assert client.post(url, {"campaign": campaign.pk, "posts": [found[1].pk]}).status_code == 403


def test_found_posts_are_given_to_a_campaign_through_the_api(org, other_org, campaign, people, clients):
    account = AccountFactory(organization=org)
    loose = [PostFactory(campaign=None, account=account, status=S.PUBLISHED) for _ in range(2)]
    theirs = PostFactory(campaign=None, account=AccountFactory(organization=other_org), status=S.PUBLISHED)
    planned = PostFactory(campaign=CampaignFactory(organization=org))
    url = f"/api/v1/campaigns/{campaign.pk}/attach-posts/"

    for refused in ([loose[0].pk, theirs.pk], [loose[0].pk, planned.pk], []):
        response = clients.editor.post(url, {"posts": refused}, format="json")
        assert response.status_code == 400 and "posts" in response.json()["error"]["fields"], refused
    assert not campaign.posts.exists()  # all or none
    assert clients.viewer.post(url, {"posts": [loose[0].pk]}, format="json").status_code == 403

    response = clients.editor.post(url, {"posts": [p.pk for p in loose]}, format="json")
    assert response.status_code == 200 and sorted(response.json()["attached"]) == sorted(p.pk for p in loose)
    assert set(campaign.posts.all()) == set(loose)
    with pytest.raises(ValidationError):
        posts_attach_to_campaign(post_ids=[loose[0].pk], campaign=campaign, by=people.admin)  # already given


def test_an_ingestion_alert_clears_when_the_account_recovers(org):
    account, other = AccountFactory(organization=org), AccountFactory(organization=org)
    IngestionRun.objects.create(platform=account.platform, account=account, status=IngestionRun.Status.FAILED,
                                started_at=_ago(minutes=10))
    stuck = IngestionRun.objects.create(platform=other.platform, account=other, status=IngestionRun.Status.FAILED,
                                        started_at=_ago(minutes=10))
    IngestionRun.objects.create(platform=other.platform, account=other, status=IngestionRun.Status.SUCCESS,
                                started_at=_ago(minutes=20))  # before the failure: still failing
    IngestionRun.objects.create(platform=account.platform, account=account, status=IngestionRun.Status.SUCCESS,
                                started_at=_ago(minutes=8))
    assert org_overview(organization_ids=[org.pk]).failed_runs == [stuck]
