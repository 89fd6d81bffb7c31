"""Indicators of the casework: services, recipients, income, applications, admitted, discharged.

Counting rules of domain/RULES.md: a count of services is Σ quantity; recipients are distinct people with a
delivered service; income is Σ amount of the journal lines plus Σ of the monthly fees charged (basic list).
The figures of whole months (or of months up to today, as a dashboard's year to date: delivery/aggregates.py
`covered_by_months`) read the journal's monthly aggregates (delivery.ServiceMonth by service and list,
delivery.RecipientMonth by person), which every write of the journal keeps equal to a recount; other periods, or
questions the aggregates cannot answer (a category with a type of service), read the journal itself. One
aggregate query either way.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.billing.queries import fees_by_department
from opora.billing.rules import income_by_department
from opora.catalogue.models import Service
from opora.core.reference import Channel, DepartmentKind, Form, ServiceList, ServiceType
from opora.delivery.aggregates import covered_by_months
from opora.delivery.models import Delivery, RecipientMonth, ServiceMonth
from opora.indicators.registry import Param, Query, indicator
from opora.intake.models import Application
from opora.intake.rules import ApplicationStatus
from opora.lib.errors import DomainError
from opora.org.models import Department
from opora.people.models import Category, Enrolment

ZERO = Decimal("0.00")


def _codes(choices: type) -> tuple[str, ...]:
    return tuple(str(v) for v in choices.values)  # type: ignore[attr-defined]


DEPARTMENT = Param(gettext_lazy("department code"))
KIND = Param(gettext_lazy("department kind"), _codes(DepartmentKind))
TYPE = Param(gettext_lazy("type of service"), _codes(ServiceType))
LIST = Param(gettext_lazy("list: basic or additional"), _codes(ServiceList))
SERVICE = Param(gettext_lazy("service code"))
CATEGORY = Param(gettext_lazy("category code of the person"))
FORM = Param(gettext_lazy("form of service"), _codes(Form))
JOURNAL_PARAMS = {"department": DEPARTMENT, "kind": KIND, "type": TYPE, "list": LIST, "service": SERVICE,
                  "category": CATEGORY}


def _department_ids(q: Query) -> list[int]:
    code = q.get("department")
    ids = list(Department.objects.filter(organisation_id__in=q.organisation_ids, code=code).values_list("id",
                                                                                                        flat=True))
    if not ids:
        raise DomainError(_("Unknown department «%(code)s».") % {"code": code}, field="department")
    return ids


def _service_ids(q: Query) -> list[int]:
    code = q.get("service")
    ids = list(Service.objects.filter(organisation_id__in=q.organisation_ids, code=code).values_list("id",
                                                                                                     flat=True))
    if not ids:
        raise DomainError(_("Unknown service «%(code)s».") % {"code": code}, field="service")
    return ids


def _category_id(q: Query) -> int:
    pk = Category.objects.filter(code=q.get("category")).values_list("id", flat=True).first()
    if pk is None:
        raise DomainError(_("Unknown category «%(code)s».") % {"code": q.get("category")}, field="category")
    return pk


def _narrowed(rows: QuerySet[Any], q: Query) -> QuerySet[Any]:
    """The rows of the journal or of its monthly aggregates (they name the same fields) narrowed by the journal's
    parameters that are given: department, kind, type, list, service, category. The callers ask a table only what
    it keeps (the aggregates by service keep no person, those by person no service)."""
    if q.get("department"):
        rows = rows.filter(department_id__in=_department_ids(q))
    if q.get("kind"):
        rows = rows.filter(department__kind=q.get("kind"))
    if q.get("type"):
        rows = rows.filter(service__type=q.get("type"))
    if q.get("list"):
        rows = rows.filter(list=q.get("list"))
    if q.get("service"):
        rows = rows.filter(service_id__in=_service_ids(q))
    if q.get("category"):
        rows = rows.filter(recipient__categories=_category_id(q))
    return rows


def _journal(q: Query) -> QuerySet[Delivery]:
    return _narrowed(Delivery.objects.filter(organisation_id__in=q.organisation_ids, date__gte=q.start,
                                             date__lte=q.end), q)


def _by_person_month(q: Query) -> QuerySet[RecipientMonth] | None:
    """The journal's monthly aggregates by person (department, person, month → quantity) for the query, when they
    can answer it: whole months, and no service, type or list asked (they do not keep the service)."""
    if not covered_by_months(q.start, q.end) or q.get("service") or q.get("type") or q.get("list"):
        return None
    return _narrowed(RecipientMonth.objects.filter(organisation_id__in=q.organisation_ids, month__gte=q.start,
                                                   month__lte=q.end, quantity__gt=0), q)


@indicator("services", title=gettext_lazy("Services delivered"), params=JOURNAL_PARAMS)
def services(q: Query) -> int:
    by_person = _by_person_month(q) if q.get("category") else None
    if by_person is not None:
        return int(by_person.aggregate(n=Sum("quantity", default=0))["n"])
    if covered_by_months(q.start, q.end) and not q.get("category"):
        rows = _narrowed(ServiceMonth.objects.filter(organisation_id__in=q.organisation_ids, month__gte=q.start,
                                                     month__lte=q.end), q)
        return int(rows.aggregate(n=Sum("quantity", default=0))["n"])
    return int(_journal(q).aggregate(n=Sum("quantity", default=0))["n"])


@indicator("recipients", title=gettext_lazy("People served (distinct)"), params=JOURNAL_PARAMS)
def recipients(q: Query) -> int:
    by_person = _by_person_month(q)
    if by_person is not None:
        return int(by_person.aggregate(n=Count("recipient", distinct=True))["n"])
    return int(_journal(q).aggregate(n=Count("recipient", distinct=True))["n"])


@indicator("income", title=gettext_lazy("Income from services"), unit="money", params={"list": LIST})
def income(q: Query) -> Decimal:
    lines: QuerySet[Delivery] | QuerySet[ServiceMonth]
    if covered_by_months(q.start, q.end):  # the monthly aggregates keep the amounts by list
        lines = ServiceMonth.objects.filter(organisation_id__in=q.organisation_ids, month__gte=q.start,
                                            month__lte=q.end)
    else:
        lines = Delivery.objects.filter(organisation_id__in=q.organisation_ids, date__gte=q.start, date__lte=q.end)
    journal = {(r["department_id"], "", r["list"]): (0, Decimal(r["a"] or 0))
               for r in lines.values("department_id", "list").annotate(a=Sum("amount")).order_by()}
    fees = fees_by_department(q.organisation_ids, q.start, q.end) if q.get("list") != ServiceList.ADDITIONAL else {}
    incomes = income_by_department(journal, fees).values()  # billing's rule: the journal's amounts + the fees
    chosen = q.get("list")
    total = sum((inc.basic if chosen == ServiceList.BASIC else inc.additional if chosen == ServiceList.ADDITIONAL
                 else inc.total for inc in incomes), Decimal(0))
    return total.quantize(Decimal("0.01"))


@indicator("applications", title=gettext_lazy("Applications received"), params={
    "channel": Param(gettext_lazy("channel"), _codes(Channel)),
    "status": Param(gettext_lazy("status now"), _codes(ApplicationStatus)),
    "department": DEPARTMENT})
def applications(q: Query) -> int:
    rows = Application.objects.filter(organisation_id__in=q.organisation_ids, received_on__gte=q.start,
                                      received_on__lte=q.end)
    if q.get("channel"):
        rows = rows.filter(channel=q.get("channel"))
    if q.get("status"):
        rows = rows.filter(status=q.get("status"))
    if q.get("department"):
        rows = rows.filter(department_id__in=_department_ids(q))
    return rows.count()


MOVEMENT_PARAMS = {"department": DEPARTMENT, "kind": KIND, "form": FORM}


def _enrolments(q: Query) -> QuerySet[Enrolment]:
    rows = Enrolment.objects.filter(organisation_id__in=q.organisation_ids)
    if q.get("department"):
        rows = rows.filter(department_id__in=_department_ids(q))
    if q.get("kind"):
        rows = rows.filter(department__kind=q.get("kind"))
    if q.get("form"):
        rows = rows.filter(form=q.get("form"))
    return rows


def _transfers(q: Query) -> tuple[set[int], set[int]]:
    """(admissions, discharges) that are transfers between two departments of one kind (RULES.md): a discharge
    followed by an admission to another department of the same kind on the same or the next day. Not counted
    when one department is asked: then its own admissions and discharges count."""
    if q.get("department"):
        return set(), set()
    rows = list(Enrolment.objects.filter(organisation_id__in=q.organisation_ids).filter(
        Q(admitted_on__gte=q.start - datetime.timedelta(days=1), admitted_on__lte=q.end + datetime.timedelta(days=1))
        | Q(discharged_on__gte=q.start - datetime.timedelta(days=1),
            discharged_on__lte=q.end + datetime.timedelta(days=1))).values_list(
        "id", "recipient_id", "department_id", "department__kind", "admitted_on", "discharged_on"))
    by_person: dict[int, list[tuple]] = {}
    for row in rows:
        by_person.setdefault(row[1], []).append(row)
    admitted_in, discharged_in = set(), set()
    for own in by_person.values():
        for a in own:
            for d in own:
                if d[5] is not None and a[2] != d[2] and a[3] == d[3] and 0 <= (a[4] - d[5]).days <= 1:
                    admitted_in.add(a[0])
                    discharged_in.add(d[0])
    return admitted_in, discharged_in


@indicator("admitted", title=gettext_lazy("Admitted to service"), params=MOVEMENT_PARAMS)
def admitted(q: Query) -> int:
    ids = set(_enrolments(q).filter(admitted_on__gte=q.start, admitted_on__lte=q.end).values_list("id", flat=True))
    return len(ids - _transfers(q)[0])


@indicator("discharged", title=gettext_lazy("Discharged from service"), params=MOVEMENT_PARAMS)
def discharged(q: Query) -> int:
    ids = set(_enrolments(q).filter(discharged_on__gte=q.start, discharged_on__lte=q.end).values_list("id",
                                                                                                       flat=True))
    return len(ids - _transfers(q)[1])
