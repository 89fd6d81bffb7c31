"""/api/v1/deliveries, /api/v1/urgent-acts and /api/v1/monthly-acts: the journal of services."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import actor_of, paginate, run
from opora.catalogue.models import Service
from opora.core.errors import DomainError
from opora.delivery import actions, queries
from opora.delivery.models import Delivery
from opora.org.models import Department, Employee
from opora.people.models import Recipient
from opora.people.queries import get_recipient_for

router = Router(tags=["delivery"])


def _require_any(actor: Actor, perm: str) -> None:
    if not actor.grants_with(perm):
        raise PermissionDenied(_("You do not have the right to do this."))


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
    tariff: float
    amount: float
    over_volume_reason: str
    urgent_act_id: int | None


class TotalsOut(Schema):
    lines: int
    quantity: int
    amount: float


class DeliveryPage(Schema):
    count: int
    page: int
    page_size: int
    totals: TotalsOut
    results: list[DeliveryOut]


class DeliveryIn(Schema):
    recipient_id: int
    department_id: int
    service_id: int
    worker_id: int | None = None
    date: datetime.date
    quantity: int = 1  # at least 1: checked by delivery/rules.py, with the message of the web form and the import
    over_volume_reason: str = Field("", max_length=300)


class DeliveryPatch(Schema):
    department_id: int | None = None
    service_id: int | None = None
    worker_id: int | None = None
    date: datetime.date | None = None
    quantity: int | None = None  # at least 1 (delivery/rules.py)
    over_volume_reason: str | None = Field(None, max_length=300)


class UrgentLineIn(Schema):
    service_id: int
    quantity: int = Field(1, ge=1)


class UrgentActIn(Schema):
    recipient_id: int
    department_id: int
    date: datetime.date
    worker_id: int | None = None
    situation: str = ""
    lines: list[UrgentLineIn]


class UrgentLineOut(Schema):
    id: int
    service_id: int
    service: str = Field(..., alias="service.code")
    quantity: int
    amount: float


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
    def resolve_lines(obj) -> list:
        return list(obj.deliveries.select_related("service").order_by("id"))


def _org_object(model, pk: int | None, organisation_id: int, field: str):
    """A related object for a line: must exist and belong to the person's organisation (else 422 on the field)."""
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError(_("Not found: %(id)s.") % {"id": pk}, field=field)
    if obj.organisation_id != organisation_id:
        raise DomainError(_("This record belongs to another organisation."), field=field)
    return obj


def _service(pk: int, organisation_id: int, field: str = "service_id") -> Service:
    # The action says when a service belongs to another organisation; here only existence is checked.
    service = Service.objects.filter(pk=pk).first()
    if service is None:
        raise DomainError(_("Not found: %(id)s.") % {"id": pk}, field=field)
    return service


def _out(pk: int) -> Delivery:
    return Delivery.objects.select_related("organisation", "recipient", "department", "service").get(pk=pk)


@router.get("/deliveries", response=DeliveryPage)
def list_deliveries(request, month: str | None = None, department_id: int | None = None,
                    worker_id: int | None = None, recipient_id: int | None = None, list: str = "",
                    organisation: str | None = None, page: int = 1, page_size: int = 50):
    actor = actor_of(request)
    _require_any(actor, Perm.VIEW_CASEWORK)
    flt = queries.JournalFilter(department_id=department_id, worker_id=worker_id, recipient_id=recipient_id,
                                list=list)
    if month:
        flt.month = queries.parse_month(month)
        if flt.month is None:
            raise DomainError(_("Enter a month as YYYY-MM."), field="month")
    qs = queries.filter_deliveries(queries.deliveries_for(actor), flt)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    totals = queries.totals(qs)
    result = paginate(queries.for_journal(qs).select_related("organisation"), page, page_size)
    result["totals"] = {"lines": totals.lines, "quantity": totals.quantity, "amount": float(totals.amount)}
    return result


@router.post("/deliveries", response={201: DeliveryOut})
def create_delivery(request, body: DeliveryIn):
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    recipient = get_recipient_for(actor, body.recipient_id, Perm.RECORD_SERVICES)
    org_id = recipient.organisation_id
    data = {
        "recipient": recipient,
        "department": _org_object(Department, body.department_id, org_id, "department_id"),
        "service": _service(body.service_id, org_id),
        "worker": _org_object(Employee, body.worker_id, org_id, "worker_id"),
        "date": body.date, "quantity": body.quantity, "over_volume_reason": body.over_volume_reason,
    }
    line = run(lambda: actions.do_record_delivery(recipient.organisation, data, actor=actor), set(body.dict()))
    return Status(201, _out(line.pk))


