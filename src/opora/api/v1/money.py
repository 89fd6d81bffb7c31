"""API v1: money — funds and their balances, receipts, campaigns, aid to people and families, budget lines and
spending. The same scoped queries and audited actions as the screens; money as JSON numbers with two decimals."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

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
    named,
    need,
    organisation_for_write,
    paginate,
    run,
)
from opora.money import actions, queries
from opora.money.models import Aid, BudgetLine, Fund, Spending
from opora.people.queries import get_family_for, get_recipient_for

router = Router(tags=["money"])


class FundOut(Schema):
    id: int
    code: str
    name: str
    source: str
    balance: Money = Field(..., description="What the fund holds at the end of the day asked (default today).")


class FundIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=300)
    source: str


class ReceiptIn(Body):
    date: Day
    amount: Amount
    kind: str = "allocation"
    note: str = Field("", max_length=300)


class ReceiptOut(Schema):
    id: int
    fund_id: int
    date: datetime.date
    amount: Money
    kind: str
    note: str


@router.get("/money/funds", response=answers(list[FundOut]))
def list_funds(request: HttpRequest, on: Day | None = None) -> list[dict[str, Any]]:
    """The funds of the organisations where the caller sees money, with their balance on a day."""
    actor = actor_of(request)
    need(actor, Perm.VIEW_MONEY)
    day = on or timezone.localdate()
    return [{"id": f.pk, "code": f.code, "name": f.name, "source": f.source,
             "balance": queries.fund_balance(f, day)} for f in queries.funds_for(actor)]


@router.post("/money/funds", response=answers(FundOut, 201))
def create_fund(request: HttpRequest, body: FundIn) -> Status:
    actor = actor_of(request)
    org = organisation_for_write(actor, body.organisation, Perm.MANAGE_FUNDS)
    data = body.dict(exclude={"organisation"})
    fund = run(lambda: actions.do_save_fund(None, data, actor=actor, organisation_id=org.pk), data)
    return Status(201, {"id": fund.pk, "code": fund.code, "name": fund.name, "source": fund.source,
                        "balance": Decimal("0.00")})


@router.post("/money/funds/{int:pk}/receipts", response=answers(ReceiptOut, 201))
def add_receipt(request: HttpRequest, pk: Id, body: ReceiptIn) -> Status:
    actor = actor_of(request)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    receipt = run(lambda: actions.do_add_receipt(fund, body.dict(), actor=actor), body.dict())
    return Status(201, receipt)


class AidIn(Body):
    fund_id: Id
    kind: str
    date: Day
    amount: Amount
    quantity: int = Field(1, ge=1, le=1_000_000)
    recipient_id: Id | None = Field(None, description="Exactly one of recipient_id and family_id.")
    family_id: Id | None = None
    campaign_id: Id | None = None
    note: str = Field("", max_length=300)


class AidOut(Schema):
    id: int
    fund: str = Field(..., description="The fund's code.")
    kind: str
    date: datetime.date
    amount: Money
    quantity: int
    recipient_id: int | None
    family_id: int | None
    campaign: str | None = Field(None, description="The campaign's code.")
    note: str

    @staticmethod
    def resolve_fund(obj: Aid) -> str:
        return obj.fund.code

    @staticmethod
    def resolve_campaign(obj: Aid) -> str | None:
        return obj.campaign.code if obj.campaign else None


class AidRecordedOut(AidOut):
    warning: str | None = Field(None, description="Set when the aid exceeds what the fund holds on its date.")


class AidPage(PageBase):
    results: list[AidOut]


@router.get("/money/aid", response=answers(AidPage))
def list_aid(request: HttpRequest, fund: str = "", kind: str = "", campaign: str = "",
             start: Day | None = None, end: Day | None = None,
             recipient_id: Id | None = None, family_id: Id | None = None,
             page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    """The aid the caller sees (all of their organisations' with view_money; else of the people they see)."""
    actor = actor_of(request)
    qs = queries.filter_aid(queries.aid_for(actor), fund=fund, kind=kind, campaign=campaign, start=start, end=end)
    return paginate(qs, page, page_size, where={"recipient_id": recipient_id, "family_id": family_id},
                    audit=(actor, "api:aid"))


@router.post("/money/aid", response=answers(AidRecordedOut, 201))
def record_aid(request: HttpRequest, body: AidIn) -> Status:
    actor = actor_of(request)
    need(actor, Perm.RECORD_AID)
    fund = named(lambda: queries.get_fund_for(actor, body.fund_id, Perm.RECORD_AID), "fund_id", _("Unknown fund."))
    data: dict[str, Any] = {"fund": fund, "kind": body.kind, "date": body.date, "amount": body.amount,
                            "quantity": body.quantity, "note": body.note, "recipient": None, "family": None}
    if body.recipient_id is not None:
        data["recipient"] = named(lambda: get_recipient_for(actor, body.recipient_id or 0, Perm.RECORD_AID),
                                  "recipient_id", _("Unknown recipient."), fund.organisation_id)
    if body.family_id is not None:
        data["family"] = named(lambda: get_family_for(actor, body.family_id or 0, Perm.RECORD_AID),
                               "family_id", _("Unknown family."), fund.organisation_id)
    if body.campaign_id is not None:
        data["campaign"] = named(lambda: queries.get_campaign_for(actor, body.campaign_id or 0, Perm.RECORD_AID),
                                 "campaign_id", _("Unknown campaign."), fund.organisation_id)
    result = run(lambda: actions.do_record_aid(data, actor=actor, organisation_id=fund.organisation_id),
                 body.dict())
    setattr(result.aid, "warning", result.warning)  # noqa: B010 (answered by AidRecordedOut)
    return Status(201, result.aid)


@router.delete("/money/aid/{int:pk}", response=answers(None, 204))
def delete_aid(request: HttpRequest, pk: Id) -> Status:
    actor = actor_of(request)
    aid = queries.get_aid_for(actor, pk)
    actions.do_delete_aid(aid, actor=actor)
    return Status(204, None)


class BudgetLineIn(Body):
    organisation: str | None = None
    year: int = Field(..., ge=1900, le=2200)
    month: int = Field(..., ge=1, le=12)
    fund: str = Field(..., description="general | special")
    code: str = Field(..., min_length=1, max_length=20, description="КОСГУ (Russia) or КЕКВ (Ukraine)")
    name: str = Field("", max_length=300)
    approved: Amount


class BudgetLineOut(Schema):
    id: int
    year: int = Field(..., ge=1900, le=2200)
    month: int
    fund: str
    code: str
    name: str
    approved: Money


class BudgetPage(PageBase):
    results: list[BudgetLineOut]


class SpendingIn(Body):
    organisation: str | None = None
    date: Day
    fund: str
    code: str = Field(..., min_length=1, max_length=20)
    amount: Amount


class SpendingOut(Schema):
    id: int
    date: datetime.date
    fund: str
    code: str
    amount: Money


class SpendingPage(PageBase):
    results: list[SpendingOut]


@router.get("/money/budget", response=answers(BudgetPage))
def list_budget(request: HttpRequest, year: Annotated[int, Field(ge=1900, le=2200)] | None = None, page: Page = 1,
                page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    need(actor, Perm.VIEW_MONEY)
    return paginate(queries.budget_lines_for(actor), page, page_size, where={"year": year})


@router.post("/money/budget", response=answers(BudgetLineOut, 201))
def create_budget_line(request: HttpRequest, body: BudgetLineIn) -> Status:
    actor = actor_of(request)
    org = organisation_for_write(actor, body.organisation, Perm.MANAGE_FUNDS)
    data = body.dict(exclude={"organisation"})
    line: BudgetLine = run(lambda: actions.do_save_budget_line(None, data, actor=actor, organisation_id=org.pk), data)
    return Status(201, line)


class BudgetLineChange(Body):
    year: int = Field(..., ge=1900, le=2200)
    month: int = Field(..., ge=1, le=12)
    fund: str = Field(..., description="general | special")
    code: str = Field(..., min_length=1, max_length=20, description="КОСГУ (Russia) or КЕКВ (Ukraine)")
    name: str = Field("", max_length=300)
    approved: Amount


@router.put("/money/budget/{int:pk}", response=answers(BudgetLineOut))
def update_budget_line(request: HttpRequest, pk: Id, body: BudgetLineChange) -> BudgetLine:
    """Change an approved line (accountant, director); audited."""
    actor = actor_of(request)
    line = get_object_or_404(queries.budget_lines_for(actor, Perm.MANAGE_FUNDS), pk=pk)
    data = body.dict()
    return run(lambda: actions.do_save_budget_line(line, data, actor=actor, organisation_id=line.organisation_id),
               data)


@router.delete("/money/budget/{int:pk}", response=answers(None, 204))
def delete_budget_line(request: HttpRequest, pk: Id) -> Status:
    actor = actor_of(request)
    line = get_object_or_404(queries.budget_lines_for(actor, Perm.MANAGE_FUNDS), pk=pk)
    actions.do_delete_budget_line(line, actor=actor)
    return Status(204, None)


class FundChange(Body):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=300)
    source: str


@router.put("/money/funds/{int:pk}", response=answers(FundOut))
def update_fund(request: HttpRequest, pk: Id, body: FundChange) -> dict[str, Any]:
    """Change a fund's code, name or source (accountant, director); audited."""
    actor = actor_of(request)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    data = body.dict()
    run(lambda: actions.do_save_fund(fund, data, actor=actor, organisation_id=fund.organisation_id), data)
    return {"id": fund.pk, "code": fund.code, "name": fund.name, "source": fund.source,
            "balance": queries.fund_balance(fund, timezone.localdate())}


@router.delete("/money/funds/{int:pk}", response=answers(None, 204))
def delete_fund(request: HttpRequest, pk: Id) -> Status:
    """Delete a fund without receipts and aid; otherwise 422 naming what depends on it."""
    actor = actor_of(request)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    actions.do_delete_fund(fund, actor=actor)
    return Status(204, None)


@router.get("/money/spending", response=answers(SpendingPage))
def list_spending(request: HttpRequest, start: Day | None = None, end: Day | None = None,
                  page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    need(actor, Perm.VIEW_MONEY)
    return paginate(queries.spending_for(actor), page, page_size, where={"date__gte": start, "date__lte": end})


@router.post("/money/spending", response=answers(SpendingOut, 201))
def record_spending(request: HttpRequest, body: SpendingIn) -> Status:
    actor = actor_of(request)
    org = organisation_for_write(actor, body.organisation, Perm.MANAGE_FUNDS)
    data = body.dict(exclude={"organisation"})
    spent: Spending = run(lambda: actions.do_record_spending(data, actor=actor, organisation_id=org.pk), data)
    return Status(201, spent)


__all__ = ["Fund", "router"]
