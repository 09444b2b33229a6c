"""The permission matrix: every page of the campaigns app, for every persona, GET and POST.

The URL list is read from the resolver, so a new route is covered the day it is added. Views declare
what their writes need with campaigns.views.common.needs(); this test holds each view to it:

- anonymous → redirect to the login page;
- oscar_outsider (another organization) → 404 for any URL naming an object of the fixture org,
  and never a page showing the org's objects (their names carry MARKER);
- a member whose role lacks the view's need → 403; the others → a page or a redirect, never
  403/404/500. A method the view refuses (405, e.g. POST on a read-only page) is accepted from
  anyone: it is refused before identity matters and reveals nothing.

To fill `<int:pk>` for a URL name that does not start with the object's kind (campaign_, post_, ...),
add an entry to URL_KWARGS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from campaigns.models import Post
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    CollaborationFactory,
    EventFactory,
    InfluencerFactory,
    KPITargetFactory,
    PostFactory,
    SeriesFactory,
)

MARKER = "Zzsecret"

# URL name → kwargs, for names whose prefix does not say which object their pk is.
URL_KWARGS: dict[str, Callable[[SimpleNamespace], dict]] = {
    "post_create": lambda w: {"pk": w.campaign.pk},
    "series_create": lambda w: {"pk": w.campaign.pk},
    "series_preview": lambda w: {"pk": w.campaign.pk},
}

# Default: the URL name's prefix names the object its pk points to.
PREFIXES = {
    "campaign": "campaign",
    "post": "post",
    "series": "series",
    "event": "event",
    "account": "account",
    "influencer": "influencer",
    "collaboration": "collaboration",
    "kpi": "kpi",
}

ROLES = ["admin", "editor", "approver", "viewer"]
CAPABILITIES = {
    "admin": {"read", "plan", "review", "manage"},
    "editor": {"read", "plan"},
    "approver": {"read", "review"},
    "viewer": {"read"},
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


# Routes acting on the signed-in user's own objects, not an organization's: their pk is checked against
# the user instead (tests/api/test_auth.py: someone else's token answers 404).
PERSONAL_OBJECT_ROUTES = {"api_token_revoke"}


def campaign_routes() -> list[tuple[str, URLPattern]]:
    """Every named page route whose view lives in the campaigns app (not its API, not a placeholder)."""
    routes = []
    for _route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if not pattern.name or not module.startswith("campaigns.") or module.startswith("campaigns.api"):
            continue
        if pattern.name in PERSONAL_OBJECT_ROUTES:
            continue
        routes.append((pattern.name, pattern))
    return sorted(routes, key=lambda item: item[0])


ROUTES = campaign_routes()


def _kwargs_for(name: str, pattern: URLPattern, world: SimpleNamespace) -> dict:
    converters = pattern.pattern.converters
    if not converters:
        return {}
    if name in URL_KWARGS:
        return URL_KWARGS[name](world)
    kind = name.split("_", 1)[0]
    assert kind in PREFIXES, f"Add {name!r} to URL_KWARGS: cannot tell which object its pk is."
    assert list(converters) == ["pk"], f"Add {name!r} to URL_KWARGS: it has kwargs {list(converters)}."
    return {"pk": getattr(world, PREFIXES[kind]).pk}


@pytest.fixture
def world(org, people):
    """One object of each kind in the fixture org, names carrying MARKER."""
    campaign = CampaignFactory(organization=org, name=f"{MARKER} campaign")
    account = AccountFactory(organization=org, handle=f"{MARKER}_account")
    event = EventFactory(organization=org, name=f"{MARKER} event")
    influencer = InfluencerFactory(organization=org, name=f"{MARKER} influencer")
    series = SeriesFactory(campaign=campaign, name=f"{MARKER} series")
    series.accounts.add(account)
    post = PostFactory(
        campaign=campaign, account=account, title=f"{MARKER} post", status=Post.Status.DRAFT,
        planned_at=timezone.now() + dt.timedelta(days=3),
    )
    collaboration = CollaborationFactory(campaign=campaign, influencer=influencer, title=f"{MARKER} collaboration")
    kpi = KPITargetFactory(campaign=campaign)
    return SimpleNamespace(
        campaign=campaign, account=account, event=event, influencer=influencer, series=series, post=post,
        collaboration=collaboration, kpi=kpi, people=people,
    )


def test_the_matrix_sees_the_planning_routes():
    names = {name for name, _ in ROUTES}
    assert {"home", "campaign_list", "campaign_detail", "post_detail", "post_edit", "review_queue",
            "account_edit", "post_transition"} <= names


def test_every_campaigns_view_declares_what_it_needs():
    undeclared = [name for name, pattern in ROUTES if not hasattr(pattern.callback, "needs")]
    assert not undeclared, f"Decorate these views with campaigns.views.common.needs(): {undeclared}"


def _allowed(need, role: str) -> bool:
    if need in (None, "self"):
        return True
    needs = (need,) if isinstance(need, str) else need
    return any(n in CAPABILITIES[role] for n in needs)


@pytest.mark.parametrize("name", [name for name, _ in ROUTES])
def test_permission_matrix(name, world, client):
    pattern = dict(ROUTES)[name]
    url = reverse(name, kwargs=_kwargs_for(name, pattern, world))
    need = getattr(pattern.callback, "needs", None)
    has_pk = bool(pattern.pattern.converters)
    failures = []

    def check(who: str, method: str, response, ok: Callable[[int], bool], expected: str):
        # A method the view does not accept is refused before anything else, for everyone alike.
        if response.status_code == 405:
            return
        if not ok(response.status_code):
            failures.append(f"{who} {method} {url}: got {response.status_code}, expected {expected}")

    # Anonymous: sent to log in, whatever the method.
    client.logout()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        check("anonymous", method, response,
              lambda s, r=response: s == 302 and reverse("login") in r["Location"], "redirect to login")

    # Another organization's member: the org's objects do not exist for them.
    client.force_login(world.people.outsider)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if has_pk:
            check("outsider", method, response, lambda s: s == 404, "404")
        else:
            check("outsider", method, response, lambda s: s < 500, "no server error")
            if response.status_code == 200:
                body = response.content.decode()
                if MARKER in body:
                    failures.append(f"outsider {method} {url}: page shows the other organization's data")

    # Members, per role.
    for role in ROLES:
        client.force_login(getattr(world.people, role))
        allowed = _allowed(need, role)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not allowed:
                check(role, method, response, lambda s: s == 403, "403")
            elif need is None and method == "post":
                check(role, method, response, lambda s: s == 200, "200 or 405 (read-only page)")
            else:
                check(role, method, response, lambda s: s in (200, 302), "200, 302 or 405")
    assert not failures, "\n".join(failures)
