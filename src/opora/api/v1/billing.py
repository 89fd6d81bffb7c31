"""API v1: billing — the fee calculator, fee decisions, income records, monthly charges, payments, balances.

Money is answered as JSON numbers with two decimals (`750.00`), by the API's one encoder (opora.lib.money_json).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import (
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
    organisation_for_write,
    paginate,
    run,
)
from opora.audit.log import log_read
from opora.billing import actions, queries, rules
from opora.billing.models import FeeDecision, IncomeRecord, PaymentReceived
from opora.jurisdictions import get as get_jurisdiction
from opora.lib.dates import DateFormatError, parse_month
from opora.lib.errors import DomainError
from opora.org.models import Organisation
from opora.org.queries import get_organisation_for
from opora.people.models import Category

router = Router(tags=["billing"])


def _forbidden() -> PermissionDenied:
    return PermissionDenied(_("You do not have the right to do this in this organisation."))


# --- the calculator ----------------------------------------------------------------------------------------------

class FeePreviewIn(Body):
    form: str = Field(..., description="home | semi_stationary | stationary | urgent")
    income_per_capita: Amount
    subsistence_minimum: Amount
    coefficient: Amount = Decimal("1.5")
    programme_cost: Amount
    categories: list[str] = []
    jurisdiction: str | None = Field(None, description="ru (442-ФЗ art. 31–32) | ua (КМУ resolution 429); "
                                                       "empty: the organisation's")
    percentage: Amount | None = Field(None, description="ua: the differentiated percentage, 0–100; empty takes "
                                                        "the configured one (unconfirmed) or the placeholder")


class FeeExplanationOut(Schema):
    """How the fee came out: the figures of art. 31–32 of 442-ФЗ and the sentence that explains them."""

    form: str
    income_per_capita: Money
    subsistence_minimum: Money
    coefficient: Money
    threshold: Money
    programme_cost: Money
    free_category: str
    branch: str
    fee: Money
    text: str
    rule: str | None = None
    upper_threshold: Money | None = None
    percentage: Money | None = None


class FeePreviewOut(Schema):
    fee: Money
    branch: str
    explanation: FeeExplanationOut


def _reading_org(actor: Actor, perms: tuple[str, ...]) -> Organisation:
    ids = sorted({g.organisation_id for p in perms for g in actor.grants_with(p)})
    if not ids:
        raise _forbidden()
    return get_organisation_for(actor, ids[0])


@router.post("/billing/fee-preview", response=answers(FeePreviewOut))
def fee_preview(request: HttpRequest, body: FeePreviewIn) -> dict[str, Any]:
    """The monthly fee for the figures given, by art. 31–32 of 442-ФЗ or, with ``"jurisdiction": "ua"``, by КМУ
    resolution 429 (free up to 2 subsistence minimums, differentiated up to 4, full above); nothing is stored."""
    actor = actor_of(request)
    org = _reading_org(actor, (Perm.VIEW_CASEWORK, Perm.VIEW_BILLING))
    known = set(Category.objects.filter(code__in=body.categories).values_list("code", flat=True))
    unknown = [c for c in body.categories if c not in known]
    if unknown:
        raise DomainError(_("Unknown category: %(codes)s.") % {"codes": ", ".join(unknown)}, field="categories")
    free = rules.free_category(known, queries.free_category_codes(org.region, timezone.localdate()))
    try:
        law = get_jurisdiction(body.jurisdiction or org.jurisdiction)
    except KeyError:
        raise DomainError(_("Unknown jurisdiction: %(code)s.") % {"code": body.jurisdiction},
                          field="jurisdiction") from None
    percentage = body.percentage
    if percentage is None and law.fee_rule == rules.RULE_429:
        configured = queries.differentiated_payment_in_force(org.region, timezone.localdate())
        percentage = configured.percentage if configured is not None else None
    result = rules.compute_fee_by(law.fee_rule, body.form, body.income_per_capita, body.subsistence_minimum,
                                  body.coefficient, body.programme_cost, free, percentage)
    return {"fee": result.fee, "branch": str(result.branch), "explanation": result.explanation}


# --- fee decisions and income -------------------------------------------------------------------------------------

class FeeDecisionIn(Body):
    programme_id: Id
    decided_on: Day
    household_size: int | None = None


class FeeDecisionExplanationOut(FeeExplanationOut):
    """The calculator's explanation and where a decision's figures came from; ``text`` in the caller's language."""

    application_date: datetime.date | None = None
    income_months: list[datetime.date] | None = None
    income_total: Money | None = None
    household_size: int | None = None
    subsistence_group: str | None = None
    subsistence_region: str | None = None
    subsistence_year: int | None = None
    fee_rules_id: int | None = None


