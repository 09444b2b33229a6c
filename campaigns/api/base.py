"""Building blocks shared by the campaigns and metrics APIs."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from campaigns import access
from campaigns.api import fields
from campaigns.api.permissions import RoleCapability
from config.api_errors import check_query_params


class ApiMixin:
    # Set per route by @action(capability=...): the role capability a write through it needs.
    capability: str | None = None
    # Any path segment reaches the view (a bad id then answers the API's JSON 404, not Django's page).
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_query_params(request)


class OrgScopedViewSet(ApiMixin, viewsets.ModelViewSet):
    """A resource scoped to the user's organizations; writes need `write_capability` there.

    Subclasses set `queryset`, `serializer_class`, `org_path` (model → Organization) and
    `write_capability`.
    """

    org_path = "organization"
    write_capability = "plan"
    permission_classes = [RoleCapability]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return access.scope(super().get_queryset(), self.request.user, path=self.org_path)


class ReadOnlyOrgScopedViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    org_path = "organization"
    permission_classes = [RoleCapability]

    def get_queryset(self):
        return access.scope(super().get_queryset(), self.request.user, path=self.org_path)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object the user may use: in an organization where they have `capability`.

    Another organization's object gets the same "does not exist" answer as a missing one.
    """

    def __init__(self, *, org_path: str = "organization", capability: str = "plan", **kwargs):
        self.org_path = org_path
        self.capability = capability
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        org_ids = access.organization_ids_where(request.user, self.capability)
        return queryset.filter(**{f"{self.org_path}__in": org_ids})

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


class SafeModelSerializer(serializers.ModelSerializer):
    """ModelSerializer whose dates stay in a sane range (keeps time-zone arithmetic from overflowing)."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateTimeField:
            field_class = fields.SafeDateTimeField
        elif field_class is serializers.DateField:
            field_class = fields.SafeDateField
        return field_class, field_kwargs


class OrgScopedGenericViewSet(ApiMixin, viewsets.GenericViewSet):
    """For custom read endpoints about one scoped object (time series, summaries)."""

    org_path = "organization"
    permission_classes = [RoleCapability]
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        return access.scope(super().get_queryset(), self.request.user, path=self.org_path)