@router.get("/deliveries/{int:pk}", response=DeliveryOut)
def get_delivery(request, pk: int):
    actor = actor_of(request)
    return _out(queries.get_delivery_for(actor, pk).pk)


@router.patch("/deliveries/{int:pk}", response=DeliveryOut)
def patch_delivery(request, pk: int, body: DeliveryPatch):
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    sent = body.dict(exclude_unset=True)
    org_id = line.organisation_id
    data: dict = {}
    for key, value in sent.items():
        if value is None and key not in ("worker_id",):
            raise DomainError(_("This field cannot be empty."), field=key)
        if key == "department_id":
            data["department"] = _org_object(Department, value, org_id, key)
        elif key == "service_id":
            data["service"] = _service(value, org_id)
        elif key == "worker_id":
            data["worker"] = _org_object(Employee, value, org_id, key)
        else:
            data[key] = value
    run(lambda: actions.do_update_delivery(line, data, actor=actor), set(sent))
    return _out(pk)


@router.delete("/deliveries/{int:pk}", response={204: None})
def delete_delivery(request, pk: int):
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    actions.do_delete_delivery(line, actor=actor)
    return Status(204, None)


@router.post("/urgent-acts", response={201: UrgentActOut})
def create_urgent_act(request, body: UrgentActIn):
    actor = actor_of(request)
    _require_any(actor, Perm.RECORD_SERVICES)
    recipient = get_recipient_for(actor, body.recipient_id, Perm.RECORD_SERVICES)
    org_id = recipient.organisation_id
    data = {
        "department": _org_object(Department, body.department_id, org_id, "department_id"),
        "worker": _org_object(Employee, body.worker_id, org_id, "worker_id"),
        "date": body.date, "situation": body.situation,
    }
    lines = [{"service": _service(x.service_id, org_id, f"lines.{i}.service_id"), "quantity": x.quantity}
             for i, x in enumerate(body.lines)]
    act = run(lambda: actions.do_create_urgent_act(recipient, data, lines, actor=actor), set(body.dict()))
    return Status(201, queries.get_urgent_act_for(actor, act.pk, Perm.RECORD_SERVICES))


@router.get("/urgent-acts/{int:pk}", response=UrgentActOut)
def get_urgent_act(request, pk: int):
    return queries.get_urgent_act_for(actor_of(request), pk)


class ActLineOut(Schema):
    service_id: int
    code: str
    name: str
    unit: str
    list: str
    quantity: int
    tariff: float
    value: float
    amount: float


class ActTotalsOut(Schema):
    quantity: int
    amount: float
    value: float
    basic_value: float


class MonthlyActOut(Schema):
    recipient_id: int
    department_id: int
    month: str
    number: str | None
    signed_on: datetime.date | None
    lines: list[ActLineOut]
    totals: ActTotalsOut


@router.get("/monthly-acts", response=MonthlyActOut)
def monthly_act(request, recipient: int, department: int, month: str):
    actor = actor_of(request)
    _require_any(actor, Perm.VIEW_CASEWORK)
    person: Recipient = get_recipient_for(actor, recipient, Perm.VIEW_CASEWORK)
    first = queries.parse_month(month)
    if first is None:
        raise DomainError(_("Enter a month as YYYY-MM."), field="month")
    dept = Department.objects.filter(pk=department, organisation_id=person.organisation_id).first()
    allowed = queries.departments_for(actor, person.organisation_id, Perm.VIEW_CASEWORK)
    if dept is None or (allowed is not None and dept.pk not in allowed):
        raise Http404
    data = queries.monthly_act_lines(person, dept.pk, first)
    act = queries.monthly_act_row(person, dept.pk, first)
    return {
        "recipient_id": person.pk, "department_id": dept.pk, "month": f"{first:%Y-%m}",
        "number": act.number if act else None, "signed_on": act.signed_on if act else None,
        "lines": [{"service_id": x.service_id, "code": x.code, "name": x.name, "unit": x.unit, "list": x.list,
                   "quantity": x.quantity, "tariff": float(x.tariff), "value": float(x.value),
                   "amount": float(x.amount)} for x in data.lines],
        "totals": {"quantity": data.total_quantity, "amount": float(data.total_amount),
                   "value": float(data.total_value), "basic_value": float(data.basic_value)},
    }
