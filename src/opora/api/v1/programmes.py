"""/api/v1/programmes and /api/v1/contracts: the same queries and actions as the pages."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import Page, actor_of, paginate, run
from opora.billing.models import FeeDecision
from opora.intake.queries import applications_for
from opora.lib.errors import DomainError
from opora.org.models import Department, Employee
from opora.people.queries import get_recipient_for
from opora.programmes import actions, queries
from opora.programmes.models import Contract, Programme

router = Router(tags=["programmes"])

T = TypeVar("T")
Period = Literal["week", "month", "term"]
PaymentCode = Literal["free", "partly_paid", "paid"]


class ItemIn(Schema):
    service_id: int
    volume: int = Field(..., ge=1)
    period: Period = "month"
    periodicity: str = Field("", max_length=200)
    conditions: str = Field("", max_length=300)


class ItemOut(Schema):
    service_id: int
    service_code: str = Field(..., alias="service.code")
    service_name: str = Field(..., alias="service.name")
    volume: int
    period: str
    periodicity: str
    conditions: str


class ProgrammeOut(Schema):
    id: int
    number: str
    version: int
    previous_id: int | None
    recipient_id: int
    application_id: int | None
    status: str
    form: str
    department_id: int
    drawn_up_on: datetime.date
    valid_from: datetime.date
    valid_to: datetime.date
    review_on: datetime.date | None
    closed_on: datetime.date | None
    provider: str
    care_level: int
    weekly_hours: int
    days_per_week: int
    visits_per_day: int
    support_measures: str
    items: list[ItemOut]
    warnings: list[str]

    @staticmethod
    def resolve_items(obj: Programme) -> list[object]:
        return list(obj.items.all())

    @staticmethod
    def resolve_warnings(obj: Programme) -> list[str]:
        return actions.late_warnings(obj)


class ProgrammeFields(Schema):
    number: str = Field("", max_length=40)
    drawn_up_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    form: Literal["home", "semi_stationary", "stationary"] | None = None
    department_id: int | None = None
    provider: str = Field("", max_length=300)
    review_on: datetime.date | None = None
    care_level: int | None = Field(None, ge=0)
    weekly_hours: int | None = Field(None, ge=0)
    days_per_week: int | None = Field(None, ge=0, le=7)
    visits_per_day: int | None = Field(None, ge=0)
    support_measures: str = ""


class ProgrammeIn(ProgrammeFields):
    recipient_id: int | None = None
    application_id: int | None = None
    items: list[ItemIn]


class ReviseIn(ProgrammeFields):
    items: list[ItemIn] | None = None


class AmendmentOut(Schema):
    number: int
    signed_on: datetime.date
    valid_from: datetime.date
    description: str
    payment: str
    monthly_fee: Decimal | None
    fee_decision_id: int | None


class ContractOut(Schema):
    id: int
    number: str
    programme_id: int
    recipient_id: int
    enrolment_id: int | None
    signed_on: datetime.date
    valid_from: datetime.date
    valid_to: datetime.date | None
    payment: str
    monthly_fee: Decimal
    fee_decision_id: int | None
    signatory: str
    terminated_on: datetime.date | None
    termination_reason: str
    amendments: list[AmendmentOut]
    payment_in_force: str
    fee_in_force: Decimal

    @staticmethod
    def resolve_amendments(obj: Contract) -> list[object]:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_payment_in_force(obj: Contract) -> str:
        return queries.terms_in_force(obj, _today()).payment

    @staticmethod
    def resolve_fee_in_force(obj: Contract) -> Decimal:
        return queries.fee_in_force(obj, _today())


class ContractIn(Schema):
    programme_id: int
    number: str = Field("", max_length=40)
    signed_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    payment: PaymentCode | None = None
    monthly_fee: Decimal | None = Field(None, ge=0)
    fee_decision_id: int | None = None
    worker_id: int | None = None
    signatory: str = Field("", max_length=300)


class AmendmentIn(Schema):
    description: str = Field(..., min_length=1)
    signed_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    payment: PaymentCode | None = None
    monthly_fee: Decimal | None = Field(None, ge=0)
    fee_decision_id: int | None = None


class TerminateIn(Schema):
    terminated_on: datetime.date
    reason: str


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _run(action: Callable[[], T], keys: set[str]) -> T:
    """Run an action; a domain error names the field as the client sent it (``department`` → ``department_id``)."""
    try:
        return run(action, keys)
    except DomainError as exc:
        if exc.field and exc.field not in keys and f"{exc.field}_id" in keys:
            raise DomainError(exc.message, field=f"{exc.field}_id") from exc
        raise


def _need(actor: Actor, perm: str) -> None:
    if not actor.grants_with(perm):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))


def _programme_data(body: ProgrammeFields, organisation_id: int) -> dict:
    data = body.dict(exclude={"items", "recipient_id", "application_id", "department_id"})
    if body.department_id is not None:
        department = Department.objects.filter(pk=body.department_id, organisation_id=organisation_id).first()
        if department is None:
            raise DomainError(_("Unknown department."), field="department_id")
        data["department"] = department
    return {k: v for k, v in data.items() if v not in (None, "")}


def _items(items: list[ItemIn] | None) -> list[dict] | None:
    if items is None:
        return None
    return [{"service": i.service_id, "volume": i.volume, "period": i.period, "periodicity": i.periodicity,
             "conditions": i.conditions} for i in items]


def _programme(actor: Actor, pk: int) -> Programme:
    return queries.get_programme_for(actor, pk)


@router.get("/programmes", response=Page)
def list_programmes(request, status: str | None = None, department_id: int | None = None,
                    recipient_id: int | None = None, page: int = 1, page_size: int = 50):
    actor = actor_of(request)
    qs = queries.filter_programmes(queries.programmes_for(actor), status=status, department_id=department_id,
                                   recipient_id=recipient_id)
    result = paginate(qs.order_by("-drawn_up_on", "-id").select_related("organisation", "application")
                      .prefetch_related("items__service"), page, page_size)
    result["results"] = [ProgrammeOut.from_orm(p).dict() for p in result["results"]]
    return result


@router.get("/programmes/{int:pk}", response=ProgrammeOut)
def get_programme(request, pk: int):
    return _programme(actor_of(request), pk)


@router.post("/programmes", response={201: ProgrammeOut})
def create_programme(request, body: ProgrammeIn):
    actor = actor_of(request)
    _need(actor, Perm.EDIT_CASEWORK)
    keys = set(body.dict())
    application = None
    if body.application_id is not None:
        application = get_object_or_404(applications_for(actor), pk=body.application_id)
        recipient = application.recipient
        if body.recipient_id is not None and body.recipient_id != recipient.pk:
            raise DomainError(_("The application concerns another person."), field="recipient_id")
    elif body.recipient_id is not None:
        recipient = get_recipient_for(actor, body.recipient_id, Perm.VIEW_CASEWORK)
    else:
        raise DomainError(_("Name the person or the application."), field="recipient_id")
    data = _programme_data(body, recipient.organisation_id)
    if application is not None:
        data["application"] = application
    programme = _run(lambda: actions.do_create_programme(recipient, data, _items(body.items) or [], actor=actor),
                     keys)
    return Status(201, _programme(actor, programme.pk))


@router.post("/programmes/{int:pk}/revise", response={201: ProgrammeOut})
def revise_programme(request, pk: int, body: ReviseIn):
    actor = actor_of(request)
    programme = _programme(actor, pk)
    data = _programme_data(body, programme.organisation_id)
    data.pop("number", None)
    new = _run(lambda: actions.do_revise_programme(programme, data, _items(body.items), actor=actor),
               set(body.dict()))
    return Status(201, _programme(actor, new.pk))


def _contract(actor: Actor, pk: int) -> Contract:
    return queries.get_contract_for(actor, pk)


@router.post("/contracts", response={201: ContractOut})
def create_contract(request, body: ContractIn):
    actor = actor_of(request)
    _need(actor, Perm.EDIT_CASEWORK)
    programme = _programme(actor, body.programme_id)
    data = body.dict(exclude={"programme_id", "fee_decision_id", "worker_id"})
    if body.fee_decision_id is not None:
        decision = FeeDecision.objects.filter(pk=body.fee_decision_id, organisation_id=programme.organisation_id,
                                              recipient_id=programme.recipient_id).first()
        if decision is None:
            raise DomainError(_("Unknown fee decision."), field="fee_decision_id")
        data["fee_decision"] = decision
    if body.worker_id is not None:
        worker = Employee.objects.filter(pk=body.worker_id, organisation_id=programme.organisation_id).first()
        if worker is None:
            raise DomainError(_("Unknown employee."), field="worker_id")
        data["worker"] = worker
    contract = _run(lambda: actions.do_sign_contract(programme, data, actor=actor), set(body.dict()))
    return Status(201, _contract(actor, contract.pk))


@router.get("/contracts/{int:pk}", response=ContractOut)
def get_contract(request, pk: int):
    return _contract(actor_of(request), pk)


@router.post("/contracts/{int:pk}/amendments", response={201: ContractOut})
def amend_contract(request, pk: int, body: AmendmentIn):
    actor = actor_of(request)
    contract = _contract(actor, pk)
    data = body.dict(exclude={"fee_decision_id"})
    if body.fee_decision_id is not None:
        decision = FeeDecision.objects.filter(pk=body.fee_decision_id, recipient_id=contract.recipient_id).first()
        if decision is None:
            raise DomainError(_("Unknown fee decision."), field="fee_decision_id")
        data["fee_decision"] = decision
    _run(lambda: actions.do_amend_contract(contract, data, actor=actor), set(body.dict()))
    return Status(201, _contract(actor, pk))


@router.post("/contracts/{int:pk}/terminate", response=ContractOut)
def terminate_contract(request, pk: int, body: TerminateIn):
    actor = actor_of(request)
    contract = _contract(actor, pk)
    _run(lambda: actions.do_terminate_contract(contract, body.terminated_on, body.reason, actor=actor),
         set(body.dict()))
    return _contract(actor, pk)
