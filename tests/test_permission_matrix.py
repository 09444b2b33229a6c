"""The permission matrix: every route of the site — the pages of both apps and the API — for every persona.

One walker reads the routes from the URL resolver, so a route is covered the day it is added.

Pages (campaigns.views, metrics.views) declare what they need with campaigns.views.common.needs(),
which also enforces it; this test holds each page to its declaration:

- anonymous → redirect to the login page;
- oscar_outsider (another organization) → 404 for any URL naming an object of the fixture org,
  and never a page showing the org's objects (their names carry MARKER);
- a member whose role lacks the need (`needs` for GET, `needs_to_write` for POST) → 403; the others →
  a page or a redirect, never 403/404/500.
- A method the view refuses (405, e.g. POST on a read-only page) is accepted from anyone: it is refused
  before identity matters and reveals nothing. Metrics pages check the login before the method, so an
  anonymous GET there must always be sent to log in.

The API (/api/v1/): anonymous 401/403 on everything; the outsider 404 on the organization's objects and
none of them in lists; each role reads everything and writes only where its capability allows.

To fill `<int:pk>` for a page whose name does not start with the object's kind (campaign_, post_, ...),
add an entry to URL_KWARGS; an API model needs an entry in tests.campaigns.api.factories.MAKERS.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from campaigns.access import CAPABILITIES
from campaigns.models import Invitation, Membership, Post
from metrics.models import MetricImport
from tests.campaigns.api.factories import MAKERS
from tests.conftest import client_for
from tests.factories import (
    AccountFactory,
    AmplificationFactory,
    CampaignFactory,
    CollaborationFactory,
    EventFactory,
    EvidenceFactory,
    InfluencerFactory,
    KPITargetFactory,
    NotableAccountFactory,
    ObjectiveFactory,
    PostFactory,
    SeriesFactory,
)

MARKER = "Zzsecret"
ROLES = ("admin", "editor", "approver", "viewer")
UNSAFE = ("post", "put", "patch", "delete")


# --- The one walker ----------------------------------------------------------------------------


def _segment(pattern) -> str:
    return str(pattern.pattern).removeprefix("^").removesuffix("$")


def walk(patterns, prefix: str = ""):
    """(route template, URLPattern) for every route, nested includes joined."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + _segment(entry))
        elif isinstance(entry, URLPattern):
            yield prefix + _segment(entry), entry


def kwarg_names(template: str) -> list[str]:
    return re.findall(r"\(\?P<(\w+)>", template) + re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", template)


ALL_ROUTES = list(walk(get_resolver().url_patterns))

PAGE_MODULES = ("campaigns.views.", "metrics.views.")
# Routes acting on the signed-in user's own objects, not an organization's: their pk is checked against
# the user instead (tests/campaigns/api/test_auth.py: someone else's token answers 404).
PERSONAL_OBJECT_ROUTES = {"api_token_revoke", "notification_read"}
# API routes of the signed-in user's own objects (test_personal_api_route_matrix below).
PERSONAL_API_PREFIXES = ("api/v1/notifications/",)
# Public pages whose credential is in the link itself (a signed, expiring invitation): tested on their own
# (tests/campaigns/test_members.py), and they need no declaration.
PUBLIC_ROUTES = {"invitation_accept"}


def _page_patterns() -> dict[str, URLPattern]:
    """Every named page route whose view lives in campaigns.views or metrics.views."""
    pages = {}
    for _template, pattern in ALL_ROUTES:
        module = getattr(pattern.callback, "__module__", "")
        if pattern.name and module.startswith(PAGE_MODULES):
            pages.setdefault(pattern.name, pattern)
    return dict(sorted(pages.items()))


def _api_routes() -> list[tuple[str, object]]:
    routes = {}
    for template, pattern in ALL_ROUTES:
        if template.startswith("api/v1/") and "format" not in kwarg_names(template):
            routes.setdefault(template, pattern.callback)
    return sorted(routes.items())


PAGES = _page_patterns()
MATRIX_PAGES = {name: p for name, p in PAGES.items() if name not in PERSONAL_OBJECT_ROUTES | PUBLIC_ROUTES}
PERSONAL_API_ROUTES = [(t, c) for t, c in _api_routes() if t.startswith(PERSONAL_API_PREFIXES)]
API_ROUTES = [(t, c) for t, c in _api_routes() if not t.startswith(PERSONAL_API_PREFIXES)]


