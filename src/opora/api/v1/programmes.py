"""/api/v1/programmes and /api/v1/contracts: the same queries and actions as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import (
    WARNED,
    Amount,
    Body,
    Day,
    Id,
    Money,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    named,
    need,
    paginate,
    run,
    run_warned,
)
from opora.audit.log import log_read
from opora.billing.models import FeeDecision
from opora.billing.queries import get_fee_decision_for
from opora.intake.queries import get_application_for
from opora.lib.errors import DomainError
from opora.org.queries import get_department_for, get_employee_for
from opora.people.queries import get_recipient_for
from opora.programmes import actions, queries
from opora.programmes.models import Contract, Programme

router = Router(tags=["programmes"])

Period = Literal["week", "month", "term"]
PaymentCode = Literal["free", "partly_paid", "paid"]


class ItemIn(Body):
    service_id: Id
    volume: int = Field(..., ge=1)
    period: Period = "month"
    periodicity: str = Field("", max_length=200)
    conditions: str = Field("", max_length=300)


class ProgrammeItemOut(Schema):
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
    items: list[ProgrammeItemOut]
    warnings: list[str]

    @staticmethod
    def resolve_items(obj: Programme) -> list[object]:
        return list(obj.items.all())

    @staticmethod
    def resolve_warnings(obj: Programme) -> list[str]:
        """The warnings confirmed when it was drawn up (in the answer that creates it), then the late ones."""
        return [*getattr(obj, "confirmed_warnings", []), *actions.late_warnings(obj)]


class ProgrammePage(PageBase):
    results: list[ProgrammeOut]


class ProgrammeFields(Body):
    number: str = Field("", max_length=40)
    drawn_up_on: Day | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    form: Literal["home", "semi_stationary", "stationary"] | None = None
    department_id: Id | None = None
    provider: str = Field("", max_length=300)
    review_on: Day | None = None
    care_level: int | None = Field(None, ge=0)
    weekly_hours: int | None = Field(None, ge=0)
    days_per_week: int | None = Field(None, ge=0, le=7)
    visits_per_day: int | None = Field(None, ge=0)
    support_measures: str = ""


CONFIRM_WARNINGS = ("Save although warned (no consent to personal-data processing on file); without it such a "
                    "request answers 409 with the warnings and saves nothing.")


class ProgrammeIn(ProgrammeFields):
    recipient_id: int | None = None
    application_id: int | None = None
    items: list[ItemIn]
    confirm_warnings: bool = Field(False, description=CONFIRM_WARNINGS)


class ReviseIn(ProgrammeFields):
    items: list[ItemIn] | None = None


class AmendmentOut(Schema):
    number: int
    signed_on: datetime.date
    valid_from: datetime.date
    description: str
    payment: str
    monthly_fee: Money | None
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
    monthly_fee: Money
    fee_decision_id: int | None
    signatory: str
    terminated_on: datetime.date | None
    termination_reason: str
    amendments: list[AmendmentOut]
    payment_in_force: str
    fee_in_force: Money

    @staticmethod
    def resolve_amendments(obj: Contract) -> list[object]:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_payment_in_force(obj: Contract) -> str:
        return queries.terms_in_force(obj, _today()).payment

    @staticmethod
    def resolve_fee_in_force(obj: Contract) -> Decimal:
        return queries.fee_in_force(obj, _today())


class ContractIn(Body):
    programme_id: Id
    number: str = Field("", max_length=40)
    signed_on: Day | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    payment: PaymentCode | None = None
    monthly_fee: Amount | None = Field(None, ge=0)
    fee_decision_id: Id | None = None
    worker_id: Id | None = None
    signatory: str = Field("", max_length=300)
    confirm_warnings: bool = Field(False, description=CONFIRM_WARNINGS)


class ContractCreated(ContractOut):
    """The contract signed, with the warnings the client confirmed with ``confirm_warnings``."""

    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj: Contract) -> list[str]:
        return list(getattr(obj, "confirmed_warnings", []))


class AmendmentIn(Body):
    description: str = Field(..., min_length=1)
    signed_on: Day | None = None
    valid_from: Day | None = None
    payment: PaymentCode | None = None
    monthly_fee: Amount | None = Field(None, ge=0)
    fee_decision_id: Id | None = None


class TerminateIn(Body):
    terminated_on: Day
    reason: str


class UndoTerminationIn(Body):
    reason: str = Field(..., min_length=1, max_length=1000)


def _today() -> datetime.date:
    return timezone.localdate()


def _programme_data(actor: Actor, body: ProgrammeFields, organisation_id: Id) -> dict[str, Any]:
    data = body.dict(exclude={"items", "recipient_id", "application_id", "department_id", "confirm_warnings"})
    department_id = body.department_id
    if department_id is not None:
        data["department"] = named(lambda: get_department_for(actor, department_id, Perm.EDIT_CASEWORK),
                                   "department_id", _("Unknown department."), organisation_id)
    return {k: v for k, v in data.items() if v not in (None, "")}


def _items(items: list[ItemIn] | None) -> list[dict[str, Any]] | None:
    if items is None:
        return None
    return [{"service": i.service_id, "volume": i.volume, "period": i.period, "periodicity": i.periodicity,
             "conditions": i.conditions} for i in items]


def _programme(actor: Actor, pk: Id) -> Programme:
    return queries.get_programme_for(actor, pk)


@router.get("/programmes", response=answers(ProgrammePage))
def list_programmes(request: HttpRequest, status: str | None = None, department_id: Id | None = None,
                    recipient_id: Id | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    qs = queries.filter_programmes(queries.programmes_for(actor), status=status, department_id=department_id,
                                   recipient_id=recipient_id)
    return paginate(qs.select_related("organisation", "application").prefetch_related("items__service"), page,
                    page_size, order=("-drawn_up_on", "-id"), audit=(actor, "api:programmes"))


@router.get("/programmes/{int:pk}", response=answers(ProgrammeOut))
def get_programme(request: HttpRequest, pk: Id) -> Programme:
    actor = actor_of(request)
    programme = _programme(actor, pk)
    log_read(actor, [programme], via="api:programme")
    return programme


@router.post("/programmes", response=answers(ProgrammeOut, 201, WARNED))
def create_programme(request: HttpRequest, body: ProgrammeIn) -> Status:
    actor = actor_of(request)
    need(actor, Perm.EDIT_CASEWORK)
    keys = set(body.dict())
    application = None
    if body.application_id is not None:
        application = get_application_for(actor, body.application_id)
        recipient = application.recipient
        if body.recipient_id is not None and body.recipient_id != recipient.pk:
            raise DomainError(_("The application concerns another person."), field="recipient_id")
    elif body.recipient_id is not None:
        recipient = get_recipient_for(actor, body.recipient_id, Perm.VIEW_CASEWORK)
    else:
        raise DomainError(_("Name the person or the application."), field="recipient_id")
    data = _programme_data(actor, body, recipient.organisation_id)
    if application is not None:
        data["application"] = application
    warnings = queries.warnings_to_confirm(recipient, _today())  # the page's warnings, one rule
    programme = run_warned(lambda: actions.do_create_programme(recipient, data, _items(body.items) or [],
                                                               actor=actor), keys, warnings, body.confirm_warnings,
                           actor)
    created = _programme(actor, programme.pk)
    created.confirmed_warnings = warnings  # type: ignore[attr-defined]
    return Status(201, created)


@router.post("/programmes/{int:pk}/revise", response=answers(ProgrammeOut, 201))
def revise_programme(request: HttpRequest, pk: Id, body: ReviseIn) -> Status:
    actor = actor_of(request)
    programme = _programme(actor, pk)
    data = _programme_data(actor, body, programme.organisation_id)
    data.pop("number", None)
    new = run(lambda: actions.do_revise_programme(programme, data, _items(body.items), actor=actor),
              set(body.dict()))
    return Status(201, _programme(actor, new.pk))


def _contract(actor: Actor, pk: Id) -> Contract:
    return queries.get_contract_for(actor, pk)


def _fee_decision(actor: Actor, pk: Id) -> FeeDecision:
    """A fee decision the body names, in the actor's casework scope (else 422); the action checks the person."""
    return named(lambda: get_fee_decision_for(actor, pk, Perm.EDIT_CASEWORK), "fee_decision_id",
                 _("Unknown fee decision."))


