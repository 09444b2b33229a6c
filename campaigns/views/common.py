"""Helpers every page view uses, so permissions are checked the same way everywhere (campaigns.access)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from campaigns import access

# What a view may need: None = reading the organization's data, "self" = only the user's own
# settings, a capability of campaigns.access.CAPABILITIES, or a tuple meaning "any of these".
Need = str | tuple[str, ...] | None


def needs(capability: Need) -> Callable:
    """Require login and declare what the view's writes need.

    The declaration is read by tests/campaigns/test_permissions_matrix.py, which checks that every
    role without it gets 403; the view itself enforces it per object with `require()`.
    """

    def decorate(view: Callable) -> Callable:
        wrapped = login_required(view)
        wrapped.needs = capability
        return wrapped

    return decorate


def scoped_get(user, queryset: QuerySet | type[Model], pk, *, path: str = "organization") -> Model:
    """The object with this pk among the user's organizations; another organization's answers 404."""
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    return get_object_or_404(access.scope(queryset, user, path=path), pk=pk)


def can_any(user, capability: Need, organization_id: int) -> bool:
    if capability is None:
        return access.can(user, "read", organization_id)
    capabilities = (capability,) if isinstance(capability, str) else capability
    return any(access.can(user, cap, organization_id) for cap in capabilities)


def require(user, capability: Need, organization_id: int) -> None:
    """403 unless the user's role in that organization allows it."""
    if not can_any(user, capability, organization_id):
        raise PermissionDenied(_("Your role in this organization does not allow this change."))


def require_somewhere(user, capability: str) -> list[int]:
    """The organizations where the user may do it (for create pages); 403 when there are none."""
    org_ids = access.organization_ids_where(user, capability)
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