class FeeDecisionOut(Schema):
    id: int
    recipient_id: int
    programme_id: int
    decided_on: datetime.date
    form: str
    income_total: Money
    household_size: int | None
    income_per_capita: Money
    subsistence_minimum: Money
    coefficient: Money
    threshold: Money
    programme_cost: Money
    free_category: str
    fee: Money
    branch: str
    explanation: FeeDecisionExplanationOut

    @staticmethod
    def resolve_explanation(obj: FeeDecision) -> dict[str, Any]:
        return {**obj.explanation, "text": rules.describe(obj.explanation)}


@router.post("/billing/fee-decisions", response=answers(FeeDecisionOut, 201))
def decide_fee(request: HttpRequest, body: FeeDecisionIn) -> Status:
    actor = actor_of(request)
    if not actor.can(Perm.EDIT_BILLING):
        raise _forbidden()
    programme = queries.get_programme_for(actor, body.programme_id, Perm.EDIT_BILLING)
    decision = run(lambda: actions.do_decide_fee(programme, body.decided_on, actor=actor,
                                                 household_size=body.household_size), body.dict())
    return Status(201, decision)


@router.get("/billing/fee-decisions/{int:pk}", response=answers(FeeDecisionOut))
def get_fee_decision(request: HttpRequest, pk: Id) -> FeeDecision:
    actor = actor_of(request)
    decision = queries.get_fee_decision_for(actor, pk)
    log_read(actor, [decision], via="api:fee-decision")
    return decision


class IncomeIn(Body):
    recipient_id: Id
    month: Day = Field(..., description="Any day of the month; stored as its first day.")
    member_name: str = Field("", max_length=300)
    source: str = Field(..., min_length=1, max_length=200)
    amount: Amount


class IncomeOut(Schema):
    id: int
    recipient_id: int
    month: datetime.date
    member_name: str
    source: str
    amount: Money


class IncomeList(Schema):
    results: list[IncomeOut]


@router.get("/billing/income", response=answers(IncomeList))
def list_income(request: HttpRequest, recipient_id: Id) -> dict[str, Any]:
    """A person's income records: for billing staff, and for casework staff who may record them."""
    actor = actor_of(request)
    if not (actor.can(Perm.VIEW_BILLING) or queries.may_record_income(actor)):
        raise _forbidden()
    recipient = queries.get_income_reader_recipient(actor, recipient_id)
    log_read(actor, [recipient], via="api:income")
    return {"results": list(queries.income_records_for(actor, recipient))}


@router.post("/billing/income", response=answers(IncomeOut, 201))
def add_income(request: HttpRequest, body: IncomeIn) -> Status:
    """Record a month's income: billing staff and casework staff (edit_casework), for people in their scope."""
    actor = actor_of(request)
    if not queries.may_record_income(actor):
        raise _forbidden()
    recipient = queries.get_income_recipient(actor, body.recipient_id)
    data = body.dict()
    data.pop("recipient_id")
    record: IncomeRecord = run(lambda: actions.do_add_income(recipient, data, actor=actor), body.dict())
    return Status(201, record)


