"""Who may see and do what. The UI and the API both ask these functions, so they cannot disagree.

Every query is scoped to the user's organizations: another organization's objects are not found.
"""

from __future__ import annotations

from django.db.models import QuerySet

from campaigns.models import Membership, Organization, Role

# What each role may do inside its organization. Viewers (managers) read everything and change nothing.
CAPABILITIES: dict[str, set[str]] = {
    Role.ADMIN: {"read", "plan", "review", "manage"},
    Role.EDITOR: {"read", "plan"},
    Role.APPROVER: {"read", "review"},
    Role.VIEWER: {"read"},
}


def organization_ids_for(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("organization_id", flat=True))


def organizations_for(user) -> QuerySet[Organization]:
    return Organization.objects.filter(id__in=organization_ids_for(user))


def role_in(user, organization_id: int) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organization_id=organization_id)
        .values_list("role", flat=True)
        .first()
    )


def can(user, capability: str, organization_id: int) -> bool:
    """True when the user's role in that organization grants the capability ("read", "plan", ...)."""
    role = role_in(user, organization_id)
    return role is not None and capability in CAPABILITIES[role]


def organization_ids_where(user, capability: str) -> list[int]:
    if not user.is_authenticated:
        return []
    roles = [role for role, caps in CAPABILITIES.items() if capability in caps]
    return list(
        Membership.objects.filter(user=user, role__in=roles).values_list("organization_id", flat=True)
    )


def organization_id_of(obj, path: str = "organization") -> int | None:
    """Follow `path` ("campaign__organization", or "id" for an Organization) from obj to its organization's id."""
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    if last == "id":
        return obj.pk
    return getattr(obj, f"{last}_id", None)


def scope(queryset: QuerySet, user, *, path: str = "organization") -> QuerySet:
    """Restrict any queryset to the user's organizations; `path` leads from the model to Organization."""
    return queryset.filter(**{f"{path}__in": organization_ids_for(user)})
