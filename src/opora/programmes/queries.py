"""Reads of programmes and contracts, scoped to who asks; and the lookups other apps use.

Used elsewhere:
- delivery: :func:`active_programme_on` (which programme version, hence which basic services, applies on a day);
- billing: :func:`programme_monthly_cost` and :func:`fee_in_force` / :func:`terms_in_force`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.reference import DepartmentKind
from opora.core.scoping import any_of
from opora.lib.db import run_prepared
from opora.lib.formats import short_name
from opora.org.calendar import calendar_for
from opora.org.models import Department, Employee
from opora.people.models import Enrolment, Recipient
from opora.people.queries import consent_warning, recipients_for
from opora.programmes import rules
from opora.programmes.models import (
    Contract,
    Programme,
    ProgrammeItem,
    ProgrammeStatus,
    Termination,
)

ZERO = Decimal("0")


def warnings_to_confirm(recipient: Recipient, day: datetime.date) -> list[str]:
    """What a user confirms before drawing up a programme or signing a contract for the person (issue 11): no
    consent to personal-data processing on file. The page and the API ask this one function."""
    return consent_warning(recipient, day)


# --- scope -----------------------------------------------------------------------------------------------------

def _scope(actor: Actor, perm: str) -> Q:
    """Programmes of the people the actor may see for ``perm``; department-bound roles (heads, social workers)
    only in their own departments."""
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        people = recipients_for(Actor(user=actor.user, grants=[g]), perm).values("pk")
        part = Q(organisation_id=g.organisation_id, recipient_id__in=people)
        if actor.is_department_bound(g):
            part &= Q(department_id__in=g.department_ids)
        parts.append(part)
    return any_of(parts)


def programmes_for(actor: Actor, org_id: int | None = None, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[Programme]:
    """Programmes of the people the actor may see (people.queries.recipients_for), in their departments for
    department heads and social workers; optionally only in one organisation."""
    qs = Programme.objects.filter(_scope(actor, perm))
    if org_id is not None:
        qs = qs.filter(organisation_id=org_id)
    return qs


def get_programme_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Programme:
    qs = programmes_for(actor, perm=perm).select_related("recipient", "department", "organisation", "application",
                                                          "previous")
    return get_object_or_404(qs.prefetch_related(_items_prefetch()), pk=pk)


def contracts_for(actor: Actor, org_id: int | None = None, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[Contract]:
    """Contracts whose programme the actor may see."""
    qs = Contract.objects.filter(programme__in=programmes_for(actor, org_id, perm))
    return qs


def get_contract_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Contract:
    qs = contracts_for(actor, perm=perm).select_related(
        "recipient", "programme", "programme__department", "organisation", "enrolment", "fee_decision")
    return get_object_or_404(qs.prefetch_related("amendments"), pk=pk)


def _items_prefetch() -> Prefetch:
    return Prefetch("items", queryset=ProgrammeItem.objects.select_related("service").prefetch_related(
        "service__tariffs"))


def departments_for(actor: Actor, org_id: int, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[Department]:
    """The departments to offer the actor: their own for department-bound roles (heads, social workers); the
    organisation's active departments other than the administration for organisation-wide roles."""
    qs = Department.objects.filter(organisation_id=org_id, is_active=True).exclude(
        kind=DepartmentKind.ADMINISTRATION)
    grants = [g for g in actor.grants_with(perm) if g.organisation_id == org_id]
    if not grants:
        return qs.none()
    if all(actor.is_department_bound(g) for g in grants):
        qs = qs.filter(pk__in={d for g in grants for d in g.department_ids})
    return qs.order_by("code")


def last_contract_end(programme: Programme) -> datetime.date | None:
    """The day the programme's latest contract ended (terminated, else its term), None without one."""
    ends = [c.terminated_on or c.valid_to for c in programme.contracts.all()]
    return max((e for e in ends if e is not None), default=None)


def filter_programmes(qs: QuerySet[Programme], *, status: str | None = None, department_id: int | None = None,
                      recipient_id: int | None = None) -> QuerySet[Programme]:
    if status:
        qs = qs.filter(status=status)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if recipient_id:
        qs = qs.filter(recipient_id=recipient_id)
    return qs


def for_list(qs: QuerySet[Programme]) -> QuerySet[Programme]:
    return qs.select_related("recipient", "department").order_by("-drawn_up_on", "-id")


def versions_of(programme: Programme) -> list[Programme]:
    """Every version of the programme (same organisation and number), oldest first."""
    return list(Programme.objects.filter(organisation_id=programme.organisation_id, number=programme.number)
                .order_by("version"))


def current_version(programme: Programme) -> Programme:
    """The newest version of the programme's chain."""
    return (Programme.objects.filter(organisation_id=programme.organisation_id, number=programme.number)
            .order_by("-version").first()) or programme


