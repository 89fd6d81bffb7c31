"""Reads for billing, scoped to who asks, and the lookups of the configurable fee data."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.billing.models import (
    Charge,
    DifferentiatedPayment,
    FeeDecision,
    FeeRules,
    IncomeRecord,
    PaymentReceived,
    SubsistenceGroup,
    SubsistenceMinimum,
)
from opora.billing.rules import DEFAULT_FREE_CATEGORIES, missing_months, money, months_before
from opora.lib.dates import add_months, month_start
from opora.lib.errors import DomainError
from opora.people.models import Recipient
from opora.people.queries import recipients_for
from opora.programmes.models import Contract, Programme, ProgrammeStatus
from opora.programmes.queries import fee_mismatch, programme_monthly_cost, terms_in_force

ZERO = Decimal("0")


# --- configurable data: rules, subsistence minimums --------------------------------------------------------------

def fee_rules_in_force(region: str, on: datetime.date) -> FeeRules | None:
    """The region's own rules in force on a date, else the default rules (empty region) in force."""
    for r in (region, ""):
        found = FeeRules.objects.filter(region=r, valid_from__lte=on).order_by("-valid_from").first()
        if found is not None:
            return found
        if not region:
            break
    return None


def differentiated_payment_in_force(region: str, on: datetime.date) -> DifferentiatedPayment | None:
    """Ukraine: the region's own differentiated percentage in force on a date, else the default (empty region)."""
    for r in dict.fromkeys((region, "")):
        found = DifferentiatedPayment.objects.filter(region=r, valid_from__lte=on).order_by("-valid_from").first()
        if found is not None:
            return found
    return None


def free_category_codes(region: str, on: datetime.date) -> list[str]:
    rules = fee_rules_in_force(region, on)
    if rules is None:
        return list(DEFAULT_FREE_CATEGORIES)
    return sorted(rules.free_categories.values_list("code", flat=True))


def subsistence_minimum(region: str, year: int, group: str) -> SubsistenceMinimum | None:
    """The ПМ of a region, year and group: the region's own row, else the default row (empty region)."""
    rows = {m.region: m for m in SubsistenceMinimum.objects.filter(region__in={region, ""}, year=year, group=group)}
    return rows.get(region) or rows.get("")


def subsistence_minimum_for_person(region: str, year: int, pensioner: bool) -> SubsistenceMinimum:
    """The ПМ the threshold is computed from. Art. 31 part 5 refers to the ПМ «for the main socio-demographic
    groups»: a pensioner's threshold uses the pensioners' ПМ; everyone else (and a pensioner when the region has
    no pensioners' figure for the year) uses the per-capita ПМ. Raises a DomainError naming what to fill in."""
    groups = [SubsistenceGroup.PENSIONER, SubsistenceGroup.PER_CAPITA] if pensioner else [SubsistenceGroup.PER_CAPITA]
    for group in groups:
        found = subsistence_minimum(region, year, group)
        if found is not None:
            return found
    raise DomainError(
        _("No subsistence minimum for %(region)s %(year)s (group: %(group)s). It is reference data that an "
          "administrator or the director fills in (Reference data → Subsistence minimums): ask them.")
        % {"region": region or _("(no region set for the organisation)"), "year": year,
           "group": SubsistenceGroup(groups[-1]).label},
        field="subsistence_minimum",
    )


# --- programme cost and the fee in force of a contract ------------------------------------------------------------

def programme_cost(programme: Programme, on: datetime.date) -> Decimal:
    """The monthly cost of a programme: Σ tariff on the date × monthly volume (programmes.rules: a week's volume
    counts 52/12 times a month, a volume for the whole term is spread over its months)."""
    return money(Decimal(programme_monthly_cost(programme, on=on)))


@dataclass(frozen=True)
class ContractFee:
    fee: Decimal
    fee_decision_id: int | None


def contract_fee_on(contract: Contract, day: datetime.date) -> ContractFee:
    """The contract's monthly fee on a day under its terms then (the contract's own, changed by its amendments
    in force by that day: programmes.queries.terms_in_force). Uses contract.amendments.all(): prefetch it."""
    terms = terms_in_force(contract, day)
    return ContractFee(terms.fee, terms.fee_decision_id)


