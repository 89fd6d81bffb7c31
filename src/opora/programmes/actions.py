"""Every write of programmes and contracts: do_*(…, *, actor), atomic, audited.

Programme data (``data``) keys: number, drawn_up_on, valid_from, valid_to, form, department, provider, review_on,
care_level, weekly_hours, days_per_week, visits_per_day, support_measures, application. Items: a list of mappings
with service (a catalogue.Service or its id), volume, period (week/month/term), periodicity, conditions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.catalogue.models import Service
from opora.core.actions import create_object, require, update_object
from opora.core.reference import DischargeReason, Form, ServiceList
from opora.intake.models import ApplicationStatus
from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.org.models import Department
from opora.org.queries import hold_numbering
from opora.people.actions import do_discharge, do_enrol, refresh_status
from opora.people.models import Enrolment, Recipient
from opora.people.queries import recipients_for
from opora.programmes import queries, rules
from opora.programmes.models import (
    Contract,
    ContractAmendment,
    Payment,
    Programme,
    ProgrammeItem,
    ProgrammeStatus,
    Termination,
    VolumePeriod,
)
from opora.programmes.signals import termination_undone

PROGRAMME_FIELDS = ("number", "drawn_up_on", "valid_from", "valid_to", "form", "department", "provider",
                    "review_on", "care_level", "weekly_hours", "days_per_week", "visits_per_day", "support_measures")
CONTRACT_FIELDS = ("number", "signed_on", "valid_from", "valid_to", "payment", "monthly_fee", "fee_decision",
                   "signatory")


def _today() -> datetime.date:
    return timezone.localdate()


def _check_recipient(actor: Actor, recipient: Recipient) -> None:
    if not recipients_for(actor, Perm.EDIT_CASEWORK).filter(pk=recipient.pk).exists():
        raise DomainError(_("This person is not among the people you may see."), field="recipient")


def _check_department(actor: Actor, organisation_id: int, department: Department | None) -> None:
    if department is None:
        raise DomainError(_("Choose the department."), field="department")
    if department.organisation_id != organisation_id:
        raise DomainError(_("The department belongs to another organisation."), field="department")
    grants = [g for g in actor.grants_with(Perm.EDIT_CASEWORK) if g.organisation_id == organisation_id]
    if grants and all(actor.is_department_bound(g) and department.pk not in g.department_ids for g in grants):
        raise DomainError(_("You can draw up programmes only in your own departments."), field="department")


def _check_term(programme: Programme) -> None:
    if programme.valid_to < programme.valid_from:
        raise DomainError(_("The programme cannot end before it starts."), field="valid_to")
    last = rules.latest_end(programme.valid_from)
    if programme.valid_to > last:
        raise DomainError(
            _("A programme is drawn up for at most 3 years: it may end on %(last)s at the latest.")
            % {"last": fmt_day(last)}, field="valid_to")
    if programme.review_on is not None:
        if programme.review_on < programme.valid_from:
            raise DomainError(_("The review date cannot be before the programme starts."), field="review_on")
        review_by = rules.review_deadline(programme.valid_from)
        if programme.review_on > review_by:
            raise DomainError(_("A programme is reviewed at least every 3 years: review it by %(last)s at the "
                                "latest.") % {"last": fmt_day(review_by)}, field="review_on")


def _clean_items(organisation_id: int, items: Iterable[Mapping[str, Any]]) -> list[ProgrammeItem]:
    """Validate the services of a programme: the organisation's active basic services, volume ≥ 1 per week,
    month or term, each service once."""
    result: list[ProgrammeItem] = []
    rows = list(items)
    ids = {r["service"].pk if isinstance(r.get("service"), Service) else r.get("service") for r in rows}
    services = {s.pk: s for s in Service.objects.filter(organisation_id=organisation_id, pk__in=[
        i for i in ids if isinstance(i, int)])}
    seen: set[int] = set()
    for n, row in enumerate(rows, start=1):
        raw = row.get("service")
        service = services.get(raw.pk if isinstance(raw, Service) else raw)  # type: ignore[arg-type]
        if service is None:
            raise DomainError(_("Row %(n)s: choose a service of the organisation's catalogue.") % {"n": n},
                              field="items")
        if not service.is_active:
            raise DomainError(_("Row %(n)s: the service %(service)s is no longer provided.")
                              % {"n": n, "service": service.name}, field="items")
        if service.list != ServiceList.BASIC:
            raise DomainError(_("Row %(n)s: %(service)s is an additional service; additional services are paid at "
                                "the tariff beyond the programme.") % {"n": n, "service": service.name},
                              field="items")
        if service.pk in seen:
            raise DomainError(_("Row %(n)s: the service %(service)s is already in the programme.")
                              % {"n": n, "service": service.name}, field="items")
        seen.add(service.pk)
        try:
            volume = int(row.get("volume") or 0)
        except (TypeError, ValueError):
            volume = 0
        if volume < 1:
            raise DomainError(_("Row %(n)s: the volume must be a whole number of 1 or more.") % {"n": n},
                              field="items")
        period = row.get("period") or VolumePeriod.MONTH
        if period not in VolumePeriod.values:
            raise DomainError(_("Row %(n)s: the volume is counted a week, a month or for the whole term.")
                              % {"n": n}, field="items")
        result.append(ProgrammeItem(service=service, volume=volume, period=period,
                                    periodicity=(row.get("periodicity") or "").strip()[:200],
                                    conditions=(row.get("conditions") or "").strip()[:300]))
    if not result:
        raise DomainError(_("Add at least one service to the programme."), field="items")
    return result


def _save(programme: Programme, items: list[ProgrammeItem], actor: Actor) -> Programme:
    try:
        create_object(programme, actor=actor)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
            raise DomainError(_("A programme with this number is already registered."), field="number") from exc
        raise
    for item in items:
        item.programme = programme
        create_object(item, actor=actor)
    programme.warnings = late_warnings(programme)  # type: ignore[attr-defined]
    return programme


def late_warnings(programme: Programme) -> list[str]:
    """A warning when the programme is drawn up later than 10 working days after the decision on need."""
    deadline = queries.drawing_up_deadline(programme)
    if deadline is not None and rules.drawn_up_late(programme.drawn_up_on, deadline):
        return [_("The programme was drawn up on %(drawn)s, later than the 10 working days after the decision "
                  "(by %(deadline)s).") % {"drawn": fmt_day(programme.drawn_up_on), "deadline": fmt_day(deadline)}]
    return []


@transaction.atomic
def do_create_programme(recipient: Recipient, data: Mapping[str, Any], items: Iterable[Mapping[str, Any]], *,
                        actor: Actor) -> Programme:
    """Draw up a person's programme, from a recognised application (``data["application"]``) or directly.

    From an application, the form and department default to the decision's, and the level of care need and
    the weekly package to the latest assessment's. The number defaults to the next of the organisation and year
    (``2020-17``), the dates: drawn up today, valid from the day it is drawn up, review on the last day. The
    provider defaults to the organisation's name. The returned programme has ``warnings`` (a list of messages)
    when it is drawn up later than 10 working days after the decision.
    """
    organisation = recipient.organisation
    require(actor, Perm.EDIT_CASEWORK, organisation.pk)
    _check_recipient(actor, recipient)
    values = {k: v for k, v in data.items() if k in PROGRAMME_FIELDS and v not in (None, "")}
    application = data.get("application")
    if application is not None:
        if application.organisation_id != organisation.pk or application.recipient_id != recipient.pk:
            raise DomainError(_("The application concerns another person."), field="application")
        if application.status != ApplicationStatus.RECOGNISED:
            raise DomainError(_("A programme is drawn up only after the person is recognised as needing "
                                "service."), field="application")
        values.setdefault("form", application.decided_form or application.requested_form)
        values.setdefault("department", application.department)
        assessment = application.assessments.order_by("-examined_on", "-id").first()
        if assessment is not None:
            values.setdefault("care_level", assessment.care_level)
            values.setdefault("weekly_hours", assessment.weekly_hours)
    _check_department(actor, organisation.pk, values.get("department"))
    if not values.get("form"):
        raise DomainError(_("Choose the form of service."), field="form")
    if values["form"] == Form.URGENT:
        raise DomainError(_("Urgent services are given without a programme."), field="form")
    values.setdefault("drawn_up_on", _today())
    values.setdefault("valid_from", values["drawn_up_on"])
    if "valid_to" not in values:
        raise DomainError(_("Give the last day of the programme."), field="valid_to")
    values.setdefault("review_on", values["valid_to"])
    values.setdefault("provider", organisation.name)
    programme = Programme(organisation=organisation, recipient=recipient, application=application, version=1,
                          status=ProgrammeStatus.ACTIVE, **values)
    _check_term(programme)
    clean_items = _clean_items(organisation.pk, items)
    overlapping = Programme.objects.filter(
        recipient=recipient, department=programme.department, status=ProgrammeStatus.ACTIVE,
        valid_from__lte=programme.valid_to, valid_to__gte=programme.valid_from).first()
    if overlapping is not None:
        raise DomainError(_("The person already has programme %(number)s in this department for these dates: "
                            "revise it or close it first.") % {"number": overlapping.number}, field="valid_from")
    hold_numbering(organisation.pk)  # numbers are per organisation and year
    number = str(values.get("number") or "").strip()
    if not number:
        number = queries.next_programme_number(organisation.pk, programme.drawn_up_on.year)
    elif Programme.objects.filter(organisation=organisation, number=number).exists():
        raise DomainError(_("A programme with this number is already registered."), field="number")
    programme.number = number
    return _save(programme, clean_items, actor)


@transaction.atomic
def do_revise_programme(programme: Programme, data: Mapping[str, Any], items: Iterable[Mapping[str, Any]] | None,
                        *, actor: Actor) -> Programme:
    """A new version of the programme when need changes: same number, version + 1, ``previous`` = the old one,
    which becomes superseded. Fields not given are copied from the old version (``items`` None copies its
    services). The new version applies from its ``valid_from`` (default: the day it is drawn up, today)."""
    require(actor, Perm.EDIT_CASEWORK, programme.organisation_id)
    old = Programme.objects.select_for_update().get(pk=programme.pk)
    if old.status != ProgrammeStatus.ACTIVE:
        raise DomainError(_("Only the programme in force can be revised; this version is %(status)s.")
                          % {"status": old.get_status_display()}, field="status")
    _check_recipient(actor, old.recipient)
    values = {k: v for k, v in data.items() if k in PROGRAMME_FIELDS and k != "number" and v not in (None, "")}
    copied = {f: getattr(old, f) for f in PROGRAMME_FIELDS if f not in ("number", "drawn_up_on", "valid_from",
                                                                         "review_on")}
    copied.update(values)
    copied.setdefault("drawn_up_on", _today())
    copied.setdefault("valid_from", max(copied["drawn_up_on"], old.valid_from))
    copied.setdefault("review_on", old.review_on if old.review_on and old.review_on >= copied["valid_from"]
                      else copied["valid_to"])
    _check_department(actor, old.organisation_id, copied.get("department"))
    if copied["form"] == Form.URGENT:
        raise DomainError(_("Urgent services are given without a programme."), field="form")
    new = Programme(organisation_id=old.organisation_id, recipient=old.recipient, application=old.application,
                    number=old.number, version=old.version + 1, previous=old, status=ProgrammeStatus.ACTIVE,
                    **copied)
    if new.valid_from < old.valid_from:
        raise DomainError(_("A new version cannot start before the version it replaces (%(day)s).")
                          % {"day": fmt_day(old.valid_from)}, field="valid_from")
    _check_term(new)
    if items is None:
        items = [{"service": i.service, "volume": i.volume, "period": i.period, "periodicity": i.periodicity,
                  "conditions": i.conditions} for i in old.items.select_related("service")]
    clean_items = _clean_items(old.organisation_id, items)
    update_object(old, {"status": ProgrammeStatus.SUPERSEDED}, actor=actor)
    return _save(new, clean_items, actor)


@transaction.atomic
def do_close_programme(programme: Programme, closed_on: datetime.date | None = None, *, actor: Actor) -> Programme:
    """Close the programme in force (its service ends): status closed; ``closed_on`` (default today, or the end
    of its term if that came first) is the last day services count under it."""
    require(actor, Perm.EDIT_CASEWORK, programme.organisation_id)
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    if current.status != ProgrammeStatus.ACTIVE:
        raise DomainError(_("Only the programme in force can be closed; this version is %(status)s.")
                          % {"status": current.get_status_display()}, field="status")
    closed_on = min(closed_on or _today(), current.valid_to)
    first = min(v.valid_from for v in queries.versions_of(current))
    if closed_on < first:
        raise DomainError(_("The programme cannot be closed before it starts (%(day)s).") % {"day": fmt_day(first)},
                          field="closed_on")
    return update_object(current, {"status": ProgrammeStatus.CLOSED, "closed_on": closed_on}, actor=actor)


# --- contracts -------------------------------------------------------------------------------------------------

def _decimal(value: Any, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(_("Enter an amount."), field=field) from exc
    if result < 0:
        raise DomainError(_("The amount cannot be negative."), field=field)
    return result.quantize(Decimal("0.01"))


def _latest_fee_decision(programme: Programme) -> Any:
    """The latest fee decision on any version of the programme, None without one. Read through the relation
    ``Programme.fee_decisions``: programmes do not import billing (billing depends on programmes)."""
    versions = (Programme.objects.filter(organisation_id=programme.organisation_id, number=programme.number)
                .prefetch_related("fee_decisions"))
    decisions = [d for version in versions for d in version.fee_decisions.all()]
    return max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)


def _remap(exc: ValidationError, names: Mapping[str, str]) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})
    return exc


@transaction.atomic
def do_sign_contract(programme: Programme, data: Mapping[str, Any], *, actor: Actor) -> Contract:
    """Sign the contract on the programme in force, and admit the person to service.

    - number: given, or the next of the organisation and year (``Д-2020-17``); signed_on default today;
      valid_from (default signed_on) not before the programme starts; valid_to default the programme's end;
    - payment and monthly fee: from the latest fee decision on the programme when there is one (fee 0 → free,
      fee ≥ the cost → paid, else partly paid), otherwise as given (payment required; a fee for paid terms);
    - the person is admitted (people's do_enrol) to the programme's department in its form on valid_from, with
      ``worker`` if given; an open enrolment there without a contract is linked instead of a second one;
    - one open contract per programme.
    """
    require(actor, Perm.EDIT_CASEWORK, programme.organisation_id)
    programme = Programme.objects.select_for_update(of=("self",)).select_related("recipient", "department").get(
        pk=programme.pk)
    _check_recipient(actor, programme.recipient)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise DomainError(_("A contract is signed on the programme in force; this version is %(status)s.")
                          % {"status": programme.get_status_display()}, field="programme")
    existing = queries.open_contract_of(programme)
    if existing is not None:
        raise DomainError(_("The programme already has contract %(number)s in force.") % {"number": existing.number},
                          field="programme")
    values = {k: v for k, v in data.items() if k in CONTRACT_FIELDS and v not in (None, "")}
    signed_on = values.setdefault("signed_on", _today())
    valid_from = values.setdefault("valid_from", signed_on)
    if valid_from < programme.valid_from:
        raise DomainError(_("The contract cannot start before the programme (%(day)s).")
                          % {"day": fmt_day(programme.valid_from)}, field="valid_from")
    if valid_from > programme.valid_to:
        raise DomainError(_("The contract cannot start after the programme ends (%(day)s).")
                          % {"day": fmt_day(programme.valid_to)}, field="valid_from")
    values.setdefault("valid_to", programme.valid_to)
    decision = values.get("fee_decision") or _latest_fee_decision(programme)
    if decision is not None:
        if decision.recipient_id != programme.recipient_id:
            raise DomainError(_("The fee decision concerns another person."), field="fee_decision")
        values["fee_decision"] = decision
        values["monthly_fee"] = decision.fee
        values["payment"] = rules.payment_for_fee(decision.fee, decision.programme_cost)
    else:
        if not values.get("payment"):
            raise DomainError(_("Choose the payment terms (there is no fee decision on this programme)."),
                              field="payment")
        if values["payment"] not in Payment.values:
            raise DomainError(_("Unknown payment terms."), field="payment")
        values["monthly_fee"] = _decimal(values.get("monthly_fee", 0), "monthly_fee")
        if values["payment"] != Payment.FREE and values["monthly_fee"] == 0:
            raise DomainError(_("Give the monthly fee for paid or partly paid service."), field="monthly_fee")
    values.setdefault("signatory", queries.director_name(programme.organisation_id))
    hold_numbering(programme.organisation_id)
    number = str(values.pop("number", "") or "").strip()
    if not number:
        number = queries.next_contract_number(programme.organisation_id, signed_on.year)
    elif Contract.objects.filter(organisation_id=programme.organisation_id, number=number).exists():
        raise DomainError(_("A contract with this number is already registered."), field="number")

    enrolment = Enrolment.objects.filter(recipient=programme.recipient, department=programme.department,
                                         discharged_on__isnull=True).first()
    if enrolment is not None and Contract.objects.filter(enrolment=enrolment).exists():
        raise DomainError(_("The person is already on service in this department under another contract."),
                          field="programme")
    if enrolment is None:
        enrol = {"department": programme.department, "form": programme.form, "admitted_on": valid_from}
        if data.get("worker") is not None:
            enrol["worker"] = data["worker"]
        try:
            enrolment = do_enrol(programme.recipient, enrol, actor=actor)
        except ValidationError as exc:
            raise _remap(exc, {"admitted_on": "valid_from", "department": "programme"}) from exc
    contract = Contract(organisation_id=programme.organisation_id, recipient=programme.recipient,
                        programme=programme, enrolment=enrolment, number=number, **values)
    return create_object(contract, actor=actor)


@transaction.atomic
def do_amend_contract(contract: Contract, data: Mapping[str, Any], *, actor: Actor) -> ContractAmendment:
    """An additional agreement: numbered 1, 2, … within the contract; ``description`` says what changes; it may
    set new payment terms and fee (from ``fee_decision`` when given) from its ``valid_from``."""
    require(actor, Perm.EDIT_CASEWORK, contract.organisation_id)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.terminated_on is not None:
        raise DomainError(_("The contract was terminated on %(day)s.") % {"day": fmt_day(contract.terminated_on)},
                          field="contract")
    description = str(data.get("description") or "").strip()
    if not description:
        raise DomainError(_("Describe what the amendment changes."), field="description")
    signed_on = data.get("signed_on") or _today()
    valid_from = data.get("valid_from") or signed_on
    if valid_from < contract.valid_from:
        raise DomainError(_("An amendment cannot apply before the contract starts (%(day)s).")
                          % {"day": fmt_day(contract.valid_from)}, field="valid_from")
    payment = data.get("payment") or ""
    fee = data.get("monthly_fee")
    decision = data.get("fee_decision")
    if decision is not None:
        if decision.recipient_id != contract.recipient_id:
            raise DomainError(_("The fee decision concerns another person."), field="fee_decision")
        fee = decision.fee
        payment = rules.payment_for_fee(decision.fee, decision.programme_cost)
    if payment and payment not in Payment.values:
        raise DomainError(_("Unknown payment terms."), field="payment")
    if fee is not None and fee != "":
        fee = _decimal(fee, "monthly_fee")
        if not payment:
            current = queries.terms_in_force(contract, valid_from).payment
            payment = Payment.FREE if fee == 0 else (current if current != Payment.FREE else Payment.PARTLY_PAID)
    else:
        fee = None
    if payment == Payment.FREE:
        if fee not in (None, Decimal("0")):
            raise DomainError(_("A free contract has no fee."), field="monthly_fee")
        fee = Decimal("0.00")
    elif payment and fee is None:
        fee = queries.terms_in_force(contract, valid_from).monthly_fee
        if not fee:
            raise DomainError(_("Give the monthly fee for paid or partly paid service."), field="monthly_fee")
    number = (contract.amendments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    amendment = ContractAmendment(contract=contract, number=number, signed_on=signed_on, valid_from=valid_from,
                                  description=description, payment=payment, monthly_fee=fee, fee_decision=decision)
    create_object(amendment, actor=actor)
    return amendment


def _user_of(actor: Actor) -> Any:
    user = actor.user
    return user if getattr(user, "pk", None) else None


def termination_problem(contract: Contract, terminated_on: datetime.date) -> DomainError | None:
    """What is wrong with terminating the contract on the day (the checks of do_terminate_contract, without
    writing): shown on the step before confirmation."""
    if terminated_on < contract.valid_from:
        return DomainError(_("The contract cannot be terminated before it starts (%(day)s).")
                           % {"day": fmt_day(contract.valid_from)}, field="terminated_on")
    if terminated_on > _today():
        return DomainError(_("The date of termination cannot be in the future."), field="terminated_on")
    return None


@transaction.atomic
def do_terminate_contract(contract: Contract, terminated_on: datetime.date | None, reason: str, *,
                          actor: Actor) -> Contract:
    """Terminate the contract with a statutory reason: the linked enrolment is discharged the same day with the
    same reason (people's do_discharge; for death every open enrolment) and the programme closed — all or
    nothing. What it changed is kept (``Termination``) so that a director can undo it (do_undo_termination)."""
    require(actor, Perm.EDIT_CASEWORK, contract.organisation_id)
    contract = Contract.objects.select_for_update(of=("self",)).select_related("programme", "enrolment").get(
        pk=contract.pk)
    if contract.terminated_on is not None:
        raise DomainError(_("The contract was already terminated on %(day)s.")
                          % {"day": fmt_day(contract.terminated_on)}, field="terminated_on")
    if not reason or reason not in DischargeReason.values:
        raise DomainError(_("Choose the reason for termination."), field="reason")
    if terminated_on is None:
        raise DomainError(_("Give the date of termination."), field="terminated_on")
    problem = termination_problem(contract, terminated_on)
    if problem is not None:
        raise problem
    enrolment = contract.enrolment
    open_before = set(Enrolment.objects.filter(recipient_id=contract.recipient_id, discharged_on__isnull=True)
                      .values_list("pk", flat=True))
    update_object(contract, {"terminated_on": terminated_on, "termination_reason": reason}, actor=actor)
    if enrolment is not None and enrolment.discharged_on is None:
        try:
            do_discharge(enrolment, discharged_on=terminated_on, reason=reason, actor=actor)
        except ValidationError as exc:
            raise _remap(exc, {"discharged_on": "terminated_on", "discharge_reason": "reason"}) from exc
    still_open = set(Enrolment.objects.filter(pk__in=open_before, discharged_on__isnull=True)
                     .values_list("pk", flat=True))
    current = queries.current_version(contract.programme)
    closed = None
    if current.status == ProgrammeStatus.ACTIVE:
        closed = do_close_programme(current, min(terminated_on, current.valid_to), actor=actor)
    create_object(Termination(organisation_id=contract.organisation_id, contract=contract,
                              terminated_on=terminated_on, reason=reason, done_by=_user_of(actor),
                              enrolment_ids=sorted(open_before - still_open), programme=closed), actor=actor)
    contract.refresh_from_db()
    return contract


@transaction.atomic
def do_undo_termination(contract: Contract, reason: str, *, actor: Actor) -> Contract:
    """Undo a termination made by mistake (a director, with the reason, audited): the contract is in force again,
    the enrolments the termination discharged are open again and the programme version it closed is in force
    again — exactly as before; the charges of the months already charged after the termination are recomputed by
    billing (programmes.signals.termination_undone → billing.actions.recompute_after_undo), as if the contract had
    not been terminated, and their messages are in the returned contract's ``undo_notes``. Refused when something
    has happened since that the undo would contradict (a new contract on the programme, a new admission to the same
    department)."""
    require(actor, Perm.UNDO_TERMINATION, contract.organisation_id)
    contract = Contract.objects.select_for_update(of=("self",)).get(pk=contract.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the termination is undone."), field="reason")
    if contract.terminated_on is None:
        raise DomainError(_("The contract is not terminated."), field="contract")
    termination = contract.terminations.filter(undone_at__isnull=True).order_by("-done_at", "-id").first()
    if termination is None or termination.terminated_on != contract.terminated_on:
        raise DomainError(_("This termination was not made in Opora (it was imported): correct it in the source "
                            "it came from."), field="contract")
    programme = termination.programme
    if programme is not None:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.status != ProgrammeStatus.CLOSED:
            raise DomainError(_("The programme was changed after the termination (%(status)s): it cannot be "
                                "restored.") % {"status": programme.get_status_display()}, field="contract")
        other = queries.open_contract_of(programme)
        if other is not None and other.pk != contract.pk:
            raise DomainError(_("The programme has a new contract %(number)s: the termination cannot be undone.")
                              % {"number": other.number}, field="contract")
    enrolments = list(Enrolment.objects.select_for_update().select_related("department")
                      .filter(pk__in=termination.enrolment_ids))
    for enrolment in enrolments:
        if enrolment.discharged_on is None:
            continue
        if Enrolment.objects.filter(recipient_id=enrolment.recipient_id, department_id=enrolment.department_id,
                                    discharged_on__isnull=True).exclude(pk=enrolment.pk).exists():
            raise DomainError(_("The person was admitted to %(department)s again after the termination: the "
                                "termination cannot be undone.") % {"department": enrolment.department.name},
                              field="contract")
    update_object(contract, {"terminated_on": None, "termination_reason": ""}, actor=actor)
    for enrolment in enrolments:
        if enrolment.discharged_on is not None:
            update_object(enrolment, {"discharged_on": None, "discharge_reason": ""}, actor=actor)
    if programme is not None:
        update_object(programme, {"status": ProgrammeStatus.ACTIVE, "closed_on": None}, actor=actor)
    refresh_status(Recipient.objects.get(pk=contract.recipient_id))
    # the other apps' part (billing recomputes the months already charged after the termination), in this transaction
    answers = termination_undone.send(sender=Contract, contract=contract, terminated_on=termination.terminated_on,
                                      actor=actor)
    notes = [str(note) for _receiver, answer in answers for note in answer or []]
    update_object(termination, {"undone_at": timezone.now(), "undone_by": _user_of(actor), "undo_reason": reason},
                  actor=actor)
    contract.refresh_from_db()
    contract.undo_notes = notes  # type: ignore[attr-defined]
    return contract
