"""/api/v1/deliveries, /api/v1/urgent-acts and /api/v1/monthly-acts: the journal of services."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import (
    Body,
    Day,
    Id,
    Money,
    Page,
    PageBase,
    PageSize,
    Quantity,
    actor_of,
    answers,
    named,
    need,
    paginate,
    run,
)
from opora.audit.log import log_read
from opora.catalogue.models import Service
from opora.catalogue.queries import get_service_for
from opora.delivery import actions, queries
from opora.delivery.models import Delivery, UrgentAct
from opora.lib.dates import DateFormatError, parse_month
from opora.lib.errors import DomainError
from opora.org.models import Department, Employee
from opora.org.queries import get_department_for, get_employee_for
from opora.people.queries import get_recipient_for

router = Router(tags=["delivery"])


def _require_any(actor: Actor, perm: str) -> None:
    need(actor, perm, _("You do not have the right to do this."))


class DeliveryOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    recipient_id: int
    recipient: str = Field(..., alias="recipient.full_name")
    department_id: int
    department: str = Field(..., alias="department.code")
    service_id: int
    service: str = Field(..., alias="service.code")
    worker_id: int | None
    date: datetime.date
    quantity: int
    list: str
    tariff: Money
    amount: Money
    over_volume_reason: str
    urgent_act_id: int | None
    online: bool  # issue 17: delivered remotely


class DeliveryTotalsOut(Schema):
    lines: int
    quantity: int
    amount: Money


class DeliveryPage(PageBase):
    totals: DeliveryTotalsOut
    results: list[DeliveryOut]


class DeliveryIn(Body):
    recipient_id: Id
    department_id: Id
    service_id: Id
    worker_id: Id | None = None
    date: Day
    quantity: Quantity = 1  # at least 1: checked by delivery/rules.py, with the message of the web form and the import
    over_volume_reason: str = Field("", max_length=300)
    online: bool = False  # issue 17: delivered remotely


class DeliveryPatch(Body):
    department_id: Id | None = None
    service_id: Id | None = None
    worker_id: Id | None = None
    date: Day | None = None
    quantity: Quantity | None = None  # at least 1 (delivery/rules.py)
    over_volume_reason: str | None = Field(None, max_length=300)
    online: bool | None = None  # issue 17


class UrgentLineIn(Body):
    service_id: Id
    quantity: Quantity = 1


class UrgentActIn(Body):
    recipient_id: Id
    department_id: Id
    date: Day
    worker_id: Id | None = None
    situation: str = ""
    lines: list[UrgentLineIn]


class UrgentLineOut(Schema):
    id: int
    service_id: int
    service: str = Field(..., alias="service.code")
    quantity: int
    amount: Money


class UrgentActOut(Schema):
    id: int
    number: str
    date: datetime.date
    recipient_id: int
    department_id: int
    worker_id: int | None
    situation: str
    lines: list[UrgentLineOut]

    @staticmethod
    def resolve_lines(obj: UrgentAct) -> list[Delivery]:
        return list(obj.deliveries.select_related("service").order_by("id"))


# The objects a line names are looked up in the actor's scope for recording services: absent and out of scope
# answer the same 422 ("Not found: 7."). One of another organisation the actor works in is the action's to refuse,
# with the message the web form shows.

def _department(actor: Actor, pk: Id, field: str = "department_id") -> Department:
    return named(lambda: get_department_for(actor, pk, Perm.RECORD_SERVICES), field,
                 _("Not found: %(id)s.") % {"id": pk})


def _worker(actor: Actor, pk: Id | None, field: str = "worker_id") -> Employee | None:
    if pk is None:
        return None
    return named(lambda: get_employee_for(actor, pk, Perm.RECORD_SERVICES), field,
                 _("Not found: %(id)s.") % {"id": pk})


def _service(actor: Actor, pk: Id, field: str = "service_id") -> Service:
    return named(lambda: get_service_for(actor, pk, Perm.RECORD_SERVICES), field,
                 _("Not found: %(id)s.") % {"id": pk})


def _out(actor: Actor, pk: Id, perm: str = Perm.VIEW_CASEWORK) -> Delivery:
    """The line as answered, read back through the scoped look-up."""
    return queries.get_delivery_for(actor, pk, perm)


@router.get("/deliveries", response=answers(DeliveryPage))
def list_deliveries(request: HttpRequest, month: str | None = None, department_id: Id | None = None,
                    worker_id: Id | None = None, recipient_id: Id | None = None, list: str = "",
                    organisation: str | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    _require_any(actor, Perm.VIEW_CASEWORK)
    flt = queries.JournalFilter(department_id=department_id, worker_id=worker_id, recipient_id=recipient_id,
                                list=list)
    if month:
        try:
            flt.month = parse_month(month)
        except DateFormatError:
            raise DomainError(_("Enter a month as YYYY-MM."), field="month") from None
    qs = queries.filter_deliveries(queries.deliveries_for(actor), flt)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    totals = queries.totals(qs)
    result = paginate(queries.for_journal(qs).select_related("organisation"), page, page_size,
                      audit=(actor, "api:deliveries"))
    result["totals"] = {"lines": totals.lines, "quantity": totals.quantity, "amount": totals.amount}
    return result


@router.post("/deliveries", response=answers(DeliveryOut, 201))
def create_delivery(request: HttpRequest, body: DeliveryIn) -> Status:
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    recipient = get_recipient_for(actor, body.recipient_id, Perm.RECORD_SERVICES)
    data = {
        "recipient": recipient,
        "department": _department(actor, body.department_id),
        "service": _service(actor, body.service_id),
        "worker": _worker(actor, body.worker_id),
        "date": body.date, "quantity": body.quantity, "over_volume_reason": body.over_volume_reason,
        "online": body.online,
    }
    line = run(lambda: actions.do_record_delivery(recipient.organisation, data, actor=actor), set(body.dict()))
    return Status(201, _out(actor, line.pk, Perm.RECORD_SERVICES))


@router.get("/deliveries/{int:pk}", response=answers(DeliveryOut))
def get_delivery(request: HttpRequest, pk: Id) -> Delivery:
    actor = actor_of(request)
    line = _out(actor, pk)
    log_read(actor, [line], via="api:delivery")
    return line


@router.patch("/deliveries/{int:pk}", response=answers(DeliveryOut))
def patch_delivery(request: HttpRequest, pk: Id, body: DeliveryPatch) -> Delivery:
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    sent = body.dict(exclude_unset=True)
    data: dict[str, Any] = {}
    for key, value in sent.items():
        if value is None and key not in ("worker_id",):
            raise DomainError(_("This field cannot be empty."), field=key)
        if key == "department_id":
            data["department"] = _department(actor, value)
        elif key == "service_id":
            data["service"] = _service(actor, value)
        elif key == "worker_id":
            data["worker"] = _worker(actor, value)
        else:
            data[key] = value
    run(lambda: actions.do_update_delivery(line, data, actor=actor), set(sent))
    return _out(actor, pk, Perm.RECORD_SERVICES)


@router.delete("/deliveries/{int:pk}", response=answers(None, 204))
def delete_delivery(request: HttpRequest, pk: Id) -> Status:
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    actions.do_delete_delivery(line, actor=actor)
    return Status(204, None)


@router.post("/urgent-acts", response=answers(UrgentActOut, 201))
def create_urgent_act(request: HttpRequest, body: UrgentActIn) -> Status:
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    recipient = get_recipient_for(actor, body.recipient_id, Perm.RECORD_SERVICES)
    data = {
        "department": _department(actor, body.department_id),
        "worker": _worker(actor, body.worker_id),
        "date": body.date, "situation": body.situation,
    }
    lines = [{"service": _service(actor, x.service_id, f"lines.{i}.service_id"), "quantity": x.quantity}
             for i, x in enumerate(body.lines)]
    act = run(lambda: actions.do_create_urgent_act(recipient, data, lines, actor=actor), set(body.dict()))
    return Status(201, queries.get_urgent_act_for(actor, act.pk, Perm.RECORD_SERVICES))


@router.get("/urgent-acts/{int:pk}", response=answers(UrgentActOut))
def get_urgent_act(request: HttpRequest, pk: Id) -> UrgentAct:
    actor = actor_of(request)
    act = queries.get_urgent_act_for(actor, pk)
    log_read(actor, [act], via="api:urgent-act")
    return act


class ActLineOut(Schema):
    service_id: int
    code: str
    name: str
    unit: str
    list: str
    quantity: int
    tariff: Money
    value: Money
    amount: Money


class ActTotalsOut(Schema):
    quantity: int
    amount: Money
    value: Money
    basic_value: Money


class MonthlyActOut(Schema):
    recipient_id: int
    department_id: int
    month: str
    number: str | None
    signed_on: datetime.date | None
    lines: list[ActLineOut]
    totals: ActTotalsOut


@router.get("/monthly-acts", response=answers(MonthlyActOut))
def monthly_act(request: HttpRequest, recipient: Id, department: Id, month: str) -> dict[str, Any]:
    actor = actor_of(request)
    _require_any(actor, Perm.VIEW_CASEWORK)
    person = get_recipient_for(actor, recipient, Perm.VIEW_CASEWORK)
    try:
        first = parse_month(month)
    except DateFormatError:
        raise DomainError(_("Enter a month as YYYY-MM."), field="month") from None
    dept = get_department_for(actor, department, Perm.VIEW_CASEWORK)
    allowed = queries.departments_for(actor, person.organisation_id, Perm.VIEW_CASEWORK)
    if dept.organisation_id != person.organisation_id or (allowed is not None and dept.pk not in allowed):
        raise Http404
    data = queries.monthly_act_lines(person, dept.pk, first)
    act = queries.monthly_act_row(person, dept.pk, first)
    log_read(actor, [person], via="api:monthly-act")
    return {
        "recipient_id": person.pk, "department_id": dept.pk, "month": f"{first:%Y-%m}",
        "number": act.number if act else None, "signed_on": act.signed_on if act else None,
        "lines": [{"service_id": x.service_id, "code": x.code, "name": x.name, "unit": x.unit, "list": x.list,
                   "quantity": x.quantity, "tariff": x.tariff, "value": x.value, "amount": x.amount}
                  for x in data.lines],
        "totals": {"quantity": data.total_quantity, "amount": data.total_amount, "value": data.total_value,
                   "basic_value": data.basic_value},
    }
