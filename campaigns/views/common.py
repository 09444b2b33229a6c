"""Helpers every page view uses: `needs` is the one permission check of the pages of both apps
(campaigns.access holds the rules; the API asks the same functions)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from campaigns import access

# Methods that only read: `needs(..., writes=...)` lets them through with the read need.
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# What a view may need: None = reading the organization's data, "self" = only the user's own
# settings, a capability of campaigns.access.CAPABILITIES, or a tuple meaning "any of these".
Need = str | tuple[str, ...] | None


class CheckedView(Protocol):
    """A view behind `needs`, carrying its declarations."""

    needs: Need
    needs_to_write: Need

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def needs(
    capability: Need,
    *,
    model: type[Model] | QuerySet | None = None,
    path: str = "organization",
    writes: Need = None,
    denied: str | Promise | None = None,
) -> Callable[[Callable], CheckedView]:
    """The permission check of every page view: login, the object in the user's organizations, the role.

    - Anonymous users are sent to log in.
    - With `model` (a model or a queryset), the URL's `pk` is looked up among the user's organizations
      (another organization's object answers 404) and the view receives the object instead of the pk;
      `path` leads from the model to Organization ("account__organization", "id" for Organization).
    - `capability` is checked on that object's organization (403 for a role without it). Without a
      model it must be held in at least one organization (create pages). None = any member may read,
      "self" = the user's own settings, a tuple = any of these capabilities.
    - `writes`: what unsafe methods (POST) need instead, when every member may read the page.
    - `denied`: the 403 message when the default one does not say enough.

    The declarations (`view.needs`, `view.needs_to_write`) are read by tests/test_permission_matrix.py.
    """

    def decorate(view: Callable) -> CheckedView:
        @wraps(view)
        def checked(request, *args, **kwargs):
            need = writes if writes is not None and request.method not in SAFE_METHODS else capability
            if model is None:
                if need not in (None, "self"):
                    require_somewhere(request.user, need)
                return view(request, *args, **kwargs)
            obj = scoped_get(request.user, model, kwargs.pop("pk"), path=path)
            if need not in (None, "self"):
                require(request.user, need, access.organization_id_of(obj, path), denied=denied)
            return view(request, obj, *args, **kwargs)

        protected = cast(CheckedView, login_required(checked))
        protected.needs = capability
        protected.needs_to_write = writes if writes is not None else capability
        return protected

    return decorate


def scoped_get(user, queryset: QuerySet | type[Model], pk, *, path: str = "organization") -> Model:
    """The object with this pk among the user's organizations; another organization's answers 404."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()  # `objects`: no model has another manager
    return get_object_or_404(access.scope(queryset, user, path=path), pk=pk)


def _capabilities(capability: str | tuple[str, ...]) -> tuple[str, ...]:
    return (capability,) if isinstance(capability, str) else capability


def can_any(user, capability: Need, organization_id: int) -> bool:
    if capability is None:
        return access.can(user, "read", organization_id)
    return any(access.can(user, cap, organization_id) for cap in _capabilities(capability))


def require(user, capability: Need, organization_id: int, *, denied: str | Promise | None = None) -> None:
    """403 unless the user's role in that organization allows it."""
    if not can_any(user, capability, organization_id):
        raise PermissionDenied(denied or _("Your role in this organization does not allow this change."))


def require_somewhere(user, capability: str | tuple[str, ...]) -> list[int]:
    """The organizations where the user may do it (for create pages); 403 when there are none."""
    org_ids = sorted({org for cap in _capabilities(capability) for org in access.organization_ids_where(user, cap)})
    if not org_ids:
        raise PermissionDenied(_("Your role does not allow this in any of your organizations."))
    return org_ids


def route_exists(name: str, *args) -> bool:
    """For links to pages other helpers add: show the link only once the route exists."""
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _readable(field, value):
    """A stored history value as people read it: choice labels, related objects' names, lists joined."""
    if value is None or value == "":
        return None
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return value


def history_entries(obj, *, limit: int = 200) -> list[dict]:
    """Who changed what and when, newest first, from django-simple-history."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append({
                    "field": field.verbose_name,
                    "old": _readable(field, change.old),
                    "new": _readable(field, change.new),
                })
        entries.append({"record": record, "changes": changes, "created": record.history_type == "+"})
    return entries