# --- charges, payments, balances ------------------------------------------------------------------------------------

def _month(text: str) -> datetime.date:
    try:
        return parse_month(text)
    except DateFormatError:
        raise DomainError(_("Enter the month as YYYY-MM."), field="month") from None


class ChargeOut(Schema):
    id: int
    recipient_id: int
    recipient: str = Field(..., alias="recipient.full_name")
    month: datetime.date
    receipt_number: str
    basic_fee: Money
    additional: Money
    total: Money
    fee_decision_id: int | None


class ChargeTotalsOut(Schema):
    basic: Money
    additional: Money
    total: Money


class ChargePage(PageBase):
    totals: ChargeTotalsOut
    results: list[ChargeOut]


@router.get("/billing/charges", response=answers(ChargePage))
def list_charges(request: HttpRequest, month: str, organisation: str | None = None, page: Page = 1,
                 page_size: PageSize = 100) -> dict[str, Any]:
    actor = actor_of(request)
    org = organisation_for_write(actor, organisation, Perm.VIEW_BILLING)
    qs = queries.charges_for(actor, org.pk, _month(month))
    result = paginate(qs, page, page_size, audit=(actor, "api:charges"))
    result["totals"] = queries.charge_totals(qs)
    return result


class ComputeIn(Body):
    month: str = Field(..., description="YYYY-MM")
    organisation: str | None = None


class ChargesComputedOut(Schema):
    created: int
    updated: int
    unchanged: int


@router.post("/billing/charges/compute", response=answers(ChargesComputedOut))
def compute_charges(request: HttpRequest, body: ComputeIn) -> dict[str, int]:
    actor = actor_of(request)
    org = organisation_for_write(actor, body.organisation, Perm.EDIT_BILLING)
    return actions.do_compute_charges(org, _month(body.month), actor=actor)


class PaymentIn(Body):
    recipient_id: Id
    paid_on: Day
    amount: Amount
    method: str = Field(..., description="cash | bank | pension")
    document: str = Field("", max_length=100)
    charge_id: Id | None = None


class PaymentOut(Schema):
    id: int
    recipient_id: int
    paid_on: datetime.date
    amount: Money
    method: str
    document: str
    charge_id: int | None


@router.post("/billing/payments", response=answers(PaymentOut, 201))
def record_payment(request: HttpRequest, body: PaymentIn) -> Status:
    actor = actor_of(request)
    if not actor.can(Perm.EDIT_BILLING):
        raise _forbidden()
    recipient = queries.get_billing_recipient(actor, body.recipient_id, Perm.EDIT_BILLING)
    data = body.dict()
    data.pop("recipient_id")
    charge_id = data.pop("charge_id")
    if charge_id is not None:
        charge = queries.get_charge_for(actor, charge_id, Perm.EDIT_BILLING)
        if charge.organisation_id != recipient.organisation_id:
            raise Http404
        data["charge"] = charge
    payment: PaymentReceived = run(lambda: actions.do_record_payment(recipient, data, actor=actor), body.dict())
    return Status(201, payment)


class BalanceOut(Schema):
    recipient_id: int = Field(..., alias="pk")
    recipient: str = Field(..., alias="full_name")
    charged: Money
    paid: Money
    balance: Money


class BalancePage(PageBase):
    results: list[BalanceOut]


@router.get("/billing/balances", response=answers(BalancePage))
def list_balances(request: HttpRequest, which: str = "", organisation: str | None = None, page: Page = 1,
                  page_size: PageSize = 100) -> dict[str, Any]:
    actor = actor_of(request)
    if which not in ("", "debtors", "overpaid"):
        raise DomainError(_("Choose debtors, overpaid or nothing."), field="which")
    org = organisation_for_write(actor, organisation, Perm.VIEW_BILLING)
    return paginate(queries.balances_for(actor, org.pk, which), page, page_size, audit=(actor, "api:balances"))
