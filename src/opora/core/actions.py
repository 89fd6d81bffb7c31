"""The shared shape of a write: validate, save, set many-to-many, write the audit row — atomically."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.audit.log import diff, log_event, snapshot
from opora.audit.models import EventType
from opora.core.validation import full_clean

M = TypeVar("M", bound=models.Model)


def require(actor: Actor, perm: str, organisation_id: int | None) -> None:
    if not actor.can(perm, organisation_id):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))


def organisation_of(instance: models.Model) -> int | None:
    """The organisation a row belongs to: its own, or its parent's (recipient, family, service)."""
    if hasattr(instance, "organisation_id"):
        return instance.organisation_id
    for parent in ("recipient", "family", "service"):
        if getattr(instance, f"{parent}_id", None) is not None:
            return getattr(instance, parent).organisation_id
    return None


def create_object(instance: M, *, actor: Actor, m2m: Mapping[str, Iterable[Any]] | None = None) -> M:
    # Validated before the transaction: a refusal writes nothing and needs no savepoint. The writes share the
    # caller's transaction (no savepoint of their own: a caller that goes on after a failed write keeps its own).
    full_clean(instance)
    with transaction.atomic(savepoint=False):
        instance.save()
        names = tuple(m2m or ())
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        log_event(actor=actor, event_type=EventType.CREATED, obj=instance,
                  organisation_id=organisation_of(instance), changes=diff({}, snapshot(instance, names)))
    return instance


def update_object(
    instance: M, data: Mapping[str, Any], *, actor: Actor, m2m: Mapping[str, Iterable[Any]] | None = None
) -> M:
    names = tuple(m2m or ())
    before = snapshot(instance, names)
    for key, value in data.items():
        setattr(instance, key, value)
    full_clean(instance)  # as create_object: before the transaction
    with transaction.atomic(savepoint=False):
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        changes = diff(before, snapshot(instance, names))
        if changes:
            log_event(actor=actor, event_type=EventType.UPDATED, obj=instance,
                      organisation_id=organisation_of(instance), changes=changes)
    return instance


@transaction.atomic
def delete_object(instance: models.Model, *, actor: Actor) -> None:
    before = snapshot(instance)
    organisation_id = organisation_of(instance)
    log_event(actor=actor, event_type=EventType.DELETED, obj=instance, organisation_id=organisation_id,
              changes=diff(before, {k: None for k in before}))
    instance.delete()
