"""API v1: billing — the fee calculator, fee decisions, income records, monthly charges, payments, balances.

Money is answered as JSON numbers with two decimals (`750.00`), never as floats rounded by the encoder.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from opora.accounts.roles import Perm
from opora.api.v1.common import actor_of, organisation_for_write, paginate, run
from opora.billing import actions, queries, rules
from opora.billing.models import Charge, FeeDecision, IncomeRecord, PaymentReceived
from opora.core.errors import DomainError
from opora.lib.dates import DateFormatError, parse_month
from opora.org.models import Organisation
from opora.people.models import Category

router = Router(tags=["billing"])

MONEY_KEYS = {"income_per_capita", "subsistence_minimum", "threshold", "programme_cost", "fee", "income_total",
              "basic_fee", "additional", "total", "amount", "charged", "paid", "balance"}
_MARK = re.compile(r'"\\u0000(-?\d+(?:\.\d+)?)\\u0000"')


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return f"\x00{rules.money(o):f}\x00"
        if isinstance(o, datetime.date):
            return o.isoformat()
        return super().default(o)


def money_json(data: Any, status: int = 200) -> HttpResponse:
    """JSON with Decimals as numbers with two decimals."""
    text = _MARK.sub(r"\1", json.dumps(data, cls=_Encoder, ensure_ascii=False))
    return HttpResponse(text, status=status, content_type="application/json; charset=utf-8")


def _explanation(e: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in e.items():
        if (key in MONEY_KEYS or key == "coefficient") and isinstance(value, str):
            out[key] = Decimal(value)
        else:
            out[key] = value
    return out


# --- the calculator ----------------------------------------------------------------------------------------------

class FeePreviewIn(Schema):
    form: str = Field(..., description="home | semi_stationary | stationary | urgent")
    income_per_capita: Decimal
    subsistence_minimum: Decimal
    coefficient: Decimal = Decimal("1.5")
    programme_cost: Decimal
    categories: list[str] = []


class FeePreviewOut(Schema):
    fee: float
    branch: str
    explanation: dict


def _reading_org(actor, perms: tuple[str, ...]) -> Organisation:
    ids = sorted({g.organisation_id for p in perms for g in actor.grants_with(p)})
    if not ids:
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    return Organisation.objects.get(pk=ids[0])


@router.post("/billing/fee-preview", response=FeePreviewOut)
def fee_preview(request, body: FeePreviewIn):
    """The monthly fee by art. 31–32 of 442-ФЗ for the figures given; nothing is stored."""
    actor = actor_of(request)
    org = _reading_org(actor, (Perm.VIEW_CASEWORK, Perm.VIEW_BILLING))
    known = set(Category.objects.filter(code__in=body.categories).values_list("code", flat=True))
    unknown = [c for c in body.categories if c not in known]
    if unknown:
        raise DomainError(_("Unknown category: %(codes)s.") % {"codes": ", ".join(unknown)}, field="categories")
    free = sorted(known & set(queries.free_category_codes(org.region, timezone.localdate())))
    result = rules.compute_fee(body.form, body.income_per_capita, body.subsistence_minimum, body.coefficient,
                               body.programme_cost, free[0] if free else "")
    return money_json({"fee": result.fee, "branch": str(result.branch),
                       "explanation": _explanation(result.explanation)})


# --- fee decisions and income -------------------------------------------------------------------------------------

class FeeDecisionIn(Schema):
    programme_id: int
    decided_on: datetime.date
    household_size: int | None = None


def _decision(d: FeeDecision) -> dict:
    return {"id": d.pk, "recipient_id": d.recipient_id, "programme_id": d.programme_id, "decided_on": d.decided_on,
            "form": d.form, "income_total": d.income_total, "household_size": d.household_size,
            "income_per_capita": d.income_per_capita, "subsistence_minimum": d.subsistence_minimum,
            "coefficient": d.coefficient, "threshold": d.threshold, "programme_cost": d.programme_cost,
            "free_category": d.free_category, "fee": d.fee, "branch": d.branch,
            "explanation": {**_explanation(d.explanation), "text": rules.describe(d.explanation)}}


@router.post("/billing/fee-decisions", response={201: dict})
def decide_fee(request, body: FeeDecisionIn):
    actor = actor_of(request)
    if not actor.can(Perm.EDIT_BILLING):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    programme = queries.get_programme_for(actor, body.programme_id, Perm.EDIT_BILLING)
    decision = run(lambda: actions.do_decide_fee(programme, body.decided_on, actor=actor,
                                                 household_size=body.household_size), set(body.dict()))
    return money_json(_decision(decision), status=201)


@router.get("/billing/fee-decisions/{int:pk}", response=dict)
def get_fee_decision(request, pk: int):
    return money_json(_decision(queries.get_fee_decision_for(actor_of(request), pk)))


class IncomeIn(Schema):
    recipient_id: int
    month: datetime.date = Field(..., description="Any day of the month; stored as its first day.")
    member_name: str = Field("", max_length=300)
    source: str = Field(..., min_length=1, max_length=200)
    amount: Decimal


def _income(i: IncomeRecord) -> dict:
    return {"id": i.pk, "recipient_id": i.recipient_id, "month": i.month, "member_name": i.member_name,
            "source": i.source, "amount": i.amount}


@router.get("/billing/income", response=dict)
def list_income(request, recipient_id: int):
    """A person's income records: for billing staff, and for casework staff who may record them."""
    actor = actor_of(request)
    if not (actor.can(Perm.VIEW_BILLING) or queries.may_record_income(actor)):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    people = queries.billing_recipients(actor) | queries.income_recipients(actor)
    recipient = get_object_or_404(people.distinct(), pk=recipient_id)
    return money_json({"results": [_income(i) for i in queries.income_records_for(actor, recipient)]})


