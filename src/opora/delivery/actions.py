"""Every write to the journal of services: do_*(…, *, actor), atomic, audited.

A journal line is checked the same way whichever way it comes in (one line, a visit, the monthly grid,
the API): the date is not in the future; the service is the organisation's and active; the person is
enrolled in the department on that date; a basic service is in the programme in force and within its
volume for the period (or the excess has a recorded reason); an additional one has a tariff; the line is
not a duplicate; and the actor may record it (a social worker only for their caseload and as themselves,
a department head only in their departments). Urgent services need neither enrolment nor programme:
they are recorded with an act of urgent services and are free; an additional service on such an act is
still paid at its tariff.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.actions import create_object, delete_object, require, update_object
from opora.core.reference import ServiceList
from opora.delivery import aggregates, queries, rules
from opora.delivery.models import Delivery, MonthlyAct, UrgentAct
from opora.lib.dates import month_bounds
from opora.lib.db import run_prepared
from opora.org.models import Department, Employee, Organisation
from opora.org.queries import hold_numbering
from opora.people.models import Enrolment, Recipient
from opora.people.queries import may_reach
from opora.programmes.models import Programme, VolumePeriod

LINE_FIELDS = ("recipient", "department", "service", "worker", "date", "quantity", "over_volume_reason",
               "online")  # online: issue 17


class LinesError(ValidationError):
    """Errors of several lines at once; `line_errors` maps a line's key to {field: [messages]}."""

    def __init__(self, errors: Mapping[Any, Mapping[str, list[str]]], prefix: str = "lines"):
        flat = {f"{prefix}.{key}.{name}": list(msgs) for key, fields in errors.items()
                for name, msgs in fields.items()}
        super().__init__(flat)
        self.line_errors = {key: dict(fields) for key, fields in errors.items()}


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _period_label(period: str) -> str:
    return str(VolumePeriod(period).label)


def is_urgent(department: Department, service: Any, urgent_act: UrgentAct | None = None) -> bool:
    return rules.is_urgent(department.kind, service.type, urgent_act is not None)


def enrolment_on(recipient_id: int, department_id: int, day: datetime.date) -> Enrolment | None:
    """The person's enrolment in the department on the day, with its social worker (compiled once: a visit's
    every line asks it)."""
    def build(recipient_id: int, department_id: int, day: datetime.date) -> Any:
        return (Enrolment.objects.filter(recipient_id=recipient_id, department_id=department_id,
                                         admitted_on__lte=day)
                .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=day)).select_related("worker")
                .order_by("-admitted_on", "-pk")[:1])

    found = run_prepared("delivery.enrolment_on", build, recipient_id, department_id, day)
    return found[0] if found else None


# --- the checks ----------------------------------------------------------------------------------------------

def _check_actor(actor: Actor, line: Delivery) -> None:
    """Who may record this line. Raises PermissionDenied, or a ValidationError on the worker field."""
    org_id = line.organisation_id
    require(actor, Perm.RECORD_SERVICES, org_id)
    if not may_reach(actor, Perm.RECORD_SERVICES, line.recipient_id):
        raise PermissionDenied(_("You may record services only for the people of your caseload."))
    departments = queries.departments_for(actor, org_id)
    if departments is not None and line.department_id not in departments:
        raise PermissionDenied(_("You may record services only in your own departments."))
    employee = queries.worker_of(actor, org_id)
    if employee is not None:
        if line.worker_id is None:
            line.worker_id = employee
        elif line.worker_id != employee:
            raise ValidationError({"worker": _("A social worker records services only as themselves.")})


def _refused(refusal: rules.Refusal) -> ValidationError:
    return ValidationError({refusal.field: refusal.message})


def programme_terms(programme: Programme | None) -> rules.ProgrammeTerms | None:
    """The programme version in force, as the rules see it."""
    if programme is None:
        return None
    return rules.ProgrammeTerms(f"{programme.number}/{programme.version}", programme.valid_from, programme.valid_to,
                                {i.service_id: rules.Item(i.volume, i.period) for i in programme.items.all()})


