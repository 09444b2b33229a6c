"""One JSON error shape for the whole API, and the input hygiene that keeps bad input out of a 500.

Every error answers ``{"error": {"code": ..., "message": ..., "fields": {"path.to.field": [...]}}}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

from config.outage import DATABASE_ERRORS, database_unavailable


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


def bad_text(value: str) -> str | None:
    """Why a string cannot be stored (PostgreSQL refuses NUL; lone surrogates cannot be encoded)."""
    if "\x00" in value:
        return _("Text may not contain NUL (\\x00) characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Text contains invalid Unicode (an unpaired surrogate).")
    return None


def _check_tree(data: Any, path: str = "") -> None:
    if isinstance(data, str):
        problem = bad_text(data)
        if problem:
            raise exceptions.ValidationError({path or "non_field_errors": [problem]})
    elif isinstance(data, dict):
        for key, value in data.items():
            _check_tree(key, path)
            _check_tree(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_tree(value, f"{path}.{index}" if path else str(index))


class StrictJSONParser(parsers.JSONParser):
    """JSON, minus what the database cannot store: NUL characters, lone surrogates, NaN/Infinity."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=_refuse_constant)
            _check_tree(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from None
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error: nested too deeply.")) from None
        return data


def _refuse_constant(name: str):
    raise ValueError(_("%(name)s is not a number JSON allows.") % {"name": name})


def check_query_params(request) -> None:
    """Query strings can carry %00 too; refuse them before they reach a filter."""
    for key, values in request.query_params.lists():
        for text in [key, *values]:
            problem = bad_text(text)
            if problem:
                raise exceptions.ValidationError({key if not bad_text(key) else "query": [problem]})


# --- the error shape -------------------------------------------------------------------------------

def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"kpi_targets.0.metric": ["..."]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in detail)
        else:
            for index, value in enumerate(detail):
                if value:
                    out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return out


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def _django_validation_detail(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def api_exception_handler(exc: Exception, context: dict) -> HttpResponse | None:
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(context["request"], exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        # A race between two writers, or a constraint the serializer could not see in advance.
        exc = Conflict(_("This conflicts with an existing record (a unique or consistency rule)."))
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError({"non_field_errors": [_("A value is out of range for the database.")]})

    # Imported here: rest_framework.views reads the parser setting, which names this module.
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = (
            fields["non_field_errors"][0]
            if list(fields) == ["non_field_errors"]
            else _("Some fields are invalid; see “fields”.")
        )
        body = {"code": "invalid", "message": message, "fields": fields}
    else:
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else _("Request refused.")
        body = {"code": _code(exc), "message": message, "fields": {}}
    response.data = {"error": body}
    return response


def not_found(request, exception=None):
    """handler404: API paths no route matches answer in the API's error shape, the rest as usual."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}
        return JsonResponse(body, status=404)
    return page_not_found(request, exception)
