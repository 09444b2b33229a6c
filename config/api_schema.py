"""OpenAPI: every operation documents the errors it can answer, in the one error shape."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    },
)

_ERROR_DESCRIPTIONS = {
    400: "Invalid input; `fields` names each bad field.",
    401: "Not authenticated, or the token is invalid, expired or revoked.",
    403: "Authenticated, but the role does not allow this.",
    404: "Not found (or in another organization).",
    405: "Method not allowed.",
    409: "Conflicts with the current state (a workflow step not allowed now, a duplicate).",
    415: "Unsupported media type.",
    429: "Too many requests; retry later.",
}


class ErrorAwareAutoSchema(AutoSchema):
    """Documents the error responses every operation can give, in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        codes = [400, 401, 403, 404, 405, 429]
        if method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes += [409, 415]
        for code in codes:
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=_ERROR_DESCRIPTIONS[code]),
                    str(code),
                    direction=direction,
                )
        return responses
