"""Every billing write: fee data, income records, fee decisions, monthly charges, payments. Atomic and audited."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.log import diff, log_event, snapshot
from opora.audit.models import AuditEvent, EventType
from opora.billing import queries, rules
from opora.billing.models import (
    Charge,
    DifferentiatedPayment,
    FeeDecision,
    FeeRules,
    IncomeRecord,
    PaymentMethod,
    PaymentReceived,
    SubsistenceMinimum,
)
from opora.core.actions import create_object, delete_object, require, update_object
from opora.core.db import reserve_keys
from opora.delivery.models import Delivery
from opora.jurisdictions import jurisdiction_for
from opora.lib.dates import month_bounds, month_start
from opora.lib.db import insert_rows
from opora.lib.errors import DomainError
from opora.lib.formats import month_year
from opora.org.models import Organisation
from opora.org.queries import hold_numbering
from opora.people.models import FamilyMember, Recipient
from opora.programmes.models import Contract, ContractAmendment, Programme

ZERO = Decimal("0")


# --- configurable data (global, Perm.MANAGE_RULES) ------------------------------------------------------------

def do_save_subsistence_minimum(instance: SubsistenceMinimum | None, data: dict, *, actor: Actor) -> SubsistenceMinimum:
    require(actor, Perm.MANAGE_RULES, None)
    if instance is None:
        return create_object(SubsistenceMinimum(**data), actor=actor)
    return update_object(instance, data, actor=actor)


def do_save_differentiated_payment(instance: DifferentiatedPayment | None, data: dict, *,
                                   actor: Actor) -> DifferentiatedPayment:
    """Ukraine: the differentiated percentage of КМУ resolution 429 (unconfirmed data an administrator edits)."""
    require(actor, Perm.MANAGE_RULES, None)
    data = dict(data)
    if "percentage" in data:
        try:
            data["percentage"] = rules.check_percentage(data["percentage"])
        except DomainError as exc:
            raise ValidationError({"percentage": exc.message}) from exc
        if data["percentage"] is None:
            raise ValidationError({"percentage": _("Enter a number.")})
    if instance is None:
        return create_object(DifferentiatedPayment(**data), actor=actor)
    return update_object(instance, data, actor=actor)


def do_save_fee_rules(instance: FeeRules | None, data: dict, *, actor: Actor) -> FeeRules:
    require(actor, Perm.MANAGE_RULES, None)
    data = dict(data)
    categories = list(data.pop("free_categories", []) or [])
    if instance is None:
        return create_object(FeeRules(**data), actor=actor, m2m={"free_categories": categories})
    return update_object(instance, data, actor=actor, m2m={"free_categories": categories})


# --- income records ----------------------------------------------------------------------------------------------

def _require_income_right(actor: Actor, recipient: Recipient) -> None:
    """Billing staff (edit_billing) or casework staff (edit_casework), for a person in their scope."""
    organisation_id = recipient.organisation_id
    if not any(actor.can(perm, organisation_id) for perm in queries.INCOME_PERMS):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    if not queries.income_recipients(actor).filter(pk=recipient.pk).exists():
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))


def do_add_income(recipient: Recipient, data: dict, *, actor: Actor) -> IncomeRecord:
    """Record a month's income of the person or a member of their household (casework or billing staff)."""
    _require_income_right(actor, recipient)
    data = dict(data)
    month = data.get("month")
    if isinstance(month, datetime.date):
        data["month"] = month.replace(day=1)
        if data["month"] > timezone.localdate():
            raise ValidationError({"month": _("The month cannot be in the future.")})
    record = IncomeRecord(organisation_id=recipient.organisation_id, recipient=recipient, **data)
    return create_object(record, actor=actor)


def do_delete_income(record: IncomeRecord, *, actor: Actor) -> None:
    _require_income_right(actor, record.recipient)
    delete_object(record, actor=actor)


# --- fee decisions -------------------------------------------------------------------------------------------------

def household_size_of(recipient: Recipient) -> int:
    """1 + the members of the person's household other than the person themselves."""
    if recipient.family_id is None:
        return 1
    others = FamilyMember.objects.filter(family_id=recipient.family_id).filter(
        Q(recipient__isnull=True) | ~Q(recipient_id=recipient.pk))
    return 1 + others.count()