def test_the_walker_finds_every_route():
    assert {"home", "campaign_list", "campaign_detail", "post_detail", "post_edit", "review_queue",
            "account_edit", "post_transition"} <= set(MATRIX_PAGES)
    assert {"org_overview", "campaign_dashboard", "methodology", "ingestion_health", "metric_import"} <= set(PAGES)
    # Every page with kwargs can be filled from the world (or the test says which entry to add).
    for name, pattern in MATRIX_PAGES.items():
        _kwargs_maker(name, pattern)
    templates = [re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", t) for t, _ in API_ROUTES]
    assert len(templates) >= 25, templates
    for expected in ("api/v1/posts/", "api/v1/posts/{pk}/approve/", "api/v1/snapshots/", "api/v1/metric-imports/",
                     "api/v1/series/{pk}/generate/", "api/v1/timeseries/campaigns/{pk}/"):
        assert expected in templates


# What the metrics pages need, (to read, to write): the admins' settings pages, the upload form;
# every member reads and uses the others.
METRICS_NEEDS = {
    "score_weights": ("manage", "manage"),
    "score_weights_preview": ("manage", "manage"),
    "metric_import": (None, "plan"),
    "ingestion_health": (None, "manage"),  # the budget form
    "metric_import_detail": (None, "plan"),
}


def test_every_page_view_declares_what_it_needs():
    undeclared = [name for name, pattern in PAGES.items()
                  if not hasattr(pattern.callback, "needs") and name not in PUBLIC_ROUTES]
    assert not undeclared, f"Decorate these views with campaigns.views.common.needs(): {undeclared}"
    # The matrix trusts the declarations; pin the metrics pages'.
    metrics_pages = {name: p.callback for name, p in PAGES.items() if p.callback.__module__.startswith("metrics.")}
    for name, view in metrics_pages.items():
        assert (view.needs, view.needs_to_write) == METRICS_NEEDS.get(name, (None, None)), name


# --- Pages ---------------------------------------------------------------------------------------

# URL name → kwargs, for names whose prefix does not say which object their pk is.
URL_KWARGS: dict[str, Callable[[SimpleNamespace], dict]] = {
    "post_create": lambda w: {"pk": w.campaign.pk},
    "series_create": lambda w: {"pk": w.campaign.pk},
    "series_preview": lambda w: {"pk": w.campaign.pk},
    "metric_import_detail": lambda w: {"pk": w.metric_import.pk},
    "metric_import_progress": lambda w: {"pk": w.metric_import.pk},
    # The metrics pages read a published post's figures.
    "post_scores": lambda w: {"pk": w.published.pk},
    "compare_languages": lambda w: {"pk": w.published.pk},
    "post_performance": lambda w: {"pk": w.published.pk},
    "score_weights": lambda w: {"pk": w.org.pk},
    "score_weights_preview": lambda w: {"pk": w.org.pk},
    "campaign_export": lambda w: {"pk": w.campaign.pk, "table": "posts", "fmt": "csv"},
    "objective_create": lambda w: {"pk": w.campaign.pk},
    "evidence_create": lambda w: {"pk": w.objective.pk},  # evidence is recorded against an objective
    "amplification_create": lambda w: {"pk": w.published.pk},
    "member_list": lambda w: {"pk": w.org.pk},
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
    "objective": "objective",
    "evidence": "evidence",
    "notable": "notable",
    "member": "membership",
    "invitation": "invitation",
    "amplification": "amplification",
}

# An allowed POST without data that is answered with the form's errors and another status than 200.
INVALID_POST_STATUS = {"metric_import": 400, "ingestion_health": 400}  # an upload without a file, a budget without one


def _kwargs_maker(name: str, pattern: URLPattern) -> Callable[[SimpleNamespace], dict]:
    converters = pattern.pattern.converters
    if not converters:
        return lambda world: {}
    if name in URL_KWARGS:
        return URL_KWARGS[name]
    kind = name.split("_", 1)[0]
    assert kind in PREFIXES, f"Add {name!r} to URL_KWARGS: cannot tell which object its pk is."
    assert list(converters) == ["pk"], f"Add {name!r} to URL_KWARGS: it has kwargs {list(converters)}."
    return lambda world: {"pk": getattr(world, PREFIXES[kind]).pk}


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
    published = PostFactory(campaign=campaign, account=account, title=f"{MARKER} published post",
                            status=Post.Status.PUBLISHED)
    collaboration = CollaborationFactory(campaign=campaign, influencer=influencer, title=f"{MARKER} collaboration")
    kpi = KPITargetFactory(campaign=campaign)
    objective = ObjectiveFactory(campaign=campaign, statement=f"{MARKER} objective")
    evidence = EvidenceFactory(objective=objective, summary=f"{MARKER} evidence")
    notable = NotableAccountFactory(organization=org, name=f"{MARKER} notable")
    membership = Membership.objects.get(organization=org, user=people.viewer)
    invitation = Invitation.objects.create(organization=org, email="zzsecret@example.org", role="editor")
    amplification = AmplificationFactory(post=published, notable=notable)
    metric_import = MetricImport.objects.create(
        account=account, uploaded_by=people.editor, original_name=f"{MARKER}.csv",
        file=SimpleUploadedFile("x.csv", b"a,b\n"),
    )
    return SimpleNamespace(
        org=org, campaign=campaign, account=account, event=event, influencer=influencer, series=series, post=post,
        published=published, collaboration=collaboration, kpi=kpi, metric_import=metric_import, people=people,
        objective=objective, evidence=evidence, notable=notable, amplification=amplification,
        membership=membership, invitation=invitation,
    )


def _allowed(need, role: str) -> bool:
    if need in (None, "self"):
        return True
    needs = (need,) if isinstance(need, str) else need
    return any(n in CAPABILITIES[role] for n in needs)


@pytest.mark.parametrize("name", list(MATRIX_PAGES))
def test_page_matrix(name, world, client):
    pattern = MATRIX_PAGES[name]
    kwargs = _kwargs_maker(name, pattern)(world)
    url = reverse(name, kwargs=kwargs)
    view = pattern.callback
    login_first = view.__module__.startswith("metrics.")
    failures = []

    def check(who: str, method: str, response, ok: Callable[[int], bool], expected: str, *, refusable=True):
        # A method the view does not accept is refused before anything else, for everyone alike.
        if refusable and response.status_code == 405:
            return
        if not ok(response.status_code):
            failures.append(f"{who} {method} {url}: got {response.status_code}, expected {expected}")

    # Anonymous: sent to log in, whatever the method.
    client.logout()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        check("anonymous", method, response,
              lambda s, r=response: s == 302 and reverse("login") in r["Location"], "redirect to login",
              refusable=not (login_first and method == "get"))

    # Another organization's member: the org's objects do not exist for them.
    client.force_login(world.people.outsider)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if kwargs:
            check("outsider", method, response, lambda s: s == 404, "404")
        else:
            check("outsider", method, response, lambda s: s < 500, "no server error")
            if response.status_code == 200 and MARKER in response.content.decode(errors="replace"):
                failures.append(f"outsider {method} {url}: page shows the other organization's data")

    # Members, per role.
    for role in ROLES:
        client.force_login(getattr(world.people, role))
        for method in ("get", "post"):
            need = view.needs if method == "get" else view.needs_to_write
            response = getattr(client, method)(url)
            if not _allowed(need, role):
                check(role, method, response, lambda s: s == 403, "403")
            elif method == "post" and name in INVALID_POST_STATUS:
                expected = INVALID_POST_STATUS[name]
                check(role, method, response, lambda s, e=expected: s == e, f"{expected} (the form's errors)")
            elif need is None and method == "post":
                check(role, method, response, lambda s: s == 200, "200 or 405 (read-only page)")
            else:
                check(role, method, response, lambda s: s in (200, 302), "200, 302 or 405")
    assert not failures, "\n".join(failures)


# --- The API -------------------------------------------------------------------------------------


def build_url(template: str, **kwargs) -> str:
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), template)
    url = re.sub(r"(?<!\?P)<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), url)
    return "/" + url


def methods_of(callback) -> list[str]:
    if getattr(callback, "actions", None):
        return sorted(m for m in callback.actions if m in ("get", *UNSAFE))
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return sorted(m for m in ("get", *UNSAFE) if cls is not None and hasattr(cls, m))


def model_of(callback):
    cls = getattr(callback, "cls", None)
    queryset = getattr(cls, "queryset", None)
    return queryset.model if queryset is not None else None


def capability_of(callback) -> str | None:
    cls = callback.cls
    return (getattr(callback, "initkwargs", {}) or {}).get("capability") or getattr(cls, "capability", None) or getattr(
        cls, "write_capability", None
    )


def ids_in(response) -> set:
    data = response.json()
    items = data.get("results", []) if isinstance(data, dict) else data
    return {item.get("id") for item in items if isinstance(item, dict)}


@pytest.mark.parametrize(("template", "callback"), API_ROUTES, ids=[t.removeprefix("api/v1/") for t, _ in API_ROUTES])
def test_api_route_matrix(template, callback, people, org, other_org, sent_tasks):  # noqa: F811
    names = kwarg_names(template)
    # One path parameter (pk, id, campaign_id...) is filled with an object of the view's model.
    assert len(names) <= 1, f"{template}: teach the matrix how to fill {names}"
    methods = methods_of(callback)
    assert methods, f"{template}: no HTTP methods found"
    model = model_of(callback)
    detail = bool(names)
    if detail or model is not None:
        assert model in MAKERS, f"{template}: add {model} to tests.campaigns.api.factories.MAKERS"

    def url():
        """A fresh object of the organization each time (a DELETE must not spoil the next check)."""
        return build_url(template, **{names[0]: MAKERS[model](org).pk}) if detail else build_url(template)

    clients = {role: client_for(getattr(people, role)) for role in (*ROLES, "outsider")}
    anon = client_for(None)

    for method in methods:
        response = getattr(anon, method)(url(), {}, format="json")
        assert response.status_code in (401, 403), (method, template, response.status_code)
        assert set(response.json()) == {"error"}

    # The outsider: nothing of the organization, whatever the method.
    outsider = clients["outsider"]
    if detail:
        for method in methods:
            response = getattr(outsider, method)(url(), {}, format="json")
            assert response.status_code == 404, (method, template, response.status_code, response.content[:300])
    elif "get" in methods and model is not None:
        theirs = MAKERS[model](other_org)
        ours = MAKERS[model](org)
        response = outsider.get(build_url(template))
        assert response.status_code == 200, response.content[:300]
        seen = ids_in(response)
        assert ours.pk not in seen
        if model is not type(org):
            assert theirs.pk in seen  # the check can fail: the outsider does see their own
        assert ours.pk in ids_in(clients["admin"].get(build_url(template)))

    # Each role of the organization.
    for role in ROLES:
        client = clients[role]
        for method in methods:
            response = getattr(client, method)(url(), {}, format="json")
            code = response.status_code
            assert code < 500, (role, method, template, response.content[:500])
            if method == "get":
                assert code == 200, (role, method, template, code, response.content[:300])
                continue
            capability = capability_of(callback)
            assert capability, f"{template}: declare write_capability (or @action(capability=...))"
            if capability in CAPABILITIES[role]:
                assert code not in (401, 403, 404, 405), (role, method, template, code, response.content[:300])
            else:
                assert code == 403, (role, method, template, code, response.content[:300])
                assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(("template", "callback"), PERSONAL_API_ROUTES,
                         ids=[t.removeprefix("api/v1/") for t, _ in PERSONAL_API_ROUTES])
def test_personal_api_route_matrix(template, callback, people, org):
    """A user's own objects: anonymous 401/403; anyone else, whatever their role, 404; the owner reaches them."""
    assert len(PERSONAL_API_ROUTES) >= 3
    names = kwarg_names(template)
    model = model_of(callback)
    owner = people.editor

    def url():
        if not names:
            return build_url(template)
        obj = MAKERS[model](org)
        assert obj.recipient == owner
        return build_url(template, **{names[0]: obj.pk})

    for method in methods_of(callback):
        response = getattr(client_for(None), method)(url(), {}, format="json")
        assert response.status_code in (401, 403) and set(response.json()) == {"error"}, (method, template)
        for role in ("admin", "approver", "viewer", "outsider"):
            client = client_for(getattr(people, role))
            response = getattr(client, method)(url(), {}, format="json")
            if names:
                assert response.status_code == 404, (role, method, template, response.status_code)
            else:
                assert response.status_code == 200, (role, method, template, response.status_code)
                assert owner_ids_absent(response, model, owner), (role, method, template)
        response = getattr(client_for(owner), method)(url(), {}, format="json")
        assert response.status_code == 200, (method, template, response.content[:300])


def owner_ids_absent(response, model, owner) -> bool:
    """A list answered to someone else holds none of the owner's objects."""
    return not ids_in(response) & set(model.objects.filter(recipient=owner).values_list("pk", flat=True))


def test_declared_capabilities_are_the_ui_rules():
    """The matrix checks behaviour against each view's declared capability; pin the declarations."""
    from campaigns.services import ACTIONS

    declared = {re.sub(r"\(\?P<(\w+)>[^)]*\)", "{pk}", t): capability_of(c) for t, c in API_ROUTES if hasattr(c, "cls")}
    assert declared["api/v1/accounts/"] == "manage"
    for resource in ("events", "campaigns", "series", "posts", "influencers", "collaborations", "metric-imports"):
        assert declared[f"api/v1/{resource}/"] == "plan", resource
    for name, step in ACTIONS.items():
        assert declared[f"api/v1/posts/{{pk}}/{name.replace('_', '-')}/"] == step.capability, name