def _check_line(line: Delivery, *, actor: Actor, exclude_pk: int | None = None) -> Delivery:
    """Validate a journal line (not saved yet) with delivery.rules and fill in its list, tariff and amount."""
    org_id = line.organisation_id
    recipient, department, service = line.recipient, line.department, line.service
    errors: dict[str, str] = {}
    for name, obj in (("recipient", recipient), ("department", department), ("service", service),
                      ("worker", line.worker)):
        if obj is not None and obj.organisation_id != org_id:
            errors[name] = rules.other_organisation(name).message
    facts_line = rules.Line(
        person=recipient.full_name, department=department.name, department_kind=department.kind,
        service_id=service.pk, service=service.name, service_type=service.type, service_list=service.list,
        service_active=service.is_active, day=line.date, quantity=line.quantity,
        reason=line.over_volume_reason or "", on_urgent_act=line.urgent_act is not None)
    for refusal in rules.check_shape(facts_line, timezone.localdate()):
        errors.setdefault(refusal.field, refusal.message)
    if errors:
        raise ValidationError(errors)

    _check_actor(actor, line)
    urgent = rules.is_urgent(department.kind, service.type, line.urgent_act is not None)
    enrolment = None if urgent else enrolment_on(recipient.pk, department.pk, line.date)
    if enrolment is not None:
        employee = queries.worker_of(actor, org_id)
        if employee is not None and enrolment.worker_id != employee:
            raise PermissionDenied(_("You may record services only for the people of your caseload."))
        if line.worker_id is not None and line.worker_id == enrolment.worker_id:
            line.worker = enrolment.worker  # as read: its key is not looked up again (core.validation)
    if org_id in actor.organisations:
        line.organisation = actor.organisations[org_id]  # read with the actor's memberships
    terms, delivered, period_label = None, 0, ""
    if not urgent and enrolment is not None and service.list == ServiceList.BASIC:
        terms = programme_terms(queries.active_programme_on(recipient.pk, department.pk, line.date,
                                                            services=False))
        item = terms.items.get(service.pk) if terms is not None else None
        if terms is not None and item is not None:
            start, end = rules.period_bounds(item.period, terms, line.date)
            delivered = queries.delivered_in(recipient.pk, department.pk, service.pk, start, end,
                                             exclude_pk=exclude_pk)
            period_label = _period_label(item.period)
    same = Delivery.objects.filter(recipient_id=recipient.pk, department_id=department.pk, service_id=service.pk,
                                   date=line.date, worker_id=line.worker_id)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    facts = rules.Facts(today=timezone.localdate(), enrolled=enrolment is not None, tariff=service.tariff_on(line.date),
                        programme=terms, delivered=delivered, period_label=period_label, duplicate=same.exists())
    decision = rules.decide(facts_line, facts)
    if isinstance(decision, rules.Refusal):
        raise _refused(decision)
    line.list = service.list
    line.tariff = decision.tariff
    line.amount = decision.amount
    return line


