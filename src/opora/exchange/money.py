"""The money files of the exchange format (EXCHANGE.md Part 2): funds, fund_receipts, campaigns, aid, budget,
spending. `validate` checks every row (called by the Validator), `load` writes the checked rows through the money
app's one bulk writer (called by the Loader), `export` writes the six files (called by export_directory)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.exchange.spec import COLUMNS
from opora.lib.errors import DomainError
from opora.money import rules
from opora.money.actions import Bulk, write_bulk
from opora.money.models import Aid, BudgetLine, Campaign, Fund, FundReceipt, MoneySettings, Spending
from opora.money.reference import AssistanceKind, BudgetFund, FundingSource, ReceiptKind
from opora.people.models import Family

if TYPE_CHECKING:
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator

FILES = ("funds", "fund_receipts", "campaigns", "aid", "budget", "spending")

HEADERS: dict[str, list[str]] = {
    "funds": ["code", "name", "source"],
    "fund_receipts": ["fund_code", "date", "amount", "kind", "note"],
    "campaigns": ["code", "name", "start", "end"],
    "aid": ["fund_code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign_code", "note"],
    "budget": ["year", "month", "fund", "code", "name", "approved"],
    "spending": ["date", "fund", "code", "amount"],
}

_FAMILY_EXT = ("id", "external_id")  # when families carry an external id (the families file, issue of families)

# A family without an external id is exported as `opora-<id>`, like a person.
FAMILY_PREFIX = "opora-"


@dataclass
class MoneyPlan:
    funds: dict[str, dict[str, Any]] = field(default_factory=dict)
    campaigns: dict[str, dict[str, Any]] = field(default_factory=dict)
    receipts: list[tuple[str, datetime.date, str, Decimal, str]] = field(default_factory=list)
    # (fund, kind, date, amount, person ref (int id or a new external id) or None, family id or None,
    #  quantity, campaign, note)
    aid: list[tuple[str, str, datetime.date, Decimal, int | str | None, int | None, int, str | None, str]] = field(
        default_factory=list)
    budget: dict[tuple[int, int, str, str], dict[str, Any]] = field(default_factory=dict)
    spending: list[tuple[datetime.date, str, str, Decimal]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.funds, self.campaigns, self.receipts, self.aid, self.budget, self.spending))


def _has_external_id() -> bool:
    return any(f.name == "external_id" for f in Family._meta.get_fields())


def family_refs(organisation_id: int | None) -> dict[str, int]:
    """family_id of the files → the family's id: by its external id (when families carry one), else `opora-<id>`."""
    if organisation_id is None:
        return {}
    refs: dict[str, int] = {}
    with_ext = _has_external_id()
    for row in Family.objects.filter(organisation_id=organisation_id).values(
            "id", *(["external_id"] if with_ext else [])):
        refs[f"{FAMILY_PREFIX}{row['id']}"] = row["id"]
        if row.get("external_id"):
            refs[row["external_id"]] = row["id"]
    return refs


class _Rows:
    def __init__(self, v: Validator, name: str):
        self.v, self.name, self.file = v, name, v.plan.files.get(name, name)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self.v.rows(self.name)

    def problem(self, line: int, column: str, message: str) -> None:
        self.v.problems.add(self.file, line, column, message)

    def required(self, line: int, row: dict[str, str]) -> bool:
        return self.v._required(self.file, line, row, COLUMNS[self.name][0])

    def date(self, line: int, row: dict[str, str], column: str) -> datetime.date | None:
        return self.v._date(self.file, line, row, column)

    def money(self, line: int, row: dict[str, str], column: str) -> Decimal | None:
        if not row[column]:
            return None
        try:
            return self.v.money(row[column])
        except ValueError as exc:  # the validator's BadValue
            self.problem(line, column, str(exc))
            return None

    def integer(self, line: int, row: dict[str, str], column: str, minimum: int = 0) -> int | None:
        if not row[column]:
            return None
        try:
            return self.v.integer(row[column], minimum)
        except ValueError as exc:  # the validator's BadValue
            self.problem(line, column, str(exc))
            return None

    def choice(self, line: int, row: dict[str, str], column: str, allowed: Iterable[str], message: str) -> bool:
        if row[column] and row[column] not in set(allowed):
            self.problem(line, column, message % {"code": row[column]})
            return False
        return True


