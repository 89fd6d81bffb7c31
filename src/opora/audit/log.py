"""log_event(): the one way to write an audit row. Call it inside the action's transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import models

from opora.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(instance: models.Model, m2m: tuple[str, ...] = ()) -> dict[str, Any]:
    """The instance's editable field values, as plain JSON-able values (FKs by id)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    for name in m2m:
        if instance.pk:
            data[name] = sorted(obj.pk for obj in getattr(instance, name).all())
        else:
            data[name] = []
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def log_event(
    *,
    actor,
    event_type: str,
    obj: models.Model,
    organisation_id: int | None,
    changes: dict | None = None,
) -> AuditEvent:
    user_id = getattr(actor, "user_id", None) if actor is not None else None
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor_id=user_id,
        event_type=event_type,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        changes=changes or {},
    )


def log_login(*, user: models.Model | None, username: str, success: bool, channel: str,
              address: str | None) -> AuditEvent:
    """A login (``success``) or a refused login: by password on the web (``channel="web"``) or by an API token
    (``channel="api"``). A refused login of an unknown user name is kept too, under that name; no password or
    token is ever written."""
    return AuditEvent.objects.create(
        organisation_id=None,
        actor_id=user.pk if (success and user is not None) else None,
        event_type="login" if success else "login_failed",
        object_type="accounts.user",
        object_id=str(user.pk) if user is not None else "",
        object_repr=username[:300],
        changes={"channel": channel, "address": address or ""},
    )
