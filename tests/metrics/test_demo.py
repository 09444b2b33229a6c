import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, Post


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