@transaction.atomic
def do_decide_fee(programme: Programme, decided_on: datetime.date, *, actor: Actor,
                  household_size: int | None = None) -> FeeDecision:
    """Decide the monthly fee for a programme's basic services (art. 31–32 of 442-ФЗ) and store why.

    Everything is taken as of the application date (the programme's application, else the decision date): the
    income of the 12 months before it, the fee rules in force, the subsistence minimum of its year. The cost of
    the programme is at the tariffs in force on the decision date.
    """
    require(actor, Perm.EDIT_BILLING, programme.organisation_id)
    recipient = queries.get_billing_recipient(actor, programme.recipient_id, Perm.EDIT_BILLING)
    if decided_on > timezone.localdate():
        raise DomainError(_("The decision date cannot be in the future."), field="decided_on")
    organisation = Organisation.objects.get(pk=programme.organisation_id)
    region = organisation.region
    application = programme.application
    applied_on = application.received_on if application is not None else decided_on
    if household_size is None:
        household_size = household_size_of(recipient)
    elif household_size < 1:
        raise DomainError(_("The household has at least one member."), field="household_size")

    law = jurisdiction_for(organisation)
    months = rules.UA_INCOME_MONTHS if law.fee_rule == rules.RULE_429 else 12
    records = list(IncomeRecord.objects.filter(recipient=recipient).values_list("month", "amount"))
    first, end = rules.months_before(applied_on, months)
    income_total = sum((amount for month, amount in records if first <= month < end), ZERO)
    income = rules.per_capita_income(records, household_size, applied_on, months)

    codes = set(recipient.categories.values_list("code", flat=True))
    free_category = rules.free_category(codes, queries.free_category_codes(region, applied_on),
                                        recipient.birth_date, applied_on)
    fee_rules = queries.fee_rules_in_force(region, applied_on)
    coefficient = fee_rules.coefficient if fee_rules is not None else rules.MIN_COEFFICIENT
    pensioner = "pensioner" in codes
    minimum = queries.subsistence_minimum_for_person(region, applied_on.year, pensioner)
    cost = queries.programme_cost(programme, decided_on)

    percentage = None
    if law.fee_rule == rules.RULE_429:
        coefficient = rules.UA_FREE_MULTIPLE
        configured = queries.differentiated_payment_in_force(region, applied_on)
        percentage = configured.percentage if configured is not None else None
    result = rules.compute_fee_by(law.fee_rule, programme.form, income, minimum.amount, coefficient, cost,
                                  free_category, percentage)
    explanation = dict(result.explanation)
    explanation.update({
        "application_date": applied_on.isoformat(),
        "income_months": [first.isoformat(), end.isoformat()],
        "income_total": str(income_total),
        "missing_months": [m.isoformat() for m in rules.missing_months((m for m, _a in records), applied_on)],
        "household_size": household_size,
        "subsistence_group": minimum.group,
        "subsistence_region": minimum.region,
        "subsistence_year": minimum.year,
        "fee_rules_id": fee_rules.pk if fee_rules is not None else None,
    })
    decision = FeeDecision(
        organisation_id=programme.organisation_id, recipient=recipient, programme=programme, decided_on=decided_on,
        form=programme.form, income_total=income_total, household_size=household_size, income_per_capita=income,
        subsistence_minimum=minimum.amount, coefficient=coefficient, threshold=result.threshold,
        programme_cost=cost, free_category=free_category, fee=result.fee, branch=str(result.branch),
        explanation=explanation,
    )
    return create_object(decision, actor=actor)


# --- monthly charges ---------------------------------------------------------------------------------------------

def _next_numbers(organisation_id: int, month: datetime.date, count: int) -> list[str]:
    hold_numbering(organisation_id)  # until the charges are saved: no one else takes the same receipt numbers
    prefix = f"{month:%Y%m}-"
    taken = Charge.objects.filter(organisation_id=organisation_id, receipt_number__startswith=prefix)
    last = 0
    for number in taken.values_list("receipt_number", flat=True):
        tail = number[len(prefix):]
        if tail.isdigit():
            last = max(last, int(tail))
    return [f"{prefix}{last + i:05d}" for i in range(1, count + 1)]


def _additional_services(organisation: Organisation, first: datetime.date, last: datetime.date,
                         people: Q | None = None) -> dict[int, Decimal | None]:
    """person → Σ amount of the additional services of the journal from ``first`` to ``last`` (a month): what a
    month's charge adds to the fee; the one query of do_compute_charges and of do_compute_charges_months per month."""
    rows = (Delivery.objects.filter(people or Q(), organisation=organisation, date__gte=first, date__lte=last,
                                    list="additional")
            .order_by().values("recipient_id").annotate(s=Sum("amount")))
    return {row["recipient_id"]: row["s"] for row in rows}