# --- scoped reads --------------------------------------------------------------------------------------------

def billing_recipients(actor: Actor, perm: str = Perm.VIEW_BILLING) -> QuerySet[Recipient]:
    """The people whose billing this actor may see (the people scope, with the billing right)."""
    return recipients_for(actor, perm)


def get_billing_recipient(actor: Actor, pk: int, perm: str = Perm.VIEW_BILLING) -> Recipient:
    return get_object_or_404(billing_recipients(actor, perm).select_related("organisation", "family"), pk=pk)


def fee_decisions_for(actor: Actor, perm: str = Perm.VIEW_BILLING) -> QuerySet[FeeDecision]:
    return FeeDecision.objects.filter(recipient__in=billing_recipients(actor, perm))


def get_fee_decision_for(actor: Actor, pk: int, perm: str = Perm.VIEW_BILLING) -> FeeDecision:
    qs = fee_decisions_for(actor, perm).select_related("recipient", "programme__application", "organisation")
    return get_object_or_404(qs, pk=pk)


def charges_for(actor: Actor, organisation_id: int, month: datetime.date | None = None) -> QuerySet[Charge]:
    qs = Charge.objects.filter(organisation_id=organisation_id, recipient__in=billing_recipients(actor))
    if month is not None:
        qs = qs.filter(month=month_start(month))
    return qs.select_related("recipient").order_by("recipient__search_name", "recipient_id")


def get_charge_for(actor: Actor, pk: int, perm: str = Perm.VIEW_BILLING) -> Charge:
    qs = Charge.objects.filter(recipient__in=billing_recipients(actor, perm))
    return get_object_or_404(qs.select_related("recipient", "organisation", "fee_decision"), pk=pk)


def charge_totals(qs: QuerySet[Charge]) -> dict[str, Decimal]:
    sums = qs.aggregate(basic=Sum("basic_fee"), additional=Sum("additional"), total=Sum("total"))
    return {k: v or ZERO for k, v in sums.items()}


# Who may record a person's income: billing staff (edit_billing) and casework staff (edit_casework: specialists,
# department heads), each for the people in their own scope for that right.
INCOME_PERMS = (Perm.EDIT_BILLING, Perm.EDIT_CASEWORK)


def _people_of(actor: Actor, perms: tuple[str, ...]) -> QuerySet[Recipient]:
    """The people in the actor's scope for any of the rights."""
    scope = Q(pk__in=recipients_for(actor, perms[0]).values("pk"))
    for perm in perms[1:]:
        scope |= Q(pk__in=recipients_for(actor, perm).values("pk"))
    return Recipient.objects.filter(scope)


def may_record_income(actor: Actor) -> bool:
    return any(actor.can(perm) for perm in INCOME_PERMS)


def income_recipients(actor: Actor) -> QuerySet[Recipient]:
    """The people whose income this actor may record."""
    return _people_of(actor, INCOME_PERMS)


def get_income_recipient(actor: Actor, pk: int) -> Recipient:
    return get_object_or_404(income_recipients(actor).select_related("organisation", "family"), pk=pk)


def get_income_reader_recipient(actor: Actor, pk: int) -> Recipient:
    """A person whose income records the actor may read: in the billing scope, or whose income they may record."""
    return get_object_or_404(_people_of(actor, (Perm.VIEW_BILLING, *INCOME_PERMS)), pk=pk)


def income_records_for(actor: Actor, recipient: Recipient) -> QuerySet[IncomeRecord]:
    """A person's income records, for those who see their billing or may record their income."""
    people = _people_of(actor, (Perm.VIEW_BILLING, *INCOME_PERMS))
    return IncomeRecord.objects.filter(recipient=recipient, recipient__in=people)


def _sum_of(model: type[Charge] | type[PaymentReceived], field: str) -> Coalesce:
    rows = (model.objects.filter(recipient=OuterRef("pk")).order_by().values("recipient")
            .annotate(s=Sum(field)).values("s"))
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=14, decimal_places=2)),
                    Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