def contracts_of(programme: Programme) -> QuerySet[Contract]:
    """The contracts signed on any version of the programme."""
    return Contract.objects.filter(organisation_id=programme.organisation_id,
                                   programme__number=programme.number).select_related("programme")


def open_contract_of(programme: Programme) -> Contract | None:
    return contracts_of(programme).filter(terminated_on__isnull=True).first()


def person_casework(actor: Actor, recipient: Recipient) -> dict[str, list]:
    """What the person's card shows: their programmes and contracts the actor may see."""
    programmes = list(programmes_for(actor).filter(recipient=recipient).select_related("department")
                      .order_by("-valid_from", "-version"))
    contracts = list(contracts_for(actor).filter(recipient=recipient).select_related("programme")
                     .order_by("-signed_on", "-id"))
    return {"programmes": programmes, "contracts": contracts}


# --- numbers ---------------------------------------------------------------------------------------------------

def _next_in(numbers: list[str], prefix: str) -> str:
    last = 0
    for number in numbers:
        tail = number[len(prefix):]
        if tail.isdigit():
            last = max(last, int(tail))
    return f"{prefix}{last + 1}"


def next_programme_number(organisation_id: int, year: int) -> str:
    """``2020-17``: the year the programme is drawn up and a sequence within the organisation and year."""
    prefix = f"{year}-"
    numbers = list(Programme.objects.filter(organisation_id=organisation_id, number__startswith=prefix)
                   .values_list("number", flat=True).distinct())
    return _next_in(numbers, prefix)


def next_contract_number(organisation_id: int, year: int) -> str:
    """``Д-2020-17``: a sequence within the organisation and the year of signing."""
    prefix = f"Д-{year}-"
    numbers = list(Contract.objects.filter(organisation_id=organisation_id, number__startswith=prefix)
                   .values_list("number", flat=True))
    return _next_in(numbers, prefix)


# --- the programme on a day --------------------------------------------------------------------------------------

def _versions(recipient_id: int, department_id: int | None) -> list[Programme]:
    """Every version of the person's programmes (in a department), with department and person: compiled once
    (lib.db.run_prepared), on most of a social worker's pages."""
    def build(recipient_id: int, department_id: int | None = None) -> QuerySet[Programme]:
        where = Q(recipient_id=recipient_id)
        if department_id is not None:
            where &= Q(department_id=department_id)
        return Programme.objects.filter(where).select_related("department", "recipient")

    # one key: run_prepared keeps the shape of one value (any department) apart from that of two
    values = (recipient_id,) if department_id is None else (recipient_id, department_id)
    return run_prepared("programmes.versions", build, *values)


def active_programme_on(recipient: Recipient | int, department_id: int | None, day: datetime.date, *,
                        services: bool = True) -> Programme | None:
    """The version of the person's programme that applies on ``day`` in a department (any when None),
    with ``items`` (and their services and tariffs) prefetched — ``programme.items.all()`` are the basic
    services the person may receive under the programme on that day. ``services=False``: the items alone (their
    service ids, volumes and periods: what the journal's checks read), two queries fewer to build.

    Rules:
    - programmes of every status count (active, superseded, closed), because a day in the past may fall under a
      version that has since been replaced or a programme that has since been closed;
    - within one programme (one number), the version that applies is the newest one whose ``valid_from`` is on
      or before the day (see programmes.rules.version_on), provided the day is within its ``valid_to`` and not after the
      programme's ``closed_on``;
    - if several programmes apply (it should not happen: creating one over another active one is refused), the
      one that started last wins.

    A person has a handful of programme versions: they are read in one query, then the chosen one with its
    items, services and tariffs in a few more; no query per item.
    """
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    chains: dict[tuple[int, str], list[Programme]] = {}
    for p in _versions(recipient_id, department_id):  # a handful of versions
        chains.setdefault((p.organisation_id, p.number), []).append(p)
    applying = [v for versions in chains.values() if (v := rules.version_on(versions, day)) is not None]
    if not applying:
        return None
    chosen = max(applying, key=lambda v: (v.valid_from, v.pk))
    prefetch_related_objects([chosen], _items_prefetch() if services else "items")
    return chosen


# --- cost ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CostLine:
    item: ProgrammeItem
    tariff: Decimal | None
    monthly_volume: Decimal
    amount: Decimal  # rounded to kopecks, for display; the total is rounded once from the exact sum


def programme_cost_lines(programme: Programme, on: datetime.date) -> list[CostLine]:
    """Each service of the programme with its tariff on ``on`` and its monthly volume (programmes.rules).
    Prefetch ``items__service__tariffs`` to avoid a query per item."""
    lines = []
    for item in programme.items.all():
        tariff = item.service.tariff_on(on)
        volume = rules.monthly_volume(item.volume, item.period, programme.valid_from, programme.valid_to)
        lines.append(CostLine(item, tariff, volume, rules.kopecks(rules.line_cost(tariff, volume))))
    return lines