def _existing_codes(v: Validator) -> tuple[set[str], set[str]]:
    org = v.existing.organisation_id
    if org is None:
        return set(), set()
    return (set(Fund.objects.filter(organisation_id=org).values_list("code", flat=True)),
            set(Campaign.objects.filter(organisation_id=org).values_list("code", flat=True)))


def validate(v: Validator) -> None:
    """Check the six money files; the checked rows go to `v.plan.money`."""
    if not any(name in v.tables for name in FILES):
        return
    plan = v.plan.money = MoneyPlan()
    fund_codes, campaign_codes = _existing_codes(v)

    rows = _Rows(v, "funds")
    first: dict[str, int] = {}
    for line, row in rows:
        ok = rows.required(line, row)
        ok &= rows.choice(line, row, "source", FundingSource.values, _("Unknown funding source «%(code)s»."))
        if row["code"] in first:
            v._duplicate(rows.file, line, "code", row["code"], first[row["code"]])
            continue
        first[row["code"]] = line
        if ok:
            plan.funds[row["code"]] = {"name": row["name"][:300], "source": row["source"]}
    fund_codes |= set(first)

    rows = _Rows(v, "campaigns")
    first = {}
    for line, row in rows:
        ok = rows.required(line, row)
        start, end = rows.date(line, row, "start"), rows.date(line, row, "end")
        if start and end and end < start:
            rows.problem(line, "end", _("The end cannot be before the start."))
            ok = False
        if row["code"] in first:
            v._duplicate(rows.file, line, "code", row["code"], first[row["code"]])
            continue
        first[row["code"]] = line
        if ok and (not row["start"] or start) and (not row["end"] or end):
            plan.campaigns[row["code"]] = {"name": row["name"][:300], "start": start, "end": end}
    campaign_codes |= set(first)

    unknown_fund = _("Unknown fund «%(code)s».")
    rows = _Rows(v, "fund_receipts")
    for line, row in rows:
        ok = rows.required(line, row)
        ok &= rows.choice(line, row, "fund_code", fund_codes, unknown_fund)
        ok &= rows.choice(line, row, "kind", ReceiptKind.values, _("Unknown kind of receipt «%(code)s»."))
        day, amount = rows.date(line, row, "date"), rows.money(line, row, "amount")
        if ok and day is not None and amount is not None:
            plan.receipts.append((row["fund_code"], day, row["kind"] or ReceiptKind.ALLOCATION, amount,
                                  row["note"][:300]))

    families = family_refs(v.existing.organisation_id)
    rows = _Rows(v, "aid")
    aid_lines: list[int] = []  # the file's line of each row of plan.aid
    for line, row in rows:
        ok = rows.required(line, row)
        ok &= rows.choice(line, row, "fund_code", fund_codes, unknown_fund)
        ok &= rows.choice(line, row, "kind", AssistanceKind.values, _("Unknown kind of aid «%(code)s»."))
        ok &= rows.choice(line, row, "campaign_code", campaign_codes, _("Unknown campaign «%(code)s»."))
        day, amount = rows.date(line, row, "date"), rows.money(line, row, "amount")
        quantity = rows.integer(line, row, "quantity", 1) if row["quantity"] else 1
        person: int | str | None = None
        family: int | None = None
        if row["recipient_id"] and row["family_id"]:
            rows.problem(line, "family_id", _("Aid goes to a person or to a family, not to both."))
            ok = False
        elif not row["recipient_id"] and not row["family_id"]:
            rows.problem(line, "recipient_id", _("Either recipient_id or family_id is required."))
            ok = False
        elif row["recipient_id"]:
            person = v.known_person(row["recipient_id"])
            if person is None:
                rows.problem(line, "recipient_id", _("Unknown recipient «%(code)s».") % {"code": row["recipient_id"]})
                ok = False
        else:
            family = families.get(row["family_id"])
            if family is None:
                rows.problem(line, "family_id", _("Unknown family «%(code)s».") % {"code": row["family_id"]})
                ok = False
        if ok and day is not None and amount is not None and quantity is not None:
            plan.aid.append((row["fund_code"], row["kind"], day, amount, person, family, quantity,
                             row["campaign_code"] or None, row["note"][:300]))
            aid_lines.append(line)
    if plan.aid and not v.problems:
        _overspending(v, plan, rows.file, aid_lines)

    rows = _Rows(v, "budget")
    lines: dict[tuple[int, int, str, str], int] = {}
    for line, row in rows:
        ok = rows.required(line, row)
        ok &= rows.choice(line, row, "fund", BudgetFund.values, _("Unknown budget fund «%(code)s» (general or "
                                                                  "special)."))
        year, month = rows.integer(line, row, "year"), rows.integer(line, row, "month", 1)
        approved = rows.money(line, row, "approved")
        if year is not None and not 1990 <= year <= v.today.year + 1:
            rows.problem(line, "year", _("The year %(year)s is out of range.") % {"year": year})
            ok = False
        if month is not None and month > 12:
            rows.problem(line, "month", _("The month must be from 1 to 12."))
            ok = False
        ok &= _budget_code(v, rows, line, row)
        if year is None or month is None:
            continue
        key = (year, month, row["fund"], row["code"])
        if key in lines:
            v._duplicate(rows.file, line, "code", row["code"], lines[key])
            continue
        lines[key] = line
        if ok and approved is not None:
            plan.budget[key] = {"name": row["name"][:300], "approved": approved}

    rows = _Rows(v, "spending")
    for line, row in rows:
        ok = rows.required(line, row)
        ok &= rows.choice(line, row, "fund", BudgetFund.values, _("Unknown budget fund «%(code)s» (general or "
                                                                  "special)."))
        day, amount = rows.date(line, row, "date"), rows.money(line, row, "amount")
        ok &= _budget_code(v, rows, line, row)
        if ok and day is not None and amount is not None:
            plan.spending.append((day, row["fund"], row["code"][:20], amount))


