"""The JSON API, version 1. Thin: the same queries and actions as the web UI."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger, _csrf_needed
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, django_auth

from opora.accounts.actions import user_for_token
from opora.accounts.signals import client_address
from opora.audit.log import log_login
from opora.lib.errors import DomainError
from opora.lib.money_json import dumps


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        user = user_for_token(token)
        if user is None:  # unknown, expired or revoked: 401, and a refused login in the audit (no token written)
            log_login(user=None, username=token[:8], success=False, channel="api", address=client_address(request))
            return None
        request.user = user
        return user


class MoneyJSONRenderer(BaseRenderer):
    """JSON with every Decimal as a number with two decimals (``"fee": 750.00``): the reports' encoder."""

    media_type = "application/json"
    _encoder = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return dumps(data, default=self._encoder.default)


class OnceParser(Parser):
    """A query parameter that is not a list, given twice (``?type=a&type=b``), is handed on as a list, which its
    schema refuses (422), rather than silently taking the last value."""

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        from opora.api.v1.common import bad_character  # common imports this module

        result: dict[str, Any] = {}
        for key in data:
            values = data.getlist(key)
            bad = bad_character([key, *values])
            if bad:  # a NUL cannot reach the database (PostgreSQL refuses it): a 422 on the parameter
                raise NinjaValidationError([{"loc": ["query", key], "type": "value_error",
                                             "msg": _("The text contains the control character %(code)s.")
                                             % {"code": bad}}])
            result[key] = values if key in list_fields or len(values) > 1 else values[0]
        return result


class OporaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """The view's name (``list_recipients``): short method names in a generated client; unique (a test checks)."""
        return operation.view_func.__name__


class LocalSwagger(Swagger):
    """ninja's Swagger page rendered from its own templates and static files (settings.NINJA_DIR), as ninja does
    when it is an installed app — it is not (start-up time; settings.py), and ninja would then use a CDN's copy."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api,
                   "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)


api = OporaAPI(
    title="Opora API", version="1", urls_namespace="api-v1", auth=[BearerAuth(), django_auth],
    renderer=MoneyJSONRenderer(), parser=OnceParser(), docs=LocalSwagger(),
    description="The JSON API of Opora. Authenticate with a session or `Authorization: Bearer <token>` "
    "(`opora token create USERNAME`).",
)


class PayloadError(Exception):
    """A ValidationError together with the names the client used for its fields."""

    def __init__(self, error: ValidationError, payload_keys: set[str]):
        self.error = error
        self.payload_keys = payload_keys


def client_name(field: str, keys: Collection[str]) -> str:
    """The name the client used for a field the model or action names: ``department`` → ``department_id``."""
    if field in keys or f"{field}_id" not in keys:
        return field
    return f"{field}_id"


def error_body(exc: ValidationError, keys: Collection[str] = frozenset()) -> dict[str, Any]:
    detail: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            loc = ["body"] if field == "__all__" else ["body", client_name(field, keys)]
            detail += [{"loc": loc, "msg": msg, "type": "value_error"} for msg in errors]
    else:
        detail += [{"loc": ["body"], "msg": msg, "type": getattr(exc, "code", None) or "value_error"}
                   for msg in exc.messages]
    return {"detail": detail}


class UnconfirmedWarnings(Exception):
    """A valid write that is warned about (issue 11) and was not confirmed: answered 409 with the warnings; the
    client sends the request again with ``"confirm_warnings": true`` to save it."""

    def __init__(self, warnings: list[str]):
        self.warnings = [str(w) for w in warnings]


@api.exception_handler(UnconfirmedWarnings)
def _unconfirmed(request: HttpRequest, exc: UnconfirmedWarnings) -> HttpResponse:
    return api.create_response(request, {
        "detail": _("Nothing was saved: confirm the warnings by sending the request again with "
                    "\"confirm_warnings\": true."),
        "warnings": exc.warnings}, status=409)


@api.exception_handler(PayloadError)
def _payload_error(request: HttpRequest, exc: PayloadError) -> HttpResponse:
    return api.create_response(request, error_body(exc.error, exc.payload_keys), status=422)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=422)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    loc = ["body", exc.field] if exc.field else ["body"]
    return api.create_response(request, {"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}]},
                               status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body": a body that is not JSON is a declared 422
        return api.create_response(request, {"detail": [{"loc": ["body"], "msg": _("The body is not valid JSON."),
                                                         "type": "json_invalid"}]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404 (urls.handler404): JSON under /api/ (a path no operation matches, e.g. a negative id), the
    HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return HttpResponse(dumps({"detail": "Not Found"}), status=404, content_type="application/json")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Http404())


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("You do not have the right to do this.")},
                               status=403)