@transaction.atomic
def do_compute_charges(organisation: Organisation, month: datetime.date, *, actor: Actor,
                       recipient_ids: Collection[int] | None = None) -> dict[str, int]:
    """Create or update every person's charge for a month: the fee of the contract in force (the latest amendment
    from the end of the month or before, else the contract's fee; the whole month's fee when the contract is in
    force on any day of the month; with several contracts, the latest one) plus the additional services of the
    month at tariff. Idempotent: only charges whose figures changed are written. A fixed number of queries.
    ``recipient_ids`` limits it to those people (the undo of a termination recomputes one person's months)."""
    require(actor, Perm.EDIT_BILLING, organisation.pk)
    first, last = month_bounds(month)
    if first > timezone.localdate():
        raise DomainError(_("The month cannot be in the future."), field="month")
    people = Q() if recipient_ids is None else Q(recipient_id__in=list(recipient_ids))

    contracts = (Contract.objects.filter(people, organisation=organisation, valid_from__lte=last)
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
                 .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=first))
                 .order_by("recipient_id", "valid_from", "id")
                 .prefetch_related(Prefetch("amendments", queryset=ContractAmendment.objects.all())))
    additional = _additional_services(organisation, first, last, people)
    existing = {c.recipient_id: c for c in Charge.objects.filter(people, organisation=organisation, month=first)}
    return _compute_month(organisation, first, last, contracts, additional, existing, actor)


@transaction.atomic
def do_compute_charges_months(organisation: Organisation, months: Sequence[datetime.date], *,
                              actor: Actor) -> dict[str, int]:
    """do_compute_charges for many months in one pass (the bulk entry point: the demo computes every month since
    2019): the contracts and the charges are read once for all the months, the additional services month by month
    by do_compute_charges' own query, then each month goes through the same step as do_compute_charges (the same
    figures, receipt numbers and one audit event per charge written). Returns the totals over the months."""
    require(actor, Perm.EDIT_BILLING, organisation.pk)
    bounds = sorted({month_bounds(m) for m in months})
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    if not bounds:
        return totals
    if bounds[-1][0] > timezone.localdate():
        raise DomainError(_("The month cannot be in the future."), field="month")
    low, high = bounds[0][0], bounds[-1][1]
    contracts = list(Contract.objects.filter(organisation=organisation, valid_from__lte=high)
                     .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=low))
                     .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=low))
                     .order_by("recipient_id", "valid_from", "id")
                     .prefetch_related(Prefetch("amendments", queryset=ContractAmendment.objects.all())))
    additional = {first: _additional_services(organisation, first, last) for first, last in bounds}
    existing: dict[datetime.date, dict[int, Charge]] = defaultdict(dict)
    for charge in Charge.objects.filter(organisation=organisation, month__gte=low, month__lte=high):
        existing[charge.month][charge.recipient_id] = charge
    for first, last in bounds:  # the same filter as do_compute_charges' query, in the same order
        in_force = [c for c in contracts if c.valid_from <= last and (c.valid_to is None or c.valid_to >= first)
                    and (c.terminated_on is None or c.terminated_on >= first)]
        counts = _compute_month(organisation, first, last, in_force, additional.get(first, {}),
                                existing.get(first, {}), actor)
        for key, value in counts.items():
            totals[key] += value
    return totals