def _overspending(v: Validator, plan: MoneyPlan, file: str, lines: list[int]) -> None:
    """Aid beyond what its fund holds on its date: a warning with the file and line (the rule of the form,
    money.rules.overspent_aid), or a problem when the organisation's money settings forbid overspending. The
    funds' record is taken as it will stand after the import (rows already held are not counted twice)."""
    from opora.exchange.validate import Problem  # the validator imports this module

    org = v.existing.organisation_id
    have_r: Counter[tuple[Any, ...]] = Counter()
    have_a: Counter[tuple[Any, ...]] = Counter()
    names = {code: code for code in plan.funds}
    forbid = False
    if org is not None:
        have_r.update(tuple(r) for r in FundReceipt.objects.filter(fund__organisation_id=org).values_list(
            "fund__code", "date", "kind", "amount", "note"))
        have_a.update(tuple(a) for a in Aid.objects.filter(organisation_id=org).values_list(
            "fund__code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign__code",
            "note"))
        names.update(Fund.objects.filter(organisation_id=org).values_list("code", "name"))
        forbid = MoneySettings.objects.filter(organisation_id=org, forbid_overspending=True).exists()
    names.update({code: f["name"] for code, f in plan.funds.items()})
    receipts = have_r | Counter((f, d, k, a, n) for f, d, k, a, n in plan.receipts)
    aid = have_a | Counter(plan.aid)
    found = rules.overspent_aid(
        (rules.ReceiptRec(r[0], r[1], r[3], r[2]) for r, n in receipts.items() for _i in range(n)),
        (rules.AidRec(a[0], a[1], a[2], a[3]) for a, n in aid.items() for _i in range(n)),
        ((line, rules.AidRec(a[0], a[1], a[2], a[3])) for line, a in zip(lines, plan.aid, strict=True)), names)
    for line, message in found:
        if forbid:
            v.problems.add(file, line, "amount", message)
        else:
            v.plan.warnings.append(Problem(file, line, "amount", message))
