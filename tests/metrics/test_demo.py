import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from campaigns.models import Account, Campaign, Collaboration, Event, Influencer, KPITarget, Organization, Post, Series
from metrics.sandbox.models import SandboxFault


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.slow
@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert Campaign.objects.count() == 5
    wha = Campaign.objects.get(name__startswith="WHA 2026")
    film = wha.posts.get(platform_post_id="tcHperfPair")
    assert film.variants.count() == 4
    assert Post.objects.filter(status="in_review").exists()
    # Stored values stay compatible with the models' rules (country and language codes, dates, organizations).
    for model in (Organization, Influencer, Account, Event, Campaign, KPITarget, Series, Post, Collaboration):
        for row in model.objects.all():
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                pytest.fail(f"{model.__name__} {row.pk}: {error.message_dict}")


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_fills_the_pages_it_feeds(settings):
    # What a user met in the running demo: a published post that could never get figures, posts in
    # review with no workflow steps, a post's event missing from its campaign's events.
    settings.DEBUG = True
    call_command("load_demo")
    campaign_posts = Post.objects.exclude(campaign=None)
    published = campaign_posts.filter(status="published")
    assert published.count() >= 20
    assert not published.filter(platform_post_id="").exists(), "published demo posts get metrics via the sandbox"
    for post in campaign_posts.filter(status__in=["in_review", "approved", "scheduled"]):
        assert post.transitions.filter(to_status="in_review").exists(), post
    rejected = Post.objects.get(transitions__to_status="draft", transitions__from_status="in_review")
    assert rejected.transitions.get(to_status="draft").comment
    for post in campaign_posts.exclude(event=None):
        assert post.campaign.events.filter(pk=post.event_id).exists(), post
    assert not published.filter(created_by=None).exists()
    # Every column of the collaboration board holds a card.
    assert set(Collaboration.objects.values_list("status", flat=True)) == set(Collaboration.Status.values)
    # One transient rate limit for the ingestion health page, used up by the first read.
    assert list(SandboxFault.objects.values_list("kind", "remaining")) == [("rate_limit", 1)]


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_has_a_history_that_live_ingestion_continues(settings):
    import datetime as dt

    from django.utils import timezone

    from metrics.models import AccountSnapshot, DailyPostRollup, PostMetricSnapshot, PostScore
    from metrics.sandbox import synthetic

    settings.DEBUG = True
    call_command("load_demo")
    film = Post.objects.get(platform_post_id="tcHperfPair")
    readings = list(film.snapshots.order_by("slot").values_list("slot", "views"))
    assert len(readings) >= 10
    assert [v for _s, v in readings] == sorted(v for _s, v in readings)  # cumulative, never falling
    # The backfill reads the sandbox's own curve: a live reading now continues it, it does not jump.
    latest_slot, latest_views = readings[-1]
    live = synthetic.post_metrics(synthetic.post_by_id("youtube", "tcHperfPair", timezone.now()), timezone.now())
    assert latest_views <= live["views"] < latest_views * 1.1
    assert film.snapshots.first().api_version == "sandbox backfill"
    # Followers for every demo day, roll-ups and scores for the history's posts.
    assert AccountSnapshot.objects.filter(account=film.account).count() >= 40
    assert DailyPostRollup.objects.filter(post=film).count() > 100
    young = PostMetricSnapshot.objects.filter(post__published_at__gte=timezone.now() - dt.timedelta(days=30))
    assert young.values("post").distinct().count() > 100
    assert PostScore.objects.count() >= young.values("post").distinct().count()