def _compute_month(organisation: Organisation, first: datetime.date, last: datetime.date,
                   contracts: Iterable[Contract], additional_sums: dict[int, Decimal | None],
                   existing: dict[int, Charge], actor: Actor) -> dict[str, int]:
    """One month of do_compute_charges from what was read: the contracts in force in the month (ordered by person,
    start, id), the month's sums of additional services by person and its charges by person."""
    basic: dict[int, tuple[Decimal, int | None]] = {}
    for contract in contracts:  # ordered: the latest contract of a person wins
        in_force = queries.contract_fee_on(contract, last)
        basic[contract.recipient_id] = (rules.money(in_force.fee), in_force.fee_decision_id)

    additional: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pk, amount in additional_sums.items():
        additional[pk] = rules.money(amount or ZERO)

    wanted: dict[int, tuple[Decimal, Decimal, int | None]] = {}
    for pk in set(basic) | set(additional) | set(existing):
        fee, decision_id = basic.get(pk, (ZERO, None))
        wanted[pk] = (fee, additional.get(pk, ZERO), decision_id)

    to_create: list[tuple[int, Decimal, Decimal, Decimal, int | None]] = []
    to_update = []
    for pk, (fee, extra, decision_id) in sorted(wanted.items()):
        total = fee + extra
        charge = existing.get(pk)
        if charge is None:
            if total > 0:
                to_create.append((pk, fee, extra, total, decision_id))
        elif (charge.basic_fee, charge.additional, charge.total, charge.fee_decision_id) != (
                fee, extra, total, decision_id):
            before = {"basic_fee": str(charge.basic_fee), "additional": str(charge.additional),
                      "total": str(charge.total)}
            charge.basic_fee, charge.additional, charge.total, charge.fee_decision_id = fee, extra, total, decision_id
            charge._changes = {k: [v, str(getattr(charge, k))] for k, v in before.items()  # type: ignore[attr-defined]
                               if v != str(getattr(charge, k))}
            to_update.append(charge)

    # The new charges and their audit events as rows, not model instances (tens of thousands when the demo charges
    # every month since 2019): the same columns bulk_create would write, one time of creation for the month's rows,
    # the charges' keys given before writing (the events name them).
    numbers = _next_numbers(organisation.pk, first, len(to_create))
    keys = reserve_keys(Charge, len(to_create))
    now = timezone.now()
    insert_rows(Charge, ("id", *CHARGE_FIELDS), [
        (key, organisation.pk, pk, first, number, fee, extra, total, decision_id, now)
        for (pk, fee, extra, total, decision_id), number, key in zip(to_create, numbers, keys, strict=True)])
    ids = {pk: key for (pk, *_figures), key in zip(to_create, keys, strict=True)}
    Charge.objects.bulk_update(to_update, ["basic_fee", "additional", "total", "fee_decision"], batch_size=1000)

    charge_type = Charge._meta.label_lower
    insert_rows(AuditEvent, EVENT_FIELDS, [
        (organisation.pk, actor.user_id, EventType.CREATED.value, charge_type, str(ids[pk]),
         Charge.__str__(SimpleNamespace(month=first, total=total))[:300],  # type: ignore[arg-type]
         {"receipt_number": [None, number], "basic_fee": [None, str(fee)], "additional": [None, str(extra)],
          "total": [None, str(total)]}, now)
        for (pk, fee, extra, total, _decision), number in zip(to_create, numbers, strict=True)])
    AuditEvent.objects.bulk_create([_charge_event(actor, c, EventType.UPDATED, c._changes)  # type: ignore[attr-defined]
                                    for c in to_update], batch_size=1000)
    return {"created": len(to_create), "updated": len(to_update), "unchanged": len(existing) - len(to_update)}


CHARGE_FIELDS = ("organisation_id", "recipient_id", "month", "receipt_number", "basic_fee", "additional", "total",
                 "fee_decision_id", "created_at")
EVENT_FIELDS = ("organisation_id", "actor_id", "event_type", "object_type", "object_id", "object_repr", "changes",
                "created_at")


def recompute_after_undo(sender: type, *, contract: Contract, terminated_on: datetime.date, actor: Actor,
                         **kwargs: Any) -> list[str]:
    """The undo of a termination (programmes.signals.termination_undone, in its transaction): the person's charges
    of the months already charged from the month of the termination to this month, recomputed by
    :func:`do_compute_charges` as if the contract had not been terminated (audited there). A month counts as
    charged when the organisation has a charge in it (as the accountant's «months not yet charged»); a month not
    charged yet is left to the accountant. Returns what it did, for the user."""
    first = month_start(terminated_on)
    months = sorted(set(Charge.objects.filter(organisation_id=contract.organisation_id, month__gte=first,
                                              month__lte=month_start(timezone.localdate()))
                        .values_list("month", flat=True)))
    if not months:
        return []
    organisation = Organisation.objects.get(pk=contract.organisation_id)
    changed = 0
    for month in months:
        counts = do_compute_charges(organisation, month, actor=actor, recipient_ids=[contract.recipient_id])
        changed += counts["created"] + counts["updated"]
    if not changed:
        return []
    return [ngettext("The charges were recomputed for %(n)s month already charged (%(months)s): %(changed)s "
                     "changed.", "The charges were recomputed for %(n)s months already charged (%(months)s): "
                     "%(changed)s changed.", len(months))
            % {"n": len(months), "months": ", ".join(month_year(m) for m in months), "changed": changed}]


