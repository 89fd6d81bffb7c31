"""Pure rules of the money app: balances, the spending warning and the counting rules of the reports `funds`
and `budget_execution` (EXCHANGE.md Part 2). No ORM here: the queries hand plain records in."""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from opora.lib.formats import money
from opora.lib.periods import share_pct
from opora.money.reference import DISABILITY_CATEGORIES, PENSIONER, ReceiptKind

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ReceiptRec:
    fund: str
    date: datetime.date
    amount: Decimal
    kind: str = ReceiptKind.ALLOCATION


@dataclass(frozen=True)
class AidRec:
    fund: str
    kind: str
    date: datetime.date
    amount: Decimal
    person: int | None = None
    family: int | None = None
    quantity: int = 1
    campaign: str | None = None


def balance_at(receipts: Iterable[ReceiptRec], aid: Iterable[AidRec], day: datetime.date) -> Decimal:
    """What a fund holds at the end of `day`: every receipt dated on or before it less every aid given by then."""
    return (sum((r.amount for r in receipts if r.date <= day), ZERO)
            - sum((a.amount for a in aid if a.date <= day), ZERO))


def overspending(balance: Decimal, amount: Decimal) -> Decimal | None:
    """How much aid of `amount` would take beyond the fund's `balance` (None: it is covered)."""
    return amount - balance if amount > balance else None


def overspending_message(fund: str, balance: Decimal, amount: Decimal) -> str:
    return _("The fund «%(fund)s» holds %(balance)s; this aid of %(amount)s exceeds it.") % {
        "fund": fund, "balance": money(balance), "amount": money(amount)}


def overspent_aid(receipts: Iterable[ReceiptRec], aid: Iterable[AidRec],
                  candidates: Iterable[tuple[int, AidRec]], names: Mapping[str, str]) -> list[tuple[int, str]]:
    """(key, message) for each candidate aid the fund does not cover: the same rule as one aid entered on the
    form (`overspending` of the fund's balance at the end of the aid's date, without the aid itself), with the
    fund's record as it stands after the import (`receipts`, `aid`, the candidates among them)."""
    received: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    given: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    for r in receipts:
        received[r.fund].append((r.date, r.amount))
    for a in aid:
        given[a.fund].append((a.date, a.amount))

    def cumulative(rows: list[tuple[datetime.date, Decimal]]) -> tuple[list[datetime.date], list[Decimal]]:
        rows.sort(key=lambda x: x[0])
        days, sums, total = [], [], ZERO
        for day, amount in rows:
            total += amount
            days.append(day)
            sums.append(total)
        return days, sums

    cum_r = {f: cumulative(rows) for f, rows in received.items()}
    cum_a = {f: cumulative(rows) for f, rows in given.items()}

    def upto(cum: Mapping[str, tuple[list[datetime.date], list[Decimal]]], fund: str, day: datetime.date) -> Decimal:
        days, sums = cum.get(fund, ([], []))
        i = bisect.bisect_right(days, day)
        return sums[i - 1] if i else ZERO

    out: list[tuple[int, str]] = []
    for key, a in candidates:
        balance = upto(cum_r, a.fund, a.date) - upto(cum_a, a.fund, a.date) + a.amount
        if overspending(balance, a.amount) is not None:
            out.append((key, overspending_message(names.get(a.fund, a.fund), balance, a.amount)))
    return out


def aid_problem(*, person: object, family: object, amount: Decimal | None, quantity: int | None,
                day: datetime.date | None, today: datetime.date) -> list[tuple[str, str]]:
    """(field, message) for each rule an aid breaks: exactly one of person or family, amount ≥ 0, quantity ≥ 1,
    not in the future."""
    out: list[tuple[str, str]] = []
    if person and family:
        out.append(("family", _("Aid goes to a person or to a family, not to both.")))
    elif not person and not family:
        out.append(("recipient", _("Choose the person or the family who received the aid.")))
    if amount is not None and amount < 0:
        out.append(("amount", _("The amount cannot be negative.")))
    if quantity is not None and quantity < 1:
        out.append(("quantity", _("The quantity must be at least 1.")))
    if day is not None and day > today:
        out.append(("date", _("The date cannot be in the future.")))
    return out