@router.post("/contracts", response=answers(ContractCreated, 201, WARNED))
def create_contract(request: HttpRequest, body: ContractIn) -> Status:
    actor = actor_of(request)
    need(actor, Perm.EDIT_CASEWORK)
    programme = _programme(actor, body.programme_id)
    data = body.dict(exclude={"programme_id", "fee_decision_id", "worker_id", "confirm_warnings"})
    if body.fee_decision_id is not None:
        data["fee_decision"] = _fee_decision(actor, body.fee_decision_id)
    worker_id = body.worker_id
    if worker_id is not None:
        data["worker"] = named(lambda: get_employee_for(actor, worker_id, Perm.EDIT_CASEWORK), "worker_id",
                               _("Unknown employee."), programme.organisation_id)
    warnings = queries.warnings_to_confirm(programme.recipient, _today())  # the page's warnings, one rule
    contract = run_warned(lambda: actions.do_sign_contract(programme, data, actor=actor), set(body.dict()),
                          warnings, body.confirm_warnings, actor)
    created = _contract(actor, contract.pk)
    created.confirmed_warnings = warnings  # type: ignore[attr-defined]
    return Status(201, created)


@router.get("/contracts/{int:pk}", response=answers(ContractOut))
def get_contract(request: HttpRequest, pk: Id) -> Contract:
    actor = actor_of(request)
    contract = _contract(actor, pk)
    log_read(actor, [contract], via="api:contract")
    return contract


@router.post("/contracts/{int:pk}/amendments", response=answers(ContractOut, 201))
def amend_contract(request: HttpRequest, pk: Id, body: AmendmentIn) -> Status:
    actor = actor_of(request)
    contract = _contract(actor, pk)
    data = body.dict(exclude={"fee_decision_id"})
    if body.fee_decision_id is not None:
        data["fee_decision"] = _fee_decision(actor, body.fee_decision_id)
    run(lambda: actions.do_amend_contract(contract, data, actor=actor), set(body.dict()))
    return Status(201, _contract(actor, pk))


@router.post("/contracts/{int:pk}/terminate", response=answers(ContractOut))
def terminate_contract(request: HttpRequest, pk: Id, body: TerminateIn) -> Contract:
    actor = actor_of(request)
    contract = _contract(actor, pk)
    run(lambda: actions.do_terminate_contract(contract, body.terminated_on, body.reason, actor=actor),
        set(body.dict()))
    return _contract(actor, pk)


@router.post("/contracts/{int:pk}/undo-termination", response=answers(ContractOut))
def undo_termination(request: HttpRequest, pk: Id, body: UndoTerminationIn) -> Contract:
    """A director undoes a termination made by mistake (the same action as the page), saying why."""
    actor = actor_of(request)
    contract = _contract(actor, pk)
    run(lambda: actions.do_undo_termination(contract, body.reason, actor=actor), set(body.dict()))
    return _contract(actor, pk)