def with_balances(qs: QuerySet[Recipient]) -> Any:
    """Annotate charged, paid and balance (= charged − paid; positive is a debt), one query for the lot."""
    return qs.annotate(charged=_sum_of(Charge, "total"), paid=_sum_of(PaymentReceived, "amount")).annotate(
        balance=Coalesce("charged", Value(ZERO)) - Coalesce("paid", Value(ZERO)))


def balances_for(actor: Actor, organisation_id: int, which: str = "") -> QuerySet[Recipient]:
    """People of the organisation with a non-zero balance: which = "debtors", "overpaid" or "" (both). Only people
    with a charge or a payment can have one: the sums are computed for them alone, not for everyone registered (on
    PostgreSQL the balances of the demo's 15 000 people took half a second)."""
    with_money = (Q(id__in=Charge.objects.filter(organisation_id=organisation_id).values("recipient_id"))
                  | Q(id__in=PaymentReceived.objects.filter(organisation_id=organisation_id).values("recipient_id")))
    qs: Any = with_balances(billing_recipients(actor).filter(with_money, organisation_id=organisation_id))
    if which == "debtors":
        qs = qs.filter(balance__gt=0)
    elif which == "overpaid":
        qs = qs.filter(balance__lt=0)
    else:
        qs = qs.filter(~Q(balance=0))
    return qs.order_by("-balance", "search_name", "id")


def balance_of(recipient: Recipient) -> dict[str, Decimal]:
    charged = recipient.charges.aggregate(s=Sum("total"))["s"] or ZERO
    paid = recipient.payments.aggregate(s=Sum("amount"))["s"] or ZERO
    return {"charged": charged, "paid": paid, "balance": charged - paid}


def get_programme_for(actor: Actor, pk: int, perm: str = Perm.VIEW_BILLING) -> Programme:
    """A programme of a person in the actor's billing scope (404 otherwise)."""
    qs = Programme.objects.filter(recipient__in=billing_recipients(actor, perm))
    return get_object_or_404(qs.select_related("recipient", "application", "organisation"), pk=pk)


def programmes_of(recipient: Recipient) -> list[Programme]:
    """The person's programmes in force, newest first (to decide a fee from)."""
    return list(recipient.programmes.filter(status=ProgrammeStatus.ACTIVE).order_by("-valid_from", "-version"))


# --- safeguards (issue 11) --------------------------------------------------------------------------------------

def income_coverage(programme: Programme, decided_on: datetime.date) -> dict[str, Any]:
    """Before a fee decision: the 12 months the rule reads (from the programme's application, else the decision
    date) and those of them without any income record."""
    application = programme.application
    applied_on = application.received_on if application is not None else decided_on
    first, end = months_before(applied_on)
    months = IncomeRecord.objects.filter(recipient_id=programme.recipient_id).values_list("month", flat=True)
    return {"income_first": first, "income_last": add_months(end, -1),
            "missing_months": missing_months(months, applied_on)}


def fee_mismatches_of(recipient: Recipient, day: datetime.date) -> list[Any]:
    """The person's contracts whose payment terms disagree with the fee decision in force (on ``day``, or on the
    contract's last day when it has ended)."""
    contracts = Contract.objects.filter(recipient=recipient).select_related(
        "programme").prefetch_related("amendments")
    return [m for m in (fee_mismatch(c, day) for c in contracts) if m is not None]


def fees_by_department(org_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[int | None, Decimal]:
    """Σ basic_fee of the charges whose month begins in the period, by the department of the fee decision's programme
    (None when unknown): the fees' part of the income from services (rules.income_by_department). One query."""
    return {r["fee_decision__programme__department_id"]: Decimal(r["fee"] or 0).quantize(Decimal("0.01"))
            for r in Charge.objects.filter(organisation_id__in=org_ids, month__gte=start, month__lte=end)
            .values("fee_decision__programme__department_id").annotate(fee=Sum("basic_fee")).order_by()}
