import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, Collaboration, Post
from metrics.models import SandboxFault


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


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


@pytest.mark.django_db
def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


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
