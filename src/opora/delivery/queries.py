"""Reads of the journal of services, scoped to who asks; the programme and volume lookups; the monthly act."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.catalogue.models import Service
from opora.core.reference import ServiceList
from opora.core.scoping import any_of
from opora.delivery.models import Delivery, MonthlyAct, UrgentAct
from opora.lib.dates import month_bounds
from opora.lib.db import run_prepared
from opora.people.models import Enrolment, Recipient
from opora.people.queries import recipient_scope, recipients_for
from opora.programmes.models import Programme, ProgrammeItem
from opora.programmes.queries import active_programme_on as active_programme_on  # the version in force, with items
from opora.programmes.rules import volume_period

ZERO = Decimal("0")


# --- scope -------------------------------------------------------------------------------------------------------

def _line_scope(actor: Actor, perm: str) -> Q:
    """Journal lines an actor may see (or write, for RECORD_SERVICES).

    Organisation-wide roles see their organisations' journal; a department head sees their departments';
    a social worker sees the lines of their departments for the people of their caseload.
    """
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        if g.role == Role.DEPARTMENT_HEAD:
            parts.append(in_org & Q(department_id__in=g.department_ids))
        elif g.role == Role.SOCIAL_WORKER:
            people = recipients_for(Actor(user=actor.user, grants=[g]), perm).values("pk")
            parts.append(in_org & Q(department_id__in=g.department_ids) & Q(recipient_id__in=people))
        else:
            parts.append(in_org)
    return any_of(parts)


def deliveries_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[Delivery]:
    return Delivery.objects.filter(_line_scope(actor, perm))


def get_delivery_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Delivery:
    qs = deliveries_for(actor, perm).select_related("recipient", "department", "service", "worker", "urgent_act")
    return get_object_or_404(qs, pk=pk)


def urgent_acts_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK) -> QuerySet[UrgentAct]:
    parts: list[Q] = []
    for g in actor.grants_with(perm):
        in_org = Q(organisation_id=g.organisation_id)
        if actor.is_department_bound(g):
            people = recipients_for(Actor(user=actor.user, grants=[g]), perm).values("pk")
            parts.append(in_org & (Q(department_id__in=g.department_ids) | Q(recipient_id__in=people)))
        else:
            parts.append(in_org)
    return UrgentAct.objects.filter(any_of(parts))


def get_urgent_act_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> UrgentAct:
    qs = urgent_acts_for(actor, perm).select_related("recipient", "department", "worker", "organisation")
    return get_object_or_404(qs, pk=pk)


def departments_for(actor: Actor, organisation_id: int, perm: str = Perm.RECORD_SERVICES) -> set[int] | None:
    """The departments the actor works in for a perm; None means every department of the organisation."""
    ids: set[int] = set()
    for g in actor.grants_with(perm):
        if g.organisation_id != organisation_id:
            continue
        if not actor.is_department_bound(g):
            return None
        ids |= g.department_ids
    return ids


def worker_of(actor: Actor, organisation_id: int) -> int | None:
    """The employee a social worker records as (None for anyone not bound to record as themselves)."""
    roles = actor.roles_in(organisation_id)
    grants = [g for g in actor.grants_with(Perm.RECORD_SERVICES) if g.organisation_id == organisation_id]
    if grants and roles & {Role.SOCIAL_WORKER} and all(g.role == Role.SOCIAL_WORKER for g in grants):
        return grants[0].employee_id
    return None


def caseload_on(actor: Actor, organisation_id: int, day: datetime.date) -> list[Enrolment]:
    """Enrolments on a day that the actor records services for: a social worker's own, a head's departments'."""
    # Compiled once per actor and organisation (lib.db.run_prepared): it runs on most of a social worker's pages.
    def build(day: datetime.date) -> QuerySet[Enrolment]:
        where = (Q(organisation_id=organisation_id, admitted_on__lte=day)
                 & (Q(discharged_on__isnull=True) | Q(discharged_on__gte=day)) & ~Q(department__kind="urgent")
                 & recipient_scope(actor, Perm.RECORD_SERVICES, "recipient"))
        employee = worker_of(actor, organisation_id)
        if employee is not None:
            where &= Q(worker_id=employee)
        departments = departments_for(actor, organisation_id)
        if departments is not None:
            where &= Q(department_id__in=departments)
        return Enrolment.objects.filter(where).select_related("recipient", "department", "worker").order_by(
            "recipient__last_name", "recipient__first_name", "recipient_id")

    # the query's shape is the actor's grants' and the organisation's: the key names them
    return run_prepared(("delivery.caseload_on", tuple(actor.grants), organisation_id), build, day)


