"""Reading money records, scoped to the actor (get_*_for → 404), and the plain records the rules and the reports
count. `aid_totals` is the indicators' entry point (aid_amount, aid_recipients)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.scoping import any_of
from opora.money import rules
from opora.money.models import Aid, BudgetLine, Campaign, Fund, FundReceipt, Spending
from opora.org.models import Organisation
from opora.people.models import Family, Recipient
from opora.people.queries import families_for, recipients_for


def _orgs(actor: Actor, perm: str) -> list[int]:
    return [g.organisation_id for g in actor.grants_with(perm)]


def funds_for(actor: Actor, perm: str = Perm.VIEW_MONEY) -> QuerySet[Fund]:
    return Fund.objects.filter(organisation_id__in=_orgs(actor, perm))


def get_fund_for(actor: Actor, pk: int, perm: str = Perm.VIEW_MONEY) -> Fund:
    return get_object_or_404(funds_for(actor, perm), pk=pk)


def receipts_for(actor: Actor, perm: str = Perm.VIEW_MONEY) -> QuerySet[FundReceipt]:
    return FundReceipt.objects.filter(fund__organisation_id__in=_orgs(actor, perm)).select_related("fund")


def campaigns_for(actor: Actor, perm: str = Perm.VIEW_MONEY) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organisation_id__in=_orgs(actor, perm))


def get_campaign_for(actor: Actor, pk: int, perm: str = Perm.VIEW_MONEY) -> Campaign:
    return get_object_or_404(campaigns_for(actor, perm), pk=pk)


def budget_lines_for(actor: Actor, perm: str = Perm.VIEW_MONEY) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(organisation_id__in=_orgs(actor, perm))


def spending_for(actor: Actor, perm: str = Perm.VIEW_MONEY) -> QuerySet[Spending]:
    return Spending.objects.filter(organisation_id__in=_orgs(actor, perm))


def aid_for(actor: Actor) -> QuerySet[Aid]:
    """The aid the actor sees: all of the organisations where they hold view_money and see people; elsewhere the
    aid of the people and families they see (a social worker: their caseload). Aid is a named person's record:
    the regional analyst, who reads money without people, sees none (issue 9, item 11); its totals are in the
    reports."""
    people = set(_orgs(actor, Perm.VIEW_PEOPLE))
    full = [org for org in _orgs(actor, Perm.VIEW_MONEY) if org in people]
    parts = [Q(organisation_id__in=full)] if full else []
    parts.append(Q(recipient__in=recipients_for(actor).values("pk")) | Q(family__in=families_for(actor).values("pk")))
    return Aid.objects.filter(any_of(parts)).select_related("fund", "campaign", "recipient", "family")


def get_aid_for(actor: Actor, pk: int) -> Aid:
    return get_object_or_404(aid_for(actor), pk=pk)


def aid_of_person(actor: Actor, recipient: Recipient) -> QuerySet[Aid]:
    return aid_for(actor).filter(recipient=recipient)


def aid_of_family(actor: Actor, family: Family) -> QuerySet[Aid]:
    return aid_for(actor).filter(family=family)


def filter_aid(qs: QuerySet[Aid], *, fund: str = "", kind: str = "", campaign: str = "",
               start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[Aid]:
    if fund:
        qs = qs.filter(fund__code=fund)
    if kind:
        qs = qs.filter(kind=kind)
    if campaign:
        qs = qs.filter(campaign__code=campaign)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def fund_balance(fund: Fund, day: datetime.date) -> Decimal:
    """What the fund holds at the end of `day` (two aggregate queries)."""
    received = fund.receipts.filter(date__lte=day).aggregate(s=Sum("amount"))["s"] or rules.ZERO
    used = fund.aid.filter(date__lte=day).aggregate(s=Sum("amount"))["s"] or rules.ZERO
    return Decimal(received) - Decimal(used)


def aid_totals(organisation: Organisation | int, start: datetime.date, end: datetime.date, fund: str | None = None,
               kind: str | None = None, campaign: str | None = None) -> tuple[Decimal, int]:
    """Σ amount and recipients (distinct persons + distinct families) of the aid an organisation gave in
    [start, end], optionally of one fund, kind or campaign (codes). For the indicators aid_amount, aid_recipients."""
    qs = filter_aid(Aid.objects.filter(organisation=organisation), fund=fund or "", kind=kind or "",
                    campaign=campaign or "", start=start, end=end)
    r = qs.aggregate(amount=Sum("amount"), persons=Count("recipient", distinct=True),
                     families=Count("family", distinct=True))
    return Decimal(r["amount"] or rules.ZERO), int(r["persons"]) + int(r["families"])


# ---- plain records for the reports ---------------------------------------------------------------------------
def receipt_records(org_ids: Iterable[int]) -> list[rules.ReceiptRec]:
    return [rules.ReceiptRec(f, d, a, k) for f, d, a, k in FundReceipt.objects.filter(
        fund__organisation_id__in=list(org_ids)).values_list("fund__code", "date", "amount", "kind")]


def aid_records(org_ids: Iterable[int], end: datetime.date, start: datetime.date | None = None) -> list[rules.AidRec]:
    qs = Aid.objects.filter(organisation_id__in=list(org_ids), date__lte=end)
    if start is not None:
        qs = qs.filter(date__gte=start)
    return [rules.AidRec(f, k, d, a, p, fam, q, c) for f, k, d, a, p, fam, q, c in qs.values_list(
        "fund__code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign__code")]


def categories_of(aid: Iterable[rules.AidRec]) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """The category codes held by the persons and the families of these aid records."""
    items = list(aid)
    persons = {a.person for a in items if a.person is not None}
    families = {a.family for a in items if a.family is not None}
    p: dict[int, set[str]] = defaultdict(set)
    f: dict[int, set[str]] = defaultdict(set)
    for pk, code in Recipient.categories.through.objects.filter(recipient_id__in=persons).values_list(
            "recipient_id", "category__code"):
        p[pk].add(code)
    for pk, code in Family.categories.through.objects.filter(family_id__in=families).values_list(
            "family_id", "category__code"):
        f[pk].add(code)
    return {k: frozenset(v) for k, v in p.items()}, {k: frozenset(v) for k, v in f.items()}


def budget_records(org_ids: Iterable[int], start: datetime.date, end: datetime.date
                   ) -> tuple[list[rules.BudgetRec], list[rules.SpendRec]]:
    ids = list(org_ids)
    lines = [rules.BudgetRec(*v) for v in BudgetLine.objects.filter(
        organisation_id__in=ids, year__gte=start.year, year__lte=end.year).values_list(
        "year", "month", "fund", "code", "approved")]
    spent = [rules.SpendRec(*v) for v in Spending.objects.filter(
        organisation_id__in=ids, date__gte=start, date__lte=end).values_list("date", "fund", "code", "amount")]
    return lines, spent


def has_money_records(org_ids: Iterable[int], start: datetime.date, end: datetime.date) -> tuple[bool, bool]:
    """(funds or aid, budget) records touching the period: whether `annual` shows the money sections (one query)."""
    ids = list(org_ids)
    row = Organisation.objects.filter(pk__in=ids).annotate(
        has_aid=Exists(Aid.objects.filter(organisation_id__in=ids, date__gte=start, date__lte=end)),
        has_receipts=Exists(FundReceipt.objects.filter(fund__organisation_id__in=ids, date__gte=start, date__lte=end)),
        has_budget=Exists(BudgetLine.objects.filter(organisation_id__in=ids, year__gte=start.year, year__lte=end.year)),
        has_spending=Exists(Spending.objects.filter(organisation_id__in=ids, date__gte=start, date__lte=end)),
    ).values_list("has_aid", "has_receipts", "has_budget", "has_spending").first()
    if row is None:
        return False, False
    return bool(row[0] or row[1]), bool(row[2] or row[3])


def budget_names(org_ids: Iterable[int]) -> set[tuple[str, str, str]]:
    """(fund, code, name) of the budget lines that carry a name."""
    return set(BudgetLine.objects.filter(organisation_id__in=list(org_ids)).exclude(name="").values_list(
        "fund", "code", "name"))
