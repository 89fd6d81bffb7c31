"""Every write to people's data: do_*(…, *, actor), atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.core.validation import full_clean
from opora.lib.formats import day as fmt_day
from opora.org.models import Department, Employee, Organisation, Settlement
from opora.people import queries, rules
from opora.people.models import (
    Category,
    Consent,
    Enrolment,
    Family,
    FamilyMember,
    Recipient,
    Representative,
)
from opora.people.queries import find_duplicates, recipients_for


def _check_no_namesake(recipient: Recipient, confirm_duplicate: bool, actor: Actor) -> None:
    """Warn about people with the same name and birth date; name only those the actor may see."""
    if confirm_duplicate:
        return
    same = find_duplicates(
        recipient.organisation_id, snils="", last_name=recipient.last_name, first_name=recipient.first_name,
        patronymic=recipient.patronymic, birth_date=recipient.birth_date, exclude_pk=recipient.pk,
    )
    if not same:
        return
    visible = set(recipients_for(actor).filter(pk__in=[p.pk for p in same]).values_list("pk", flat=True))
    names = [f"{p.full_name} ({fmt_day(p.birth_date)})" for p in same if p.pk in visible]
    hidden = len(same) - len(names)
    if hidden:
        names.append(ngettext("%(count)d person outside your departments",
                              "%(count)d people outside your departments", hidden) % {"count": hidden})
    raise ValidationError(
        _("A person with the same name and birth date is already registered: %(names)s. "
          "Check that this is a different person and confirm.") % {"names": ", ".join(names)},
        code="possible_duplicate",
    )


# --- the links a write sets, checked against the actor's scope FOR WRITING (one place for form, API and import) ----

_LINKS: dict[str, type[models.Model]] = {
    "family": Family, "registered_department": Department, "department": Department, "worker": Employee,
    "settlement": Settlement, "recipient": Recipient,
}


def _linked(data: Mapping[str, Any], name: str, errors: dict[str, str]) -> models.Model | None:
    """The object a write links under ``name`` (given as an object or as ``<name>_id``), or None."""
    if name in data:
        value = data[name]
        return value if isinstance(value, models.Model) else None
    pk = data.get(f"{name}_id")
    if pk is None:
        return None
    obj = _LINKS[name]._default_manager.filter(pk=pk).first()
    if obj is None:
        errors[name] = _("No such record.")
    return obj


def check_links(actor: Actor, organisation_id: int, data: Mapping[str, Any], *,
                current: models.Model | None = None, perm: str = Perm.EDIT_PEOPLE) -> None:
    """Refuse a write that would link a record to something outside the actor's scope for writing.

    Checks every link people's writes can set: the family (a family the actor may edit), the registered
    department and the department of an enrolment (the actor's own departments for a head or a social worker),
    the social worker (see queries.writable_workers), the settlement (the organisation's) and the person linked as
    a family member (a person the actor may edit). A link left as it is (``current`` has it already) is not
    re-checked, so a worker can still edit a person whom a director linked wider. Raises ValidationError by field.
    """
    errors: dict[str, str] = {}
    for name in _LINKS:
        obj = _linked(data, name, errors)
        if obj is None or (current is not None and getattr(current, f"{name}_id", None) == obj.pk):
            continue
        if getattr(obj, "organisation_id", organisation_id) != organisation_id:
            errors[name] = _("This record belongs to another organisation.")
        elif name == "family" and not queries.writable_families(actor, organisation_id, perm).filter(
                pk=obj.pk).exists():
            errors[name] = _("This family is not among the families you may edit.")
        elif name in ("registered_department", "department") and not queries.writable_departments(
                actor, organisation_id, perm).filter(pk=obj.pk).exists():
            errors[name] = _("You can choose only your own departments.")
        elif name == "worker" and not queries.writable_workers(actor, organisation_id, perm).filter(
                pk=obj.pk).exists():
            errors[name] = _("You cannot assign this employee.")
        elif name == "recipient" and not recipients_for(actor, perm).filter(pk=obj.pk).exists():
            errors[name] = _("This person is not among the people you may see.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_create_recipient(
    organisation: Organisation, data: Mapping[str, Any], *, actor: Actor,
    categories: Iterable[Category] = (), confirm_duplicate: bool = False,
) -> Recipient:
    require(actor, Perm.EDIT_PEOPLE, organisation.pk)
    check_links(actor, organisation.pk, data)
    recipient = Recipient(organisation=organisation, **data)
    if recipient.registered_department_id is None:
        recipient.registered_department_id = _default_department(actor, organisation.pk)
    _check_no_namesake(recipient, confirm_duplicate, actor)
    return create_object(recipient, actor=actor, m2m={"categories": list(categories)})


def _default_department(actor: Actor, organisation_id: int) -> int | None:
    """A department-bound user registers people in (the first of) their own departments."""
    for g in actor.grants_with(Perm.EDIT_PEOPLE):
        if g.organisation_id == organisation_id and actor.is_department_bound(g) and g.department_ids:
            return min(g.department_ids)
    return None


@transaction.atomic
def do_update_recipient(
    recipient: Recipient, data: Mapping[str, Any], *, actor: Actor,
    categories: Iterable[Category] | None = None, confirm_duplicate: bool = False,
) -> Recipient:
    require(actor, Perm.EDIT_PEOPLE, recipient.organisation_id)
    check_links(actor, recipient.organisation_id, data, current=Recipient.objects.get(pk=recipient.pk))
    for key, value in data.items():
        setattr(recipient, key, value)
    if {"last_name", "first_name", "patronymic", "birth_date"} & set(data):
        _check_no_namesake(recipient, confirm_duplicate, actor)
    m2m = {"categories": list(categories)} if categories is not None else None
    # update_object snapshots from the database row, so the audit shows true old values.
    fresh = Recipient.objects.get(pk=recipient.pk)
    return update_object(fresh, data, actor=actor, m2m=m2m)


@transaction.atomic
def do_view_recipient(recipient: Recipient, *, actor: Actor) -> None:
    """Opening a card is recorded: personal data law asks who looked."""
    log_event(actor=actor, event_type=EventType.VIEWED, obj=recipient, organisation_id=recipient.organisation_id)


def refresh_status(recipient: Recipient) -> str:
    """Store the status the rule gives for the person's enrolments (people.rules.recipient_status)."""
    status = rules.recipient_status(recipient.enrolments.values_list("discharged_on", "discharge_reason"))
    if status != recipient.status:
        Recipient.objects.filter(pk=recipient.pk).update(status=status)
        recipient.status = status
    return status


STATUS_BATCH = 5000  # ids per UPDATE … WHERE id IN (…), as the exchange import batches its writes


def refresh_statuses(organisation_id: int) -> int:
    """The bulk form of :func:`refresh_status`, for the exchange import: the status by people.rules of every
    person of the organisation, in two reads and one update per changed status and batch. Returns how many
    people changed. Not audited, like refresh_status: the status is derived from audited enrolments."""
    periods: dict[int, list[rules.Period]] = {}
    for rid, discharged, reason in Enrolment.objects.filter(organisation_id=organisation_id).values_list(
            "recipient_id", "discharged_on", "discharge_reason"):
        periods.setdefault(rid, []).append((discharged, reason))
    current = dict(Recipient.objects.filter(organisation_id=organisation_id).values_list("id", "status"))
    changed = rules.status_changes(current, periods)
    for status, ids in changed.items():
        for start in range(0, len(ids), STATUS_BATCH):
            Recipient.objects.filter(pk__in=ids[start:start + STATUS_BATCH]).update(status=status)
    return sum(len(ids) for ids in changed.values())


@transaction.atomic
def do_enrol(recipient: Recipient, data: Mapping[str, Any], *, actor: Actor) -> Enrolment:
    require(actor, Perm.EDIT_PEOPLE, recipient.organisation_id)
    if not rules.may_enrol(recipient.status):
        raise ValidationError(_("The person is recorded as deceased."))
    check_links(actor, recipient.organisation_id, {k: v for k, v in data.items() if k != "recipient"})
    enrolment = Enrolment(organisation_id=recipient.organisation_id, recipient=recipient, **data)
    full_clean(enrolment)
    overlapping = Enrolment.objects.filter(recipient=recipient, department=enrolment.department,
                                           discharged_on__isnull=True)
    if overlapping.exists():
        raise ValidationError({"department": _("The person is already on service in this department.")})
    create_object(enrolment, actor=actor)
    refresh_status(recipient)
    return enrolment


@transaction.atomic
def do_discharge(
    enrolment: Enrolment, *, discharged_on: datetime.date, reason: str, actor: Actor
) -> Enrolment:
    require(actor, Perm.EDIT_PEOPLE, enrolment.organisation_id)
    if enrolment.discharged_on is not None:
        raise ValidationError(_("This enrolment is already closed."))
    update_object(enrolment, {"discharged_on": discharged_on, "discharge_reason": reason}, actor=actor)
    if rules.closes_every_enrolment(reason):
        for other in enrolment.recipient.enrolments.filter(discharged_on__isnull=True):
            update_object(other, {"discharged_on": rules.discharge_date_of_other(discharged_on, other.admitted_on),
                                  "discharge_reason": reason}, actor=actor)
    refresh_status(enrolment.recipient)
    return enrolment


def do_add_consent(recipient: Recipient, data: Mapping[str, Any], *, actor: Actor) -> Consent:
    require(actor, Perm.EDIT_PEOPLE, recipient.organisation_id)
    return create_object(Consent(recipient=recipient, **data), actor=actor)


def do_withdraw_consent(consent: Consent, *, withdrawn_on: datetime.date, actor: Actor) -> Consent:
    require(actor, Perm.EDIT_PEOPLE, consent.recipient.organisation_id)
    return update_object(consent, {"withdrawn_on": withdrawn_on}, actor=actor)


def do_add_representative(recipient: Recipient, data: Mapping[str, Any], *, actor: Actor) -> Representative:
    require(actor, Perm.EDIT_PEOPLE, recipient.organisation_id)
    return create_object(Representative(recipient=recipient, **data), actor=actor)


def do_remove_representative(representative: Representative, *, actor: Actor) -> None:
    require(actor, Perm.EDIT_PEOPLE, representative.recipient.organisation_id)
    delete_object(representative, actor=actor)


def do_create_family(
    organisation: Organisation, data: Mapping[str, Any], *, actor: Actor, categories: Iterable[Category] = ()
) -> Family:
    require(actor, Perm.EDIT_PEOPLE, organisation.pk)
    check_links(actor, organisation.pk, data)
    family = Family(organisation=organisation, **data)
    if family.registered_department_id is None:
        family.registered_department_id = _default_department(actor, organisation.pk)
    return create_object(family, actor=actor, m2m={"categories": list(categories)})


def do_update_family(
    family: Family, data: Mapping[str, Any], *, actor: Actor, categories: Iterable[Category] | None = None
) -> Family:
    require(actor, Perm.EDIT_PEOPLE, family.organisation_id)
    check_links(actor, family.organisation_id, data, current=Family.objects.get(pk=family.pk))
    m2m = {"categories": list(categories)} if categories is not None else None
    return update_object(family, data, actor=actor, m2m=m2m)


@transaction.atomic
def do_add_family_member(family: Family, data: Mapping[str, Any], *, actor: Actor) -> FamilyMember:
    require(actor, Perm.EDIT_PEOPLE, family.organisation_id)
    check_links(actor, family.organisation_id, {k: v for k, v in data.items() if k == "recipient"})
    member = FamilyMember(family=family, **data)
    linked = member.recipient
    if linked is not None:
        if linked.organisation_id != family.organisation_id:
            raise ValidationError({"recipient": _("This record belongs to another organisation.")})
        if not member.full_name:
            member.full_name = linked.full_name
        if member.birth_date is None:
            member.birth_date = linked.birth_date
    create_object(member, actor=actor)
    if linked is not None and linked.family_id != family.pk:
        update_object(linked, {"family": family}, actor=actor)
    return member


@transaction.atomic
def do_remove_family_member(member: FamilyMember, *, actor: Actor) -> None:
    require(actor, Perm.EDIT_PEOPLE, member.family.organisation_id)
    linked = member.recipient
    if linked is not None and linked.family_id == member.family_id:
        update_object(linked, {"family": None}, actor=actor)
    delete_object(member, actor=actor)
