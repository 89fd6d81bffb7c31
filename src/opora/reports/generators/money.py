"""Reports `funds` (funds, their receipts and use; aid by fund and kind, by kind, by category, by campaign) and
`budget_execution` (approved, spent, savings by fund and economic code), with exactly the tables of EXCHANGE.md
Part 2. The counting is money/rules.py's (pure functions); this module only reads the records and lays out rows.
`money_sections` gives the same tables to `annual` when the year holds such records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.core.reference import DEFAULT_CATEGORIES
from opora.lib.periods import Period
from opora.money import queries, rules
from opora.money.models import Campaign, Fund
from opora.money.reference import AssistanceKind, BudgetFund
from opora.org.models import Organisation
from opora.people.models import Category
from opora.reports.model import Chart, Column, ReportDocument, ReportTable, Row, Section, Series, Text
from opora.reports.registry import ReportGenerator, register

KINDS = [str(k) for k in AssistanceKind.values]
KIND_LABELS = dict(AssistanceKind.choices)
FUNDS = [str(f) for f in BudgetFund.values]


def _money(label: str, field: str) -> Column:
    return Column(field, label, "money")


def _category_label(code: str, names: dict[str, str]) -> str:
    if names.get(code):
        return names[code]
    default = DEFAULT_CATEGORIES.get(code)
    return str(default[0]) if default else code


def funds_sections(org_ids: list[int], period: Period) -> list[Section]:
    start, end = period.start, period.end
    fund_names = {c: n for c, n in Fund.objects.filter(organisation_id__in=org_ids).order_by("code").values_list(
        "code", "name")}
    receipts = queries.receipt_records(org_ids)
    aid_all = queries.aid_records(org_ids, end)
    aid = rules.in_period(aid_all, start, end)
    persons, families = queries.categories_of(aid)

    rows = rules.fund_rows(fund_names, receipts, aid_all, start, end)
    funds_table = ReportTable(
        id="funds", title=_("Funds: balances, receipts and use"), label_heading=_("Fund"),
        columns=[_money(_("Opening balance"), "opening"), _money(_("Received"), "received"),
                 _money(_("Used for adults"), "used_adults"), _money(_("Used for families"), "used_families"),
                 _money(_("Closing balance"), "closing")],
        rows=[Row(k, fund_names.get(k, k) if k != "total" else _("Total"), dict(v), is_total=k == "total")
              for k, v in rows.items()],
        note=_("Opening: receipts before the period and opening balances dated in it, less aid before the period; "
               "closing = opening + received − used."))

    by_fund_kind = rules.aid_by_fund_kind(aid, persons, KINDS)
    fk_rows = []
    for key, values in by_fund_kind.items():
        if key == "total":
            label = _("Total")
        elif ":" in key:
            label = "  " + str(KIND_LABELS.get(key.split(":", 1)[1], key))
        else:
            label = fund_names.get(key, key)
        fk_rows.append(Row(key, label, dict(values), is_total=key == "total" or ":" not in key))
    fund_kind_table = ReportTable(
        id="aid_by_fund_kind", title=_("Use of funds by kind of aid"), label_heading=_("Fund, kind of aid"),
        columns=[_money(_("Adults, amount"), "adults_amount"), Column("adults_people", _("Adults, people"), "int"),
                 _money(_("Of them disabled, amount"), "disabled_amount"),
                 Column("disabled_people", _("Of them disabled, people"), "int"),
                 _money(_("Others, amount"), "other_amount"), Column("other_people", _("Others, people"), "int"),
                 _money(_("Families, amount"), "families_amount"),
                 Column("families_count", _("Families"), "int")],
        rows=fk_rows,
        note=_("People and families are counted once in a fund's row however many kinds of aid they received. "
               "Disabled: holding a disability category; others: neither disabled nor pensioners."))

    kinds = rules.aid_by_kind(aid, KINDS)
    kind_rows = [Row(k, str(KIND_LABELS.get(k, k)), dict(v)) for k, v in kinds.items()]
    kind_table = ReportTable(
        id="aid_by_kind", title=_("Aid by kind"), label_heading=_("Kind of aid"),
        columns=[Column("recipients", _("Recipients"), "int"), Column("quantity", _("Quantity"), "int"),
                 _money(_("Amount"), "amount")],
        rows=kind_rows, note=_("Recipients: distinct persons plus distinct families."))

    names = dict(Category.objects.values_list("code", "name"))
    cats = rules.aid_by_category(aid, persons, families)
    category_table = ReportTable(
        id="aid_by_category", title=_("Aid by category of recipients"), label_heading=_("Category"),
        columns=[Column("recipients", _("Recipients"), "int"), _money(_("Amount"), "amount")],
        rows=[Row(k, _category_label(k, names), dict(v)) for k, v in cats.items()],
        note=_("A person or family in several categories is counted in each of them."))

    campaign_names = dict(Campaign.objects.filter(organisation_id__in=org_ids).values_list("code", "name"))
    camps = rules.aid_by_campaign(aid)
    campaign_table = ReportTable(
        id="campaigns", title=_("Campaigns"), label_heading=_("Campaign"),
        columns=[Column("recipients", _("Recipients"), "int"), Column("quantity", _("Quantity"), "int"),
                 _money(_("Amount"), "amount")],
        rows=[Row(k, campaign_names.get(k, k), dict(v)) for k, v in camps.items()])

    charted = [r for r in kind_rows if r.values["amount"]]
    chart = Chart(id="aid_by_kind_chart", title=_("Use of funds by kind of aid"), kind="pie",
                  categories=[r.label for r in charted],
                  series=[Series(period.label(), [Decimal(r.values["amount"] or 0) for r in charted])])
    return [
        Section(_("Funds"), [funds_table]),
        Section(_("Material aid"), [fund_kind_table, kind_table, chart, category_table, campaign_table]),
    ]


def budget_sections(org_ids: list[int], period: Period) -> list[Section]:
    lines, spending = queries.budget_records(org_ids, period.start, period.end)
    rows = rules.budget_rows(lines, spending, period.start, period.end, FUNDS)
    names: dict[str, str] = {}
    for b in sorted(queries.budget_names(org_ids)):
        names.setdefault(f"{b[0]}:{b[1]}", b[2])
    fund_labels = dict(BudgetFund.choices)
    out = []
    for key, values in rows.items():
        if key == "total":
            label = _("Total")
        elif ":" in key:
            code = key.split(":", 1)[1]
            label = f"{code} {names.get(key, '')}".strip()
        else:
            label = str(fund_labels.get(key, key))
        out.append(Row(key, label, dict(values), is_total=":" not in key))
    table = ReportTable(
        id="budget", title=_("Execution of the budget"), label_heading=_("Fund, economic code"),
        columns=[_money(_("Approved"), "approved"), _money(_("Spent"), "spent"), _money(_("Savings"), "savings"),
                 Column("pct", _("Executed, %"), "percent")],
        rows=out,
        note=_("Approved: the months lying wholly inside the period; spent: cash spending dated in it; "
               "savings = approved − spent."))
    return [Section(_("Execution of the budget"), [table])]


def money_sections(org_ids: list[int], period: Period) -> list[Section]:
    """The money tables for `annual`: only the parts the period holds records of."""
    has_funds, has_budget = queries.has_money_records(org_ids, period.start, period.end)
    return (funds_sections(org_ids, period) if has_funds else []) + (
        budget_sections(org_ids, period) if has_budget else [])


class FundsReport(ReportGenerator):
    id = "funds"
    title = gettext_lazy("Funds and material aid")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        code, name = self.organisation_fields(organisations)
        sections = funds_sections([o.pk for o in organisations], period)
        sections.append(Section(_("How it is counted"), [Text(_(
            "Amounts are in money with two decimals; aid goes to a person (adults) or to a family. Recipients "
            "are distinct persons and families in the period."))]))
        return ReportDocument(report_id=self.id, title=str(self.title), organisation_code=code,
                              organisation_name=name, period=self.document_period(period), sections=sections)


class BudgetExecution(ReportGenerator):
    id = "budget_execution"
    title = gettext_lazy("Execution of the budget")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        code, name = self.organisation_fields(organisations)
        return ReportDocument(report_id=self.id, title=str(self.title), organisation_code=code,
                              organisation_name=name, period=self.document_period(period),
                              sections=budget_sections([o.pk for o in organisations], period))


register(FundsReport)
register(BudgetExecution)
