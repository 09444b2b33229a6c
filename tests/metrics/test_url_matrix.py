"""Every metrics page, enumerated from the URL resolver: anonymous users are sent to log in, another
organization's member finds nothing (404), and every member of the organization can read.

The planning pages have their own matrix (tests/campaigns/test_permissions_matrix.py) and the API
its own (tests/api/test_route_matrix.py); this one covers the rest, so a new page cannot ship unguarded.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from metrics.models import MetricImport
from tests.factories import AccountFactory, CampaignFactory, InfluencerFactory, PostFactory

MARKER = "Zzmetricsecret"


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry


def metrics_page_routes() -> dict[str, URLPattern]:
    routes = {}
    for pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if pattern.name and module.startswith("metrics.views"):
            routes[pattern.name] = pattern
    return routes


ROUTES = metrics_page_routes()

# How to fill each route's kwargs from the world; a new route with kwargs must be added here.
KWARGS: dict[str, Callable[[SimpleNamespace], dict]] = {
    "metric_import_detail": lambda w: {"pk": w.metric_import.pk},
    "metric_import_progress": lambda w: {"pk": w.metric_import.pk},
    "post_scores": lambda w: {"pk": w.post.pk},
    "campaign_scores": lambda w: {"pk": w.campaign.pk},
    "score_weights": lambda w: {"pk": w.org.pk},
    "score_weights_preview": lambda w: {"pk": w.org.pk},
    "campaign_dashboard": lambda w: {"pk": w.campaign.pk},
    "compare_languages": lambda w: {"pk": w.post.pk},
    "post_performance": lambda w: {"pk": w.post.pk},
    "influencer_performance": lambda w: {"pk": w.influencer.pk},
    "campaign_export": lambda w: {"pk": w.campaign.pk, "table": "posts", "fmt": "csv"},
    "campaign_report": lambda w: {"pk": w.campaign.pk},
}
# Pages only an organization's admins may open (they change its settings).
ADMIN_ONLY = {"score_weights", "score_weights_preview"}


@pytest.fixture
def world(org, people):
    campaign = CampaignFactory(organization=org, name=f"{MARKER} campaign")
    account = AccountFactory(organization=org, handle=f"{MARKER}_account")
    post = PostFactory(campaign=campaign, account=account, title=f"{MARKER} post", status="published")
    influencer = InfluencerFactory(organization=org, name=f"{MARKER} influencer")
    metric_import = MetricImport.objects.create(
        account=account, uploaded_by=people.editor, original_name=f"{MARKER}.csv",
        file=SimpleUploadedFile("x.csv", b"a,b\n"),
    )
    return SimpleNamespace(org=org, campaign=campaign, account=account, post=post, influencer=influencer,
                           metric_import=metric_import, people=people)


def test_every_metrics_route_with_kwargs_is_known():
    unknown = [n for n, p in ROUTES.items() if p.pattern.converters and n not in KWARGS]
    assert not unknown, f"add these to KWARGS: {unknown}"
    assert {"org_overview", "campaign_dashboard", "methodology", "ingestion_health", "metric_import"} <= set(ROUTES)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_metrics_page_matrix(name, world, client):
    kwargs = KWARGS[name](world) if name in KWARGS else {}
    url = reverse(name, kwargs=kwargs)
    failures = []

    response = client.get(url)
    if not (response.status_code == 302 and reverse("login") in response["Location"]):
        failures.append(f"anonymous GET {url}: {response.status_code}, expected a redirect to log in")

    client.force_login(world.people.outsider)
    response = client.get(url)
    if kwargs:
        if response.status_code not in (404, 405):
            failures.append(f"outsider GET {url}: {response.status_code}, expected 404")
    elif response.status_code >= 500 or MARKER in response.content.decode(errors="replace"):
        failures.append(f"outsider GET {url}: {response.status_code} or shows the other organization's data")

    for role in ("admin", "editor", "approver", "viewer"):
        client.force_login(getattr(world.people, role))
        response = client.get(url)
        # 405: a POST-only route (an htmx preview) refuses GET before anything else, for everyone alike.
        expected = (200, 302, 405) if (name not in ADMIN_ONLY or role == "admin") else (403, 404, 405)
        if response.status_code not in expected:
            failures.append(f"{role} GET {url}: {response.status_code}, expected one of {expected}")
    assert not failures, "\n".join(failures)
