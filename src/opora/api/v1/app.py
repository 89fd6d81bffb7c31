"""The JSON API, version 1. Thin: the same queries and actions as the web UI."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from opora.accounts.actions import user_for_token
from opora.lib.errors import DomainError


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Opora API", version="1", urls_namespace="api-v1", auth=[BearerAuth(), django_auth],
    description="The JSON API of Opora. Authenticate with a session or `Authorization: Bearer <token>` "
    "(`opora token create USERNAME`).",
)


class PayloadError(Exception):
    """A ValidationError together with the names the client used for its fields."""

    def __init__(self, error: ValidationError, payload_keys: set[str]):
        self.error = error
        self.payload_keys = payload_keys


def _loc(field: str, keys: set[str]) -> str:
    if field in keys:
        return field
    if f"{field}_id" in keys:
        return f"{field}_id"
    return field


def error_body(exc: ValidationError, keys: set[str] = frozenset()) -> dict:  # type: ignore[assignment]
    detail = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            loc = ["body"] if field == "__all__" else ["body", _loc(field, keys)]
            detail += [{"loc": loc, "msg": msg, "type": "value_error"} for msg in errors]
    else:
        detail += [{"loc": ["body"], "msg": msg, "type": getattr(exc, "code", None) or "value_error"}
                   for msg in exc.messages]
    return {"detail": detail}


@api.exception_handler(PayloadError)
def _payload_error(request, exc: PayloadError):
    return api.create_response(request, error_body(exc.error, exc.payload_keys), status=422)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return api.create_response(request, error_body(exc), status=422)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    loc = ["body", exc.field] if exc.field else ["body"]
    return api.create_response(request, {"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}]},
                               status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("You do not have the right to do this.")},
                               status=403)