def _new_line(organisation_id: int, data: Mapping[str, Any]) -> Delivery:
    unknown = set(data) - set(LINE_FIELDS) - {"urgent_act"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    line = Delivery(organisation_id=organisation_id, **data)
    for name in ("recipient", "department", "service"):
        if getattr(line, f"{name}_id") is None:
            raise ValidationError({name: _("This field is required.")})
    return line


def _save_line(line: Delivery, *, actor: Actor) -> Delivery:
    """Save a new line that _check_line passed, audited, and recount its aggregates.

    Two people recording the same line at the same moment (PostgreSQL, read committed: each check saw no such line)
    meet the journal's unique constraint, or the model's own unique check if the other line came before it: the
    second gets the duplicate's refusal, as if it had come a moment later, instead of a server error."""
    try:
        with transaction.atomic():
            create_object(line, actor=actor)
    except (IntegrityError, ValidationError):
        if not Delivery.objects.filter(recipient_id=line.recipient_id, department_id=line.department_id,
                                       service_id=line.service_id, date=line.date, worker_id=line.worker_id,
                                       seq=line.seq).exists():
            raise
        line.pk = None
        refusal = rules.check_duplicate(True)
        assert refusal is not None
        raise _refused(refusal) from None
    aggregates.refresh_lines(line)
    return line


# --- one line --------------------------------------------------------------------------------------------------

@transaction.atomic
def do_record_delivery(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Delivery:
    """Record one line of the journal. `data`: recipient, department, service, date, quantity, worker,
    over_volume_reason (model instances for the relations)."""
    require(actor, Perm.RECORD_SERVICES, organisation.pk)
    return _save_line(_check_line(_new_line(organisation.pk, data), actor=actor), actor=actor)


@transaction.atomic
def do_update_delivery(delivery: Delivery, data: Mapping[str, Any], *, actor: Actor) -> Delivery:
    require(actor, Perm.RECORD_SERVICES, delivery.organisation_id)
    fresh = Delivery.objects.select_for_update().get(pk=delivery.pk)
    # The line as it is now must be the actor's to change, and as it will be too.
    _check_actor(actor, Delivery.objects.get(pk=delivery.pk))
    candidate = Delivery.objects.get(pk=delivery.pk)
    unknown = set(data) - set(LINE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for key, value in data.items():
        setattr(candidate, key, value)
    _check_line(candidate, actor=actor, exclude_pk=delivery.pk)
    changes = {name: getattr(candidate, name) for name in LINE_FIELDS + ("list", "tariff", "amount")}
    before = aggregates.keys_of(fresh)
    update_object(fresh, changes, actor=actor)
    aggregates.refresh_keys(before.add(fresh))  # the line's keys before and after: it may have moved
    return fresh


@transaction.atomic
def do_delete_delivery(delivery: Delivery, *, actor: Actor) -> None:
    """Delete a line of the journal; the only line of an act of urgent services is refused (delete the act)."""
    if delivery.urgent_act_id is not None:
        others = Delivery.objects.filter(urgent_act_id=delivery.urgent_act_id).exclude(pk=delivery.pk).count()
        refusal = rules.check_act_keeps_a_line(True, others)
        if refusal is not None:
            raise _refused(refusal)
    _delete_line(delivery, actor=actor)


def _delete_line(delivery: Delivery, *, actor: Actor) -> None:
    require(actor, Perm.RECORD_SERVICES, delivery.organisation_id)
    _check_actor(actor, Delivery.objects.get(pk=delivery.pk))
    keys = aggregates.keys_of(Delivery.objects.get(pk=delivery.pk))
    delete_object(delivery, actor=actor)
    aggregates.refresh_keys(keys)


# --- several lines at once -----------------------------------------------------------------------------------

def _visit_department(recipient: Recipient, day: datetime.date, actor: Actor) -> Department:
    enrolments = [e for e in queries.caseload_on(actor, recipient.organisation_id, day)
                  if e.recipient_id == recipient.pk]
    if not enrolments:
        raise ValidationError({"recipient": _("%(name)s is not enrolled in your departments on %(date)s.") % {
            "name": recipient.full_name, "date": f"{day:%d.%m.%Y}"}})
    departments = {e.department_id: e.department for e in enrolments}
    if len(departments) > 1:
        raise ValidationError({"department": _("Choose the department: the person is enrolled in several.")})
    return next(iter(departments.values()))


@transaction.atomic
def do_record_visit(recipient: Recipient, date: datetime.date, lines: Iterable[Mapping[str, Any]], *,
                    actor: Actor, department: Department | None = None) -> list[Delivery]:
    """Record a visit: several lines for one person on one day, all or nothing.

    Each line: service, quantity, and optionally worker, department, over_volume_reason. Lines are
    checked in order, each counting the ones before it against the programme's volume; when any line
    fails, nothing is saved and LinesError tells which line failed and why.
    """
    require(actor, Perm.RECORD_SERVICES, recipient.organisation_id)
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("Enter the quantity of at least one service.")})
    if department is None and not all(line.get("department") for line in lines):
        department = _visit_department(recipient, date, actor)
    saved: list[Delivery] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, data in enumerate(lines):
        values = {"department": department, **data, "recipient": recipient, "date": date}
        try:  # a refused line wrote nothing (_check_line reads; _save_line undoes its own failed save)
            saved.append(_save_line(_check_line(_new_line(recipient.organisation_id, values), actor=actor),
                                    actor=actor))
        except ValidationError as exc:
            errors[index] = _messages(exc)
    if errors:
        raise LinesError(errors)
    return saved


def grid_cells(recipient: Recipient, department_id: int, month: datetime.date) -> dict[tuple[int, int],
                                                                                          list[Delivery]]:
    """The month's journal lines of a person in a department (urgent acts aside), by (service, day)."""
    start, end = month_bounds(month)
    cells: dict[tuple[int, int], list[Delivery]] = defaultdict(list)
    for d in Delivery.objects.filter(recipient_id=recipient.pk, department_id=department_id,
                                     date__range=(start, end), urgent_act__isnull=True).order_by("seq", "id"):
        cells[(d.service_id, d.date.day)].append(d)
    return cells


@transaction.atomic
def do_apply_grid(recipient: Recipient, department: Department, month: datetime.date,
                  cells: Mapping[tuple[int, int], int], *, actor: Actor,
                  reasons: Mapping[int, str] | None = None) -> dict[str, int]:
    """Make the month's journal of a person match a grid of quantities (service, day) → quantity.

    Only the cells given are touched: a cell emptied removes its line, a changed one changes it, a new one
    adds a line. Decreases are applied before increases so that the volume they free can be used. All or
    nothing: when a cell fails, nothing changes and LinesError names the cell ("service_id-day").
    """
    require(actor, Perm.RECORD_SERVICES, recipient.organisation_id)
    reasons = reasons or {}
    start, end = month_bounds(month)
    existing = grid_cells(recipient, department.pk, start)
    employee = queries.worker_of(actor, recipient.organisation_id)
    services = {s.pk: s for s in department.organisation.services.filter(pk__in={k[0] for k in cells})}
    changes: list[tuple[int, tuple[int, int], int]] = []
    errors: dict[str, dict[str, list[str]]] = {}
    for key, quantity in cells.items():
        service_id, day = key
        old = sum(d.quantity for d in existing.get(key, []))
        if quantity == old:
            continue
        if quantity < 0:
            errors[f"{service_id}-{day}"] = {"quantity": [rules.quantity_message()]}
            continue
        if not 1 <= day <= end.day or service_id not in services:
            errors[f"{service_id}-{day}"] = {"service": [_("Unknown service or day.")]}
            continue
        changes.append((quantity - old, key, quantity))
    counts = {"added": 0, "changed": 0, "removed": 0}
    for _delta, key, quantity in sorted(changes, key=lambda c: c[0]):
        service_id, day = key
        lines = existing.get(key, [])
        date = start.replace(day=day)
        reason = reasons.get(service_id, "")
        try:
            with transaction.atomic():
                if quantity == 0:
                    for d in lines:
                        do_delete_delivery(d, actor=actor)
                    counts["removed"] += len(lines)
                elif lines:
                    rest = sum(d.quantity for d in lines[1:])
                    if quantity - rest < 1:
                        raise ValidationError({"quantity": _(
                            "This cell holds several lines of the journal: change them in the journal.")})
                    data: dict[str, Any] = {"quantity": quantity - rest}
                    if reason:
                        data["over_volume_reason"] = reason
                    do_update_delivery(lines[0], data, actor=actor)
                    counts["changed"] += 1
                else:
                    worker = employee
                    if worker is None:
                        enrolment = enrolment_on(recipient.pk, department.pk, date)
                        worker = enrolment.worker_id if enrolment else None
                    line = _new_line(recipient.organisation_id, {
                        "recipient": recipient, "department": department, "service": services[service_id],
                        "date": date, "quantity": quantity, "over_volume_reason": reason,
                        "worker": Employee.objects.filter(pk=worker).first() if worker else None})
                    _save_line(_check_line(line, actor=actor), actor=actor)
                    counts["added"] += 1
        except ValidationError as exc:
            errors[f"{service_id}-{day}"] = _messages(exc)
    if errors:
        raise LinesError(errors, prefix="cells")
    return counts


# --- urgent services -----------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^(\d+)/(\d{4})$")


def _next_number(model: type[UrgentAct] | type[MonthlyAct], organisation_id: int, year: int) -> str:
    hold_numbering(organisation_id)  # until the act is saved: no one else takes the same number meanwhile
    numbers = model.objects.filter(organisation_id=organisation_id, number__endswith=f"/{year}").values_list(
        "number", flat=True)
    last = max((int(m.group(1)) for m in map(_NUMBER.match, numbers) if m), default=0)
    return f"{last + 1}/{year}"


@transaction.atomic
def do_create_urgent_act(recipient: Recipient, data: Mapping[str, Any], lines: Iterable[Mapping[str, Any]], *,
                         actor: Actor) -> UrgentAct:
    """An act of urgent social services with its lines: no programme, no enrolment needed; the urgent and basic
    services are free, an additional service is paid at its tariff of the day.

    `data`: department, date, worker (optional), situation. Each line: service, quantity.
    """
    org_id = recipient.organisation_id
    require(actor, Perm.RECORD_SERVICES, org_id)
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("Enter the quantity of at least one service.")})
    act = UrgentAct(organisation_id=org_id, recipient=recipient, **data)
    errors: dict[str, str] = {}
    if act.department_id is None:
        errors["department"] = _("This field is required.")
    elif act.department.organisation_id != org_id:
        errors["department"] = rules.other_organisation("department").message
    if act.worker is not None and act.worker.organisation_id != org_id:
        errors["worker"] = rules.other_organisation("worker").message
    refusal = rules.check_date(act.date, timezone.localdate())
    if refusal is not None:
        errors[refusal.field] = refusal.message
    if errors:
        raise ValidationError(errors)
    employee = queries.worker_of(actor, org_id)
    if employee is not None and act.worker_id is None:
        act.worker_id = employee
    act.number = _next_number(UrgentAct, org_id, act.date.year)
    create_object(act, actor=actor)
    line_errors: dict[int, dict[str, list[str]]] = {}
    for index, line_data in enumerate(lines):
        values = {**line_data, "recipient": recipient, "department": act.department, "date": act.date,
                  "worker": act.worker, "urgent_act": act}
        try:  # as in do_record_visit
            _save_line(_check_line(_new_line(org_id, values), actor=actor), actor=actor)
        except ValidationError as exc:
            line_errors[index] = _messages(exc)
    if line_errors:
        raise LinesError(line_errors)
    return act


