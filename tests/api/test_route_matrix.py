"""The cross-organization matrix: every registered /api/v1/ route, every method, every persona.

Routes are found by walking the URL resolver, so a route another part of the app adds later is
checked too (its model needs an entry in tests.campaigns.api.factories.MAKERS, or this test says so).

- anonymous: 401/403 on everything;
- oscar_outsider (an editor elsewhere): 404 on the organization's objects, none of them in lists;
- each role of the organization: reads everything; writes only where its capability allows
  (a viewer writes nothing, an editor cannot approve, an approver cannot create posts...).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from campaigns.access import CAPABILITIES
from tests.campaigns.api.factories import MAKERS
from tests.conftest import client_for

UNSAFE = ("post", "put", "patch", "delete")
ROLES = ("admin", "editor", "approver", "viewer")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + _segment(pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _segment(pattern), pattern.callback


def _segment(pattern) -> str:
    return str(pattern.pattern).removeprefix("^").removesuffix("$")


def api_routes() -> list[tuple[str, object]]:
    routes = {}
    for template, callback in _walk(get_resolver().url_patterns):
        if not template.startswith("api/v1/") or "format" in kwarg_names(template):
            continue
        routes.setdefault(template, callback)
    return sorted(routes.items())


def kwarg_names(template: str) -> list[str]:
    return re.findall(r"\(\?P<(\w+)>", template) + re.findall(r"(?<!\?P)<(?:\w+:)?(\w+)>", template)


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


ROUTES = api_routes()


def test_the_walker_finds_the_api():
    templates = [re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", t) for t, _ in ROUTES]
    assert len(templates) >= 25, templates
    for expected in ("api/v1/posts/", "api/v1/posts/{pk}/approve/", "api/v1/snapshots/", "api/v1/metric-imports/",
                     "api/v1/series/{pk}/generate/", "api/v1/timeseries/campaigns/{pk}/"):
        assert expected in templates


@pytest.mark.parametrize(("template", "callback"), ROUTES, ids=[t.removeprefix("api/v1/") for t, _ in ROUTES])
def test_route_matrix(template, callback, people, org, other_org, sent_tasks):
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


def test_declared_capabilities_are_the_ui_rules():
    """The matrix checks behaviour against each view's declared capability; pin the declarations."""
    from campaigns.services import ACTIONS

    declared = {re.sub(r"\(\?P<(\w+)>[^)]*\)", "{pk}", t): capability_of(c) for t, c in ROUTES if hasattr(c, "cls")}
    assert declared["api/v1/accounts/"] == "manage"
    for resource in ("events", "campaigns", "series", "posts", "influencers", "collaborations", "metric-imports"):
        assert declared[f"api/v1/{resource}/"] == "plan", resource
    for name, step in ACTIONS.items():
        assert declared[f"api/v1/posts/{{pk}}/{name.replace('_', '-')}/"] == step.capability, name
