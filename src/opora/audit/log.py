"""log_event(): the one way to write an audit row. Call it inside the action's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from opora.audit.models import AuditEvent, EventType
from opora.lib.db import insert_rows


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


#: The fields of a read's row, in the order log_read gives them (the time last).
_READ_FIELDS = ("organisation", "actor", "event_type", "object_type", "object_id", "object_repr", "changes",
                "created_at")


def log_read(
    actor: Any,  # an accounts.actor.Actor (a layer above audit) or None
    objects: Iterable[models.Model],
    *,
    via: str,
    many: bool = False,
    listed: Iterable[models.Model] = (),
) -> int:
    """Record that an answer showed people's data: one row per person (or family) shown, in one statement.

    ``objects`` are the records the answer showed: people and families are recorded as themselves; any other
    record that belongs to a person (an application, a programme, a contract, a fee decision, a journal line …)
    is recorded against that person, naming the record in ``changes["object"]``, so that the person's card
    shows every read. ``via`` names the answer ("api:recipients", "web:family", "print:contract" …); ``many``
    marks a list ("seen in a list") as against one record's card, detail or print ("opened"). Call it once per
    answer from the views/API layer with the objects on the page. Returns how many rows it wrote.

    ``listed`` are records the same answer showed in a list besides (the people and families a form's drop-downs
    name, see ``choice_records``): they are recorded as seen in a list, in the same statement; a record both opened
    and listed is recorded once, as opened.
    """
    user_id = getattr(actor, "user_id", None) if actor is not None else None
    event_type = EventType.LISTED if many else EventType.VIEWED
    rows = []
    seen: set[tuple[str, str]] = set()
    marked = [(obj, event_type) for obj in objects] + [(obj, EventType.LISTED) for obj in listed]
    for obj, kind in marked:
        if obj is None or obj.pk is None:
            continue
        subject = _subject(obj)
        if subject is None or subject[:2] in seen:
            continue
        seen.add(subject[:2])
        object_type, object_id, object_repr, organisation_id = subject
        changes: dict[str, Any] = {"via": via[:200]}
        if object_type != obj._meta.label_lower:
            changes["object"] = f"{obj._meta.label_lower}#{obj.pk}"
        rows.append((organisation_id, user_id, str(kind), object_type, object_id, object_repr[:300], changes))
    if rows:  # rows, not model instances: on PostgreSQL by COPY (lib.db.insert_rows), 2 ms less for 30 people
        now = timezone.now()
        insert_rows(AuditEvent, _READ_FIELDS, [(*row, now) for row in rows])
    return len(rows)


# The records a form's choice lists name people by: a drop-down of people, of families or of staff (staff records
# are personal data too: PERSONAL below, docs/architecture.md "The audit of reads").
CHOICE_LABELS = ("people.recipient", "people.family", "org.employee")


def choice_records(form: Any) -> list[models.Model]:
    """The people, families and staff a form's choice lists name: a search picker (people/fields.py: a field with
    ``shown_records``) shows only its chosen record; a drop-down (each ModelChoiceField, or multiple choice, over
    a person, a family or an employee) every record of its scoped queryset, one SELECT per such field. Give them to
    ``log_read(..., listed=...)`` so that an answer showing the form records the ids it showed."""
    from django.forms import ModelChoiceField

    records: list[models.Model] = []
    for name, field in form.fields.items():
        shown = getattr(field, "shown_records", None)
        if callable(shown):
            records.extend(shown(form[name].value()))
            continue
        queryset = getattr(field, "queryset", None)
        if isinstance(field, ModelChoiceField) and queryset is not None \
                and queryset.model._meta.label_lower in CHOICE_LABELS:
            records.extend(queryset)
    return records


# Records that are a named person's data themselves (a release notice names the person released).
PERSONAL = ("people.recipient", "people.family", "org.employee", "activities.volunteer",  # volunteer: issue 13
            "fieldwork.releasenotice")


def _subject(obj: models.Model) -> tuple[str, str, str, int | None] | None:
    """Whose data a shown record is: (object type, id, text, organisation id), without a query when possible."""
    label = obj._meta.label_lower
    org_id = getattr(obj, "organisation_id", None)
    if label in PERSONAL:
        return label, str(obj.pk), str(obj), org_id
    recipient_id = getattr(obj, "recipient_id", None)
    if recipient_id is None:
        return _family_subject(obj, org_id)
    cached = obj._state.fields_cache.get("recipient")
    if cached is not None:
        return "people.recipient", str(recipient_id), str(cached), cached.organisation_id
    if org_id is None:
        org_id = obj.recipient.organisation_id  # type: ignore[attr-defined]
    return "people.recipient", str(recipient_id), str(obj), org_id


def _family_subject(obj: models.Model, org_id: int | None) -> tuple[str, str, str, int | None] | None:
    """A record of a family and of no one person (aid to a family, a visit to a family) is recorded against the
    family; a record of neither, not at all."""
    family_id = getattr(obj, "family_id", None)
    if family_id is None:
        return None
    if org_id is None:
        org_id = obj.family.organisation_id  # type: ignore[attr-defined]
    return "people.family", str(family_id), str(obj), org_id


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