def programme_monthly_cost(programme: Programme, on: datetime.date) -> Decimal:
    """The programme's monthly cost at the tariffs on ``on`` (programmes.rules.monthly_cost: Σ tariff × monthly
    volume, rounded half-up to kopecks once; a service without a tariff that day costs 0, the programme page warns
    about it). Prefetch ``items__service__tariffs`` to avoid a query per item."""
    return rules.monthly_cost((line.tariff, line.monthly_volume) for line in programme_cost_lines(programme, on))


def drawing_up_deadline(programme: Programme) -> datetime.date | None:
    """The last day to draw up the programme (programmes.rules.drawing_up_deadline: 10 working days after the
    decision on the application) on the organisation's production calendar; None without a decided application."""
    application = programme.application
    if application is None or application.decided_on is None:
        return None
    return rules.drawing_up_deadline(application.decided_on, calendar_for(programme.organisation))


# --- contract terms on a day -------------------------------------------------------------------------------------

def contract_in_force(contract: Contract, day: datetime.date) -> bool:
    return rules.contract_in_force(contract.valid_from, contract.valid_to, contract.terminated_on, day)


def terms_in_force(contract: Contract, day: datetime.date) -> rules.Terms:
    """The payment terms on a day (programmes.rules.terms_on): the contract's own, changed by its amendments in
    force by then. Uses ``contract.amendments.all()``: prefetch it."""
    return rules.terms_on(contract.payment, contract.monthly_fee, contract.fee_decision_id, contract.amendments.all(),
                          day)


def fee_in_force(contract: Contract, day: datetime.date) -> Decimal:
    """The monthly fee on a day; 0 when the contract is not in force that day (before its start, after its end
    or its termination)."""
    if not contract_in_force(contract, day):
        return ZERO
    return terms_in_force(contract, day).fee


def director_name(organisation_id: int) -> str:
    """``Петрова А. А.``: the director employed now, as the provider's signatory; empty when none is recorded."""
    director = Employee.objects.filter(organisation_id=organisation_id, position="director",
                                       dismissed_on__isnull=True).order_by("-hired_on").first()
    if director is None:
        return ""
    return short_name(director.last_name, director.first_name, director.patronymic)


# --- safeguards (issue 11): what a termination will do, the termination to undo, terms against the fee decision ---

@dataclass
class TerminationPreview:
    """What terminating a contract will do: the enrolment discharged with it, the other open enrolments that a
    discharge for death closes too, and the programme version closed."""

    enrolment: Enrolment | None
    others: list[Enrolment]
    programme: Programme | None


def termination_preview(contract: Contract) -> TerminationPreview:
    enrolment = contract.enrolment if contract.enrolment_id else None
    if enrolment is not None and enrolment.discharged_on is not None:
        enrolment = None
    others = list(Enrolment.objects.filter(recipient_id=contract.recipient_id, discharged_on__isnull=True)
                  .exclude(pk=contract.enrolment_id or 0).select_related("department").order_by("department__name"))
    current = current_version(contract.programme)
    return TerminationPreview(enrolment, others, current if current.status == ProgrammeStatus.ACTIVE else None)


def termination_to_undo(contract: Contract) -> Termination | None:
    """The termination of the contract that may be undone: made in Opora, not undone yet, still standing."""
    if contract.terminated_on is None:
        return None
    termination = contract.terminations.filter(undone_at__isnull=True).order_by("-done_at", "-id").first()
    if termination is None or termination.terminated_on != contract.terminated_on:
        return None
    return termination


def fee_decision_in_force(contract: Contract, day: datetime.date) -> object | None:
    """The latest fee decision by ``day`` on any version of the contract's programme (read through the relation
    ``Programme.fee_decisions``: programmes do not import billing); None without one."""
    programme = contract.programme
    versions = (Programme.objects.filter(organisation_id=programme.organisation_id, number=programme.number)
                .prefetch_related("fee_decisions"))
    decisions = [d for v in versions for d in v.fee_decisions.all() if d.decided_on <= day]
    return max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)


@dataclass
class FeeMismatch:
    """A contract whose payment terms in force disagree with the fee decision in force."""

    contract: Contract
    terms: rules.Terms
    decision: object


def fee_mismatch(contract: Contract, day: datetime.date) -> FeeMismatch | None:
    """The disagreement between the contract's terms on ``day`` (on its last day when it has ended by then) and
    the fee decision in force then; None when they agree, when there is no decision or before the contract."""
    ends = [d for d in (contract.terminated_on, contract.valid_to) if d is not None]
    if ends:
        day = min(day, *ends)
    if not contract_in_force(contract, day):
        return None
    decision = fee_decision_in_force(contract, day)
    if decision is None:
        return None
    terms = terms_in_force(contract, day)
    if not rules.terms_disagree(terms.payment, terms.fee, decision.fee, decision.programme_cost):  # type: ignore[attr-defined]
        return None
    return FeeMismatch(contract, terms, decision)