# ---- the report `funds` -------------------------------------------------------------------------------------
def fund_rows(funds: Iterable[str], receipts: Iterable[ReceiptRec], aid: Iterable[AidRec],
              start: datetime.date, end: datetime.date) -> dict[str, dict[str, Decimal]]:
    """Table `funds`: one row per fund then `total`. opening = receipts of any kind before the start and opening
    balances dated in the period, less all aid before the start; received = allocations in the period;
    used_adults / used_families = aid to a person / a family in the period; closing = opening + received − used."""
    keys = ("opening", "received", "used_adults", "used_families", "closing")
    rows: dict[str, dict[str, Decimal]] = {f: dict.fromkeys(keys, ZERO) for f in funds}
    for r in receipts:
        row = rows.setdefault(r.fund, dict.fromkeys(keys, ZERO))
        if r.date < start or (r.kind == ReceiptKind.OPENING_BALANCE and r.date <= end):
            row["opening"] += r.amount
        elif r.date <= end:
            row["received"] += r.amount
    for a in aid:
        row = rows.setdefault(a.fund, dict.fromkeys(keys, ZERO))
        if a.date < start:
            row["opening"] -= a.amount
        elif a.date <= end:
            row["used_adults" if a.person is not None else "used_families"] += a.amount
    total = dict.fromkeys(keys, ZERO)
    for row in rows.values():
        row["closing"] = row["opening"] + row["received"] - row["used_adults"] - row["used_families"]
        for k in keys:
            total[k] += row[k]
    rows["total"] = total
    return rows


def in_period(aid: Iterable[AidRec], start: datetime.date, end: datetime.date) -> list[AidRec]:
    return [a for a in aid if start <= a.date <= end]


@dataclass
class _Acc:
    amount: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    who: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add(self, group: str, amount: Decimal, who: int) -> None:
        self.amount[group] += amount
        self.who[group].add(who)


def _fund_kind_values(items: list[AidRec], categories: Mapping[int, frozenset[str]]) -> dict[str, int | Decimal]:
    acc = _Acc()
    for a in items:
        if a.person is not None:
            held = categories.get(a.person, frozenset())
            acc.add("adults", a.amount, a.person)
            if held & DISABILITY_CATEGORIES:
                acc.add("disabled", a.amount, a.person)
            elif PENSIONER not in held:
                acc.add("other", a.amount, a.person)
        elif a.family is not None:
            acc.add("families", a.amount, a.family)
    return {
        "adults_amount": acc.amount["adults"], "adults_people": len(acc.who["adults"]),
        "disabled_amount": acc.amount["disabled"], "disabled_people": len(acc.who["disabled"]),
        "other_amount": acc.amount["other"], "other_people": len(acc.who["other"]),
        "families_amount": acc.amount["families"], "families_count": len(acc.who["families"]),
    }


def aid_by_fund_kind(aid: Iterable[AidRec], person_categories: Mapping[int, frozenset[str]],
                     kind_order: Iterable[str]) -> dict[str, dict[str, int | Decimal]]:
    """Table `aid_by_fund_kind` over aid of the period: rows FUND (people and families counted once across its
    kinds), FUND:KIND, and `total` (counted once across funds). Disabled: a person holding a disability
    category; other: holding neither a disability category nor `pensioner`."""
    items = list(aid)
    order = {k: i for i, k in enumerate(kind_order)}
    rows: dict[str, dict[str, int | Decimal]] = {}
    for fund in sorted({a.fund for a in items}):
        mine = [a for a in items if a.fund == fund]
        rows[fund] = _fund_kind_values(mine, person_categories)
        for kind in sorted({a.kind for a in mine}, key=lambda k: (order.get(k, len(order)), k)):
            rows[f"{fund}:{kind}"] = _fund_kind_values([a for a in mine if a.kind == kind], person_categories)
    if items:
        rows["total"] = _fund_kind_values(items, person_categories)
    return rows


def _group_values(items: list[AidRec]) -> dict[str, int | Decimal]:
    persons = {a.person for a in items if a.person is not None}
    families = {a.family for a in items if a.family is not None}
    return {"recipients": len(persons) + len(families), "quantity": sum(a.quantity for a in items),
            "amount": sum((a.amount for a in items), ZERO)}


