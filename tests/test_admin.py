import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

OWN_APPS = {"campaigns", "metrics"}


def _own_models():
    # Historical* models are django-simple-history's; they are shown through their parent's history.
    return [m for m in apps.get_models()
            if m._meta.app_label in OWN_APPS and not m.__name__.startswith("Historical")]


def test_every_model_has_an_admin():
    missing = [m.__name__ for m in _own_models() if not admin.site.is_registered(m)]
    assert not missing


@pytest.mark.django_db
def test_every_admin_list_page_renders_with_its_search(admin_client):
    for model in _own_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url, {"q": "x"}).status_code == 200, url
