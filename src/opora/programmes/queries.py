"""Reads of programmes and contracts, scoped to who asks; and the lookups other apps use.

Used elsewhere:
- delivery: :func:`active_programme_on` (which programme version, hence which basic services, applies on a day);
- billing: :func:`programme_monthly_cost` and :func:`fee_in_force` / :func:`terms_in_force`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.reference import DepartmentKind
from opora.core.scoping import any_of
from opora.lib.dates import months_in_term
from opora.org.models import Department
from opora.people.models import Recipient
from opora.people.queries import recipients_for
from opora.programmes.models import (
    Contract,
    ContractAmendment,
    Payment,
    Programme,
    ProgrammeItem,
    VolumePeriod,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


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

def version_on(versions: list[Programme], day: datetime.date) -> Programme | None:
    """Of one programme's versions (same number), the one that applies on ``day``, or None.

    A revision replaces the previous version from its own ``valid_from`` on, so the version that applies is the
    newest one whose ``valid_from`` is on or before the day; it applies only when the day is also within its term
    (``valid_to``) and not after the day the programme was closed (``closed_on`` of any version of the chain).
    """
    closed = [v.closed_on for v in versions if v.closed_on is not None]
    if closed and day > min(closed):
        return None
    started = [v for v in versions if v.valid_from <= day]
    if not started:
        return None
    chosen = max(started, key=lambda v: (v.version, v.valid_from, v.pk))
    return chosen if chosen.valid_to >= day else None


def active_programme_on(recipient: Recipient | int, department_id: int | None, day: datetime.date
                        ) -> Programme | None:
    """The version of the person's programme that applies on ``day`` in a department (any when None),
    with ``items`` (and their services and tariffs) prefetched — ``programme.items.all()`` are the basic
    services the person may receive under the programme on that day.

    Rules:
    - programmes of every status count (active, superseded, closed), because a day in the past may fall under a
      version that has since been replaced or a programme that has since been closed;
    - within one programme (one number), the version that applies is the newest one whose ``valid_from`` is on
      or before the day (see :func:`version_on`), provided the day is within its ``valid_to`` and not after the
      programme's ``closed_on``;
    - if several programmes apply (it should not happen: creating one over another active one is refused), the
      one that started last wins.

    A person has a handful of programme versions: they are read in one query, then the chosen one with its
    items, services and tariffs in a few more; no query per item.
    """
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    qs = Programme.objects.filter(recipient_id=recipient_id)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    chains: dict[tuple[int, str], list[Programme]] = {}
    for p in qs.only("id", "organisation_id", "number", "version", "valid_from", "valid_to", "closed_on"):
        chains.setdefault((p.organisation_id, p.number), []).append(p)
    applying = [v for versions in chains.values() if (v := version_on(versions, day)) is not None]
    if not applying:
        return None
    chosen = max(applying, key=lambda v: (v.valid_from, v.pk))
    return (Programme.objects.select_related("department", "recipient").prefetch_related(_items_prefetch())
            .get(pk=chosen.pk))


# --- cost ------------------------------------------------------------------------------------------------------

def monthly_volume(item: ProgrammeItem, programme: Programme) -> Decimal:
    """The item's volume per month: a week's volume × 52/12, a month's as is, the term's / months of the term."""
    volume = Decimal(item.volume)
    if item.period == VolumePeriod.WEEK:
        return volume * WEEKS_PER_YEAR / MONTHS_PER_YEAR
    if item.period == VolumePeriod.TERM:
        return volume / months_in_term(programme.valid_from, programme.valid_to)
    return volume


@dataclass(frozen=True)
class CostLine:
    item: ProgrammeItem
    tariff: Decimal | None
    monthly_volume: Decimal
    amount: Decimal  # rounded to kopecks, for display; the total is rounded once from the exact sum


def programme_cost_lines(programme: Programme, on: datetime.date) -> list[CostLine]:
    lines = []
    for item in programme.items.all():
        tariff = item.service.tariff_on(on)
        volume = monthly_volume(item, programme)
        amount = (tariff or ZERO) * volume
        lines.append(CostLine(item, tariff, volume, amount.quantize(CENT, rounding=ROUND_HALF_UP)))
    return lines


def programme_monthly_cost(programme: Programme, on: datetime.date) -> Decimal:
    """Σ tariff on ``on`` × monthly volume over the programme's services, rounded half-up to kopecks once.

    Monthly volume: see :func:`monthly_volume`. A service without a tariff on that day costs 0 (the programme
    page warns about it). Prefetch ``items__service__tariffs`` to avoid a query per item.
    """
    total = sum(((line.tariff or ZERO) * line.monthly_volume for line in programme_cost_lines(programme, on)),
                ZERO)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def drawing_up_deadline(programme: Programme) -> datetime.date | None:
    """The last day to draw up the programme: 10 working days after the decision on the application (442-ФЗ
    art. 16 p. 3), on the organisation's working-day calendar; None without a decided application."""
    application = programme.application
    if application is None or application.decided_on is None:
        return None
    from opora.intake.queries import calendar_for

    return calendar_for(programme.organisation.region).add_working_days(application.decided_on, 10)


# --- contract terms on a day -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    payment: str
    monthly_fee: Decimal
    fee_decision_id: int | None
    amendment: ContractAmendment | None  # the amendment that set these terms, None for the contract's own

    @property
    def payment_display(self) -> str:
        return str(Payment(self.payment).label)


def contract_in_force(contract: Contract, day: datetime.date) -> bool:
    if day < contract.valid_from:
        return False
    if contract.valid_to is not None and day > contract.valid_to:
        return False
    return not (contract.terminated_on is not None and day > contract.terminated_on)


def terms_in_force(contract: Contract, day: datetime.date) -> Terms:
    """The payment terms on a day: the contract's own, changed by each amendment in force by then (ordered by
    valid_from, then number) that changes the payment or the fee. Uses ``contract.amendments.all()``."""
    terms = Terms(contract.payment, contract.monthly_fee, contract.fee_decision_id, None)
    amendments = sorted((a for a in contract.amendments.all() if a.valid_from <= day),
                        key=lambda a: (a.valid_from, a.number))
    for a in amendments:
        if not a.payment and a.monthly_fee is None:
            continue
        payment = a.payment or terms.payment
        fee = a.monthly_fee if a.monthly_fee is not None else terms.monthly_fee
        if payment == Payment.FREE:
            fee = ZERO
        terms = Terms(payment, fee, a.fee_decision_id or terms.fee_decision_id, a)
    return terms


def fee_in_force(contract: Contract, day: datetime.date) -> Decimal:
    """The monthly fee on a day; 0 when the contract is not in force that day (before its start, after its end
    or its termination)."""
    if not contract_in_force(contract, day):
        return ZERO
    terms = terms_in_force(contract, day)
    return ZERO if terms.payment == Payment.FREE else terms.monthly_fee



def director_name(organisation_id: int) -> str:
    """``Петрова А. А.``: the director employed now, as the provider's signatory; empty when none is recorded."""
    from opora.lib.formats import short_name
    from opora.org.models import Employee

    director = Employee.objects.filter(organisation_id=organisation_id, position="director",
                                       dismissed_on__isnull=True).order_by("-hired_on").first()
    if director is None:
        return ""
    return short_name(director.last_name, director.first_name, director.patronymic)