def aid_by_kind(aid: Iterable[AidRec], kind_order: Iterable[str]) -> dict[str, dict[str, int | Decimal]]:
    """Table `aid_by_kind`: per kind, recipients (distinct persons + distinct families), quantity, amount."""
    items = list(aid)
    return {k: _group_values([a for a in items if a.kind == k]) for k in kind_order
            if any(a.kind == k for a in items)}


def aid_by_campaign(aid: Iterable[AidRec]) -> dict[str, dict[str, int | Decimal]]:
    """Table `campaigns`: per campaign with aid in the period: recipients, quantity, amount."""
    items = [a for a in aid if a.campaign]
    return {c: _group_values([a for a in items if a.campaign == c]) for c in sorted({a.campaign for a in items
                                                                                      if a.campaign})}


def aid_by_category(aid: Iterable[AidRec], person_categories: Mapping[int, frozenset[str]],
                    family_categories: Mapping[int, frozenset[str]]) -> dict[str, dict[str, int | Decimal]]:
    """Table `aid_by_category`: one row per category held by a person or family that received aid:
    recipients (distinct persons and families holding it) and the amount of their aid. A person in several
    categories is counted in each."""
    who: dict[str, set[tuple[str, int]]] = defaultdict(set)
    amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in aid:
        if a.person is not None:
            ref, held = ("p", a.person), person_categories.get(a.person, frozenset())
        elif a.family is not None:
            ref, held = ("f", a.family), family_categories.get(a.family, frozenset())
        else:
            continue
        for code in held:
            who[code].add(ref)
            amount[code] += a.amount
    return {c: {"recipients": len(who[c]), "amount": amount[c]} for c in sorted(who)}


def aid_totals(aid: Iterable[AidRec]) -> tuple[Decimal, int]:
    """Σ amount and distinct recipients (persons + families) of the aid given."""
    v = _group_values(list(aid))
    return Decimal(v["amount"]), int(v["recipients"])


# ---- the report `budget_execution` -------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetRec:
    year: int
    month: int
    fund: str
    code: str
    approved: Decimal


@dataclass(frozen=True)
class SpendRec:
    date: datetime.date
    fund: str
    code: str
    amount: Decimal


def month_inside(year: int, month: int, start: datetime.date, end: datetime.date) -> bool:
    """A month counts in a period when the whole month lies inside it."""
    first = datetime.date(year, month, 1)
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1))
    return start <= first and last <= end


def budget_rows(lines: Iterable[BudgetRec], spending: Iterable[SpendRec], start: datetime.date,
                end: datetime.date, fund_order: Iterable[str]) -> dict[str, dict[str, Decimal | None]]:
    """Table `budget`: rows FUND:CODE, FUND (subtotal) and `total`; approved = Σ of the months inside the
    period, spent = Σ spending dated in it, savings = approved − spent, pct = spent / approved × 100."""
    approved: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for b in lines:
        if month_inside(b.year, b.month, start, end):
            approved[(b.fund, b.code)] += b.approved
    for sp in spending:
        if start <= sp.date <= end:
            spent[(sp.fund, sp.code)] += sp.amount
    keys = set(approved) | set(spent)
    rows: dict[str, dict[str, Decimal | None]] = {}

    def values(a: Decimal, s: Decimal) -> dict[str, Decimal | None]:
        return {"approved": a, "spent": s, "savings": a - s, "pct": share_pct(s, a)}

    total_a = total_s = ZERO
    order = list(fund_order)
    for fund in sorted({k[0] for k in keys}, key=lambda f: (order.index(f) if f in order else len(order), f)):
        codes = sorted(c for f, c in keys if f == fund)
        fa = fs = ZERO
        for code in codes:
            a, x = approved[(fund, code)], spent[(fund, code)]
            rows[f"{fund}:{code}"] = values(a, x)
            fa += a
            fs += x
        rows[fund] = values(fa, fs)
        total_a += fa
        total_s += fs
    if keys:
        rows["total"] = values(total_a, total_s)
    return rows