@router.post("/billing/income", response={201: dict})
def add_income(request, body: IncomeIn):
    """Record a month's income: billing staff and casework staff (edit_casework), for people in their scope."""
    actor = actor_of(request)
    if not queries.may_record_income(actor):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    recipient = queries.get_income_recipient(actor, body.recipient_id)
    data = body.dict()
    data.pop("recipient_id")
    record = run(lambda: actions.do_add_income(recipient, data, actor=actor), set(body.dict()))
    return money_json(_income(record), status=201)


# --- charges, payments, balances ------------------------------------------------------------------------------------

def _month(text: str) -> datetime.date:
    try:
        return parse_month(text)
    except DateFormatError:
        raise DomainError(_("Enter the month as YYYY-MM."), field="month") from None


def _charge(c: Charge) -> dict:
    return {"id": c.pk, "recipient_id": c.recipient_id, "recipient": c.recipient.full_name, "month": c.month,
            "receipt_number": c.receipt_number, "basic_fee": c.basic_fee, "additional": c.additional,
            "total": c.total, "fee_decision_id": c.fee_decision_id}


@router.get("/billing/charges", response=dict)
def list_charges(request, month: str, organisation: str | None = None, page: int = 1, page_size: int = 100):
    actor = actor_of(request)
    org = organisation_for_write(actor, organisation, Perm.VIEW_BILLING)
    qs = queries.charges_for(actor, org.pk, _month(month))
    result = paginate(qs, page, page_size)
    result["results"] = [_charge(c) for c in result["results"]]
    result["totals"] = queries.charge_totals(qs)
    return money_json(result)


class ComputeIn(Schema):
    month: str = Field(..., description="YYYY-MM")
    organisation: str | None = None


@router.post("/billing/charges/compute", response=dict)
def compute_charges(request, body: ComputeIn):
    actor = actor_of(request)
    org = organisation_for_write(actor, body.organisation, Perm.EDIT_BILLING)
    return actions.do_compute_charges(org, _month(body.month), actor=actor)


class PaymentIn(Schema):
    recipient_id: int
    paid_on: datetime.date
    amount: Decimal
    method: str = Field(..., description="cash | bank | pension")
    document: str = Field("", max_length=100)
    charge_id: int | None = None


def _payment(p: PaymentReceived) -> dict:
    return {"id": p.pk, "recipient_id": p.recipient_id, "paid_on": p.paid_on, "amount": p.amount,
            "method": p.method, "document": p.document, "charge_id": p.charge_id}


@router.post("/billing/payments", response={201: dict})
def record_payment(request, body: PaymentIn):
    actor = actor_of(request)
    if not actor.can(Perm.EDIT_BILLING):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    recipient = queries.get_billing_recipient(actor, body.recipient_id, Perm.EDIT_BILLING)
    data = body.dict()
    data.pop("recipient_id")
    charge_id = data.pop("charge_id")
    if charge_id is not None:
        data["charge"] = get_object_or_404(Charge, pk=charge_id, organisation_id=recipient.organisation_id)
    payment = run(lambda: actions.do_record_payment(recipient, data, actor=actor), set(body.dict()))
    return money_json(_payment(payment), status=201)


@router.get("/billing/balances", response=dict)
def list_balances(request, which: str = "", organisation: str | None = None, page: int = 1, page_size: int = 100):
    actor = actor_of(request)
    if which not in ("", "debtors", "overpaid"):
        raise DomainError(_("Choose debtors, overpaid or nothing."), field="which")
    org = organisation_for_write(actor, organisation, Perm.VIEW_BILLING)
    result = paginate(queries.balances_for(actor, org.pk, which), page, page_size)
    result["results"] = [{"recipient_id": r.pk, "recipient": r.full_name, "charged": r.charged, "paid": r.paid,
                          "balance": r.balance} for r in result["results"]]
    return money_json(result)
