"""API permissions: the role rules of campaigns.access, applied to every write.

Reads are scoped by the viewsets' querysets (another organization's objects are 404). Writes need
the view's capability ("plan", "review", "manage") in the object's organization; creating needs it
in at least one organization (the serializer then limits the target to those organizations).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import permissions

from campaigns import access


def required_capability(view) -> str:
    # @action(capability=...) sets the attribute on the view instance of that route.
    capability: str | None = getattr(view, "capability", None)
    write_capability: str = getattr(view, "write_capability", "plan")
    return capability or write_capability


class RoleCapability(permissions.IsAuthenticated):
    message = None

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = required_capability(view)
        if getattr(view, "detail", False):
            return True  # decided per object below
        allowed = bool(access.organization_ids_where(request.user, capability))
        if not allowed:
            self.message = _("Your role does not allow this (%(capability)s).") % {"capability": capability}
        return allowed

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = required_capability(view)
        org_id = access.organization_id_of(obj, view.org_path)
        allowed = org_id is not None and access.can(request.user, capability, org_id)
        if not allowed:
            self.message = _("Your role does not allow this (%(capability)s).") % {"capability": capability}
        return allowed