def _charge_event(actor: Actor, charge: Charge, event_type: str, changes: dict[str, Any]) -> AuditEvent:
    return AuditEvent(organisation_id=charge.organisation_id, actor_id=actor.user_id, event_type=event_type,
                      object_type=Charge._meta.label_lower, object_id=str(charge.pk), object_repr=str(charge)[:300],
                      changes=changes)


# --- payments ---------------------------------------------------------------------------------------------------

@transaction.atomic
def do_record_payment(recipient: Recipient, data: dict, *, actor: Actor) -> PaymentReceived:
    """Record money received from a person: amount > 0, not dated in the future, a known method (rules.py
    `payment_problems`), for one of the person's own charges if a charge is named."""
    require(actor, Perm.EDIT_BILLING, recipient.organisation_id)
    recipient = queries.get_billing_recipient(actor, recipient.pk, Perm.EDIT_BILLING)
    data = dict(data)
    charge = data.get("charge")
    problems = rules.payment_problems(data.get("amount"), data.get("paid_on"), data.get("method"),
                                      PaymentMethod.values, timezone.localdate(),
                                      None if charge is None else charge.recipient_id == recipient.pk)
    if problems:
        raise ValidationError(problems)
    payment = PaymentReceived(organisation_id=recipient.organisation_id, recipient=recipient, **data)
    return create_object(payment, actor=actor)


@transaction.atomic
def do_record_payments(organisation: Organisation, payments: Sequence[PaymentReceived], *, actor: Actor) -> int:
    """do_record_payment for many payments of one organisation at once (the bulk entry point: the demo's years of
    payments): the same checks (rules.py `payment_problems`; each person of the organisation; a charge, if named,
    the person's own), a DomainError naming the first payment that fails and nothing written; then the payments
    and one audit event each as rows (keys given before writing). Returns the number written."""
    require(actor, Perm.EDIT_BILLING, organisation.pk)
    today = timezone.localdate()
    people = set(Recipient.objects.filter(organisation=organisation).values_list("id", flat=True))
    charge_ids = {p.charge_id for p in payments if p.charge_id is not None}
    charges = Charge.objects.filter(organisation=organisation)
    if len(charge_ids) <= 1000:  # else the organisation's charges are read whole: cheaper than a list of ids
        charges = charges.filter(pk__in=charge_ids)
    owner = dict(charges.values_list("id", "recipient_id"))
    methods = frozenset(PaymentMethod.values)  # computed by Django on every access
    for number, payment in enumerate(payments, start=1):
        problems = rules.payment_problems(
            payment.amount, payment.paid_on, payment.method, methods, today,
            None if payment.charge_id is None else owner.get(payment.charge_id) == payment.recipient_id)
        if payment.recipient_id not in people:
            problems["recipient"] = _("The person is not of this organisation.")
        if problems:
            field, message = next(iter(problems.items()))
            raise DomainError(_("Payment %(n)s: %(message)s") % {"n": number, "message": message}, field=field)
    now = timezone.now()
    for payment, key in zip(payments, reserve_keys(PaymentReceived, len(payments)), strict=True):
        payment.pk, payment.organisation_id, payment.created_at = key, organisation.pk, now
    insert_rows(PaymentReceived, ("id", *PAYMENT_FIELDS), [
        (p.pk, p.organisation_id, p.recipient_id, p.paid_on, p.amount, p.method, p.document, p.charge_id, now)
        for p in payments])
    payment_type = PaymentReceived._meta.label_lower
    insert_rows(AuditEvent, EVENT_FIELDS, [  # as create_object audits one payment
        (organisation.pk, actor.user_id, EventType.CREATED.value, payment_type, str(p.pk), str(p)[:300],
         diff({}, snapshot(p)), now)
        for p in payments])
    return len(payments)


PAYMENT_FIELDS = ("organisation_id", "recipient_id", "paid_on", "amount", "method", "document", "charge_id",
                  "created_at")


def recorded(obj: FeeDecision | Charge | PaymentReceived, *, actor: Actor) -> None:
    """Audit that a printed document of a billing object was produced."""
    log_event(actor=actor, event_type=EventType.EXPORTED, obj=obj, organisation_id=obj.organisation_id)