@transaction.atomic
def do_delete_urgent_act(act: UrgentAct, *, actor: Actor) -> None:
    require(actor, Perm.RECORD_SERVICES, act.organisation_id)
    for line in list(act.deliveries.all()):
        _delete_line(line, actor=actor)
    delete_object(act, actor=actor)


# --- monthly acts --------------------------------------------------------------------------------------------

@transaction.atomic
def do_issue_monthly_act(recipient: Recipient, department: Department, month: datetime.date, *,
                         actor: Actor) -> MonthlyAct:
    """The monthly act's row (its number): created the first time, returned as it is afterwards."""
    require(actor, Perm.RECORD_SERVICES, recipient.organisation_id)
    start, _end = month_bounds(month)
    existing = queries.monthly_act_row(recipient, department.pk, start)
    if existing is not None:
        return existing
    if department.organisation_id != recipient.organisation_id:
        raise ValidationError({"department": rules.other_organisation("department").message})
    if start > timezone.localdate():
        raise ValidationError({"month": _("The month has not begun yet.")})
    if not queries.monthly_act_lines(recipient, department.pk, start).lines:
        raise ValidationError({"month": _("No services were delivered to this person in this month.")})
    act = MonthlyAct(organisation_id=recipient.organisation_id, recipient=recipient, department=department,
                     month=start, number=_next_number(MonthlyAct, recipient.organisation_id, start.year))
    return create_object(act, actor=actor)


@transaction.atomic
def do_sign_monthly_act(act: MonthlyAct, signed_on: datetime.date, *, actor: Actor) -> MonthlyAct:
    """Record the day the recipient signed the act."""
    require(actor, Perm.RECORD_SERVICES, act.organisation_id)
    if signed_on is None:
        raise ValidationError({"signed_on": _("Enter the date.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    if signed_on < act.month:
        raise ValidationError({"signed_on": _("The act cannot be signed before its month begins.")})
    return update_object(MonthlyAct.objects.get(pk=act.pk), {"signed_on": signed_on}, actor=actor)