def additional_services(organisation_id: int) -> list[Service]:
    """The organisation's active additional services (paid at tariff) a visit may add, urgent ones aside, in the
    catalogue's order (compiled once: every visit form asks it)."""
    def build(organisation_id: int) -> QuerySet[Service]:
        return Service.objects.filter(organisation_id=organisation_id, is_active=True,
                                      list=ServiceList.ADDITIONAL).exclude(type="urgent")

    return run_prepared("delivery.additional_services", build, organisation_id)


def recorded_on(recipient_id: int, department_id: int, day: datetime.date) -> list[Delivery]:
    """The person's journal lines of a day in a department, with service and worker (the visit form's "already
    recorded"; compiled once)."""
    def build(recipient_id: int, department_id: int, day: datetime.date) -> QuerySet[Delivery]:
        return Delivery.objects.filter(recipient_id=recipient_id, department_id=department_id, date=day
                                       ).select_related("service", "worker")

    return run_prepared("delivery.recorded_on", build, recipient_id, department_id, day)


# --- programme and volume ------------------------------------------------------------------------------------

def period_bounds(item: ProgrammeItem, programme: Programme, day: datetime.date) -> tuple[datetime.date,
                                                                                          datetime.date]:
    """The period the item's volume counts over around ``day`` (programmes.rules.volume_period)."""
    return volume_period(item.period, day, programme.valid_from, programme.valid_to)