def _budget_code(v: Validator, rows: _Rows, line: int, row: dict[str, str]) -> bool:
    """A code of the organisation's budget classifier (КЕКВ in Ukraine; КОСГУ in Russia is not checked)."""
    law = getattr(v, "law", None)
    if law is None or not row["code"]:
        return True
    try:
        law.check_budget_code(row["code"])
    except DomainError as exc:
        rows.problem(line, "code", exc.message)
        return False
    return True


def load(loader: Loader) -> None:
    """Write the checked money rows through the money app's bulk writer."""
    plan: MoneyPlan | None = loader.plan.money
    if not plan:
        return
    refs = loader.recipient_refs()
    data = Bulk(funds=plan.funds, campaigns=plan.campaigns, receipts=plan.receipts, budget=plan.budget,
                spending=plan.spending,
                aid=[(f, k, d, a, (p if isinstance(p, int) else refs[p]) if p is not None else None, fam, q, c, n)
                     for f, k, d, a, p, fam, q, c, n in plan.aid])
    counts = write_bulk(loader.org.pk, data)
    for name, c in counts.items():
        entry = loader.counts.setdefault(loader.file(name), {"created": 0, "updated": 0})
        entry["created"] += c["created"]
        entry["updated"] += c["updated"]


def export(organisation: Any, write: Any, ext: dict[int, str]) -> dict[str, int]:
    """Write the six money files with `write(name, rows)`; `ext` maps a person's id to their recipient_id."""
    org = organisation
    with_ext = _has_external_id()
    fam_ext: dict[int, str] = {}
    if with_ext:
        fam_ext = {pk: e for pk, e in Family.objects.filter(organisation=org).values_list(*_FAMILY_EXT) if e}

    def fam(pk: int) -> str:
        return fam_ext.get(pk) or f"{FAMILY_PREFIX}{pk}"

    tables: dict[str, tuple[Any, Any]] = {
        "funds": (Fund.objects.filter(organisation=org).order_by("code"), ("code", "name", "source")),
        "fund_receipts": (FundReceipt.objects.filter(fund__organisation=org).order_by("date", "id"),
                          ("fund__code", "date", "amount", "kind", "note")),
        "campaigns": (Campaign.objects.filter(organisation=org).order_by("code"), ("code", "name", "start", "end")),
        "aid": (Aid.objects.filter(organisation=org).order_by("date", "id"),
                ("fund__code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign__code",
                 "note")),
        "budget": (BudgetLine.objects.filter(organisation=org).order_by("year", "month", "fund", "code"),
                   ("year", "month", "fund", "code", "name", "approved")),
        "spending": (Spending.objects.filter(organisation=org).order_by("date", "id"),
                     ("date", "fund", "code", "amount")),
    }
    counts: dict[str, int] = {}
    for name, (qs, columns) in tables.items():
        if not qs.exists():
            continue  # a file is written only when the organisation holds such records
        rows: Iterable[Any] = qs.values_list(*columns)
        if name == "aid":
            rows = ([f, k, d, a, ext.get(p, f"opora-{p}") if p else "", fam(fm) if fm else "", q, c or "", n]
                    for f, k, d, a, p, fm, q, c, n in rows)
        counts[name] = write(name, rows)
    return counts