def delivered_in(recipient_id: int, department_id: int, service_id: int, start: datetime.date,
                 end: datetime.date, exclude_pk: int | None = None) -> int:
    qs = Delivery.objects.filter(recipient_id=recipient_id, department_id=department_id, service_id=service_id,
                                 date__range=(start, end), urgent_act__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(n=Sum("quantity"))["n"] or 0


def delivered_by_service(recipient_id: int, department_id: int,
                         spans: dict[int, tuple[datetime.date, datetime.date]]) -> dict[int, int]:
    """`delivered_in` of several services at once, each over its own period: one query per distinct period (the
    items of a programme share a handful of periods), not one per service. Services with nothing delivered: 0."""
    by_span: dict[tuple[datetime.date, datetime.date], list[int]] = {}
    for service_id, span in spans.items():
        by_span.setdefault(span, []).append(service_id)
    out = dict.fromkeys(spans, 0)
    for (start, end), service_ids in by_span.items():
        rows = (Delivery.objects.filter(recipient_id=recipient_id, department_id=department_id,
                                        service_id__in=service_ids, date__range=(start, end),
                                        urgent_act__isnull=True)
                .order_by().values_list("service_id").annotate(n=Sum("quantity")))
        out.update({service_id: n or 0 for service_id, n in rows})
    return out


# --- journal list --------------------------------------------------------------------------------------------

@dataclass
class JournalFilter:
    month: datetime.date | None = None
    department_id: int | None = None
    worker_id: int | None = None
    recipient_id: int | None = None
    list: str = ""
    organisation_id: int | None = None


def filter_deliveries(qs: QuerySet[Delivery], flt: JournalFilter) -> QuerySet[Delivery]:
    if flt.organisation_id:
        qs = qs.filter(organisation_id=flt.organisation_id)
    if flt.month:
        qs = qs.filter(date__range=month_bounds(flt.month))
    if flt.department_id:
        qs = qs.filter(department_id=flt.department_id)
    if flt.worker_id:
        qs = qs.filter(worker_id=flt.worker_id)
    if flt.recipient_id:
        qs = qs.filter(recipient_id=flt.recipient_id)
    if flt.list:
        qs = qs.filter(list=flt.list)
    return qs


def for_journal(qs: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """What a journal row shows, in one query."""
    return qs.select_related("recipient", "department", "service", "worker", "urgent_act").order_by(
        "-date", "-id")


@dataclass
class Totals:
    lines: int = 0
    quantity: int = 0
    amount: Decimal = ZERO


def totals(qs: QuerySet[Delivery]) -> Totals:
    row = qs.order_by().aggregate(lines=Count("id"), quantity=Sum("quantity"), amount=Sum("amount"))
    return Totals(lines=row["lines"] or 0, quantity=row["quantity"] or 0, amount=row["amount"] or ZERO)


# --- the monthly act -----------------------------------------------------------------------------------------

@dataclass
class ActLine:
    service_id: int
    code: str
    name: str
    unit: str
    list: str
    quantity: int
    tariff: Decimal
    amount: Decimal

    @property
    def value(self) -> Decimal:
        """The line's value at tariff, whatever is charged for it."""
        return (self.tariff * self.quantity).quantize(Decimal("0.01"))


@dataclass
class MonthlyActData:
    recipient: Recipient
    department_id: int
    month: datetime.date
    lines: list[ActLine] = field(default_factory=list)

    @property
    def basic(self) -> list[ActLine]:
        return [x for x in self.lines if x.list == "basic"]

    @property
    def additional(self) -> list[ActLine]:
        return [x for x in self.lines if x.list != "basic"]

    @property
    def total_quantity(self) -> int:
        return sum(x.quantity for x in self.lines)

    @property
    def total_amount(self) -> Decimal:
        """What is charged for the month's lines: the additional services at tariff."""
        return sum((x.amount for x in self.lines), ZERO)

    @property
    def total_value(self) -> Decimal:
        return sum((x.value for x in self.lines), ZERO)

    @property
    def basic_value(self) -> Decimal:
        """The value of the basic services at tariff, for information (they are covered by the monthly fee)."""
        return sum((x.value for x in self.basic), ZERO)


def monthly_act_lines(recipient: Recipient, department_id: int, month: datetime.date) -> MonthlyActData:
    """The month's journal lines of a person in a department, grouped by service and tariff.

    A service whose tariff changed in the month gives two lines, one per tariff, so that each line's
    amount is its quantity × its tariff.
    """
    start, end = month_bounds(month)
    rows = (
        Delivery.objects.filter(recipient_id=recipient.pk, department_id=department_id, date__range=(start, end))
        .values("service_id", "service__code", "service__name", "service__unit", "list", "tariff")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by("list", "service__code", "tariff")
    )
    data = MonthlyActData(recipient=recipient, department_id=department_id, month=start)
    for r in rows:
        data.lines.append(ActLine(service_id=r["service_id"], code=r["service__code"], name=r["service__name"],
                                  unit=r["service__unit"], list=r["list"], quantity=r["quantity"],
                                  tariff=r["tariff"], amount=r["amount"]))
    data.lines.sort(key=lambda x: (x.list != ServiceList.BASIC, x.code, x.tariff))  # basic services first
    return data


def monthly_act_row(recipient: Recipient, department_id: int, month: datetime.date) -> MonthlyAct | None:
    return MonthlyAct.objects.filter(recipient=recipient, department_id=department_id, month=month).first()


def month_totals_by_recipient(qs: QuerySet[Delivery]) -> list[dict]:
    """Per person and department: quantity and amount (the monthly act totals), for the journal page."""
    return list(
        qs.order_by()
        .values("recipient_id", "recipient__last_name", "recipient__first_name", "recipient__patronymic",
                "department_id", "department__name")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"), lines=Count("id"))
        .order_by("recipient__search_name", "recipient_id", "department_id")
    )
