"""`journal_summary`: services delivered and amounts charged, by department and by type of service, for a period
against the same period of the previous year, with a pie chart by type and bars "this year against last".

Read from the monthly aggregates (delivery/aggregates.py; the journal itself only for a period cut inside a month)
with seven grouped queries whatever the number of lines: departments, sums by department (or by organisation for a
consolidated report) this period and the previous one, recipients by department, sums by type × list for both
periods, and the number of distinct persons served; then the tables of the record shared with `annual`
(reports/generators/record_tables.py: services_by_department_type, services_by_service, income, intake,
applications_by_channel) and the recipients of home care and urgent service by group of categories
(home_care_by_category_group, urgent_by_category_group), a fixed number of queries more. Counting rules
(RULES.md): a count of services is the sum of quantities; the amount is the sum of amounts charged in the journal;
a department's recipients are the distinct persons it served.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.core.reference import ServiceList, ServiceType
from opora.lib.periods import Period, change, change_pct
from opora.org.models import Department, Organisation
from opora.reports.generators.record_tables import group_section, record_sections
from opora.reports.generators.state_assignment import assignment_table, execution, sources
from opora.reports.model import Chart, Column, ReportDocument, ReportTable, Row, Section, Series, Text
from opora.reports.registry import ReportGenerator, register

ZERO = Decimal("0.00")


def assignment_section(org_ids: list[int], period: Period) -> Section:
    """The state assignment of the period's year to the period's end (year to date), with the rows of the department
    kinds with several departments — as in `annual` and `state_assignment` (five queries)."""
    ex = execution(org_ids, period.year, period.end)
    ytd = not (period.start.month == 1 and period.start.day == 1)
    return Section(_("Execution of the state assignment"), [assignment_table(ex.lines, ex.total, ex.kinds, ytd=ytd)])


def _empty() -> dict:
    return {"services": 0, "services_previous": 0, "amount": ZERO, "amount_previous": ZERO, "recipients": 0}


class JournalSummary(ReportGenerator):
    id = "journal_summary"
    title = gettext_lazy("Services by department and type")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        previous = period.previous_year()
        consolidated = len(organisations) > 1
        org_ids = [o.pk for o in organisations]
        # The monthly aggregates for periods of whole months, the journal for a period cut inside a month.
        services_now, recipients_now = sources(org_ids, period.start, period.end)
        services_then, _recipients_then = sources(org_ids, previous.start, previous.end)

        # 1. who the rows are: departments of one organisation, or the organisations themselves
        groups: dict[int, tuple[str, str]]
        if consolidated:
            group_field = "organisation_id"
            groups = {o.pk: (o.code, str(o)) for o in organisations}
        else:
            group_field = "department_id"
            groups = {d.pk: (d.code, d.name) for d in Department.objects.filter(organisation=organisations[0])
                      .order_by("code").only("pk", "code", "name")}
        # 2–4. sums by department / organisation, this period and the previous one; recipients this period
        by_group: dict[int, dict] = defaultdict(_empty)
        for suffix, qs in (("", services_now), ("_previous", services_then)):
            for r in qs.values(group_field).annotate(q=Sum("quantity"), a=Sum("amount")).order_by():
                g = by_group[r[group_field]]
                g["services" + suffix] += int(r["q"] or 0)
                g["amount" + suffix] += Decimal(r["a"] or 0)
        for r in recipients_now.values(group_field).annotate(n=Count("recipient_id", distinct=True)).order_by():
            by_group[r[group_field]]["recipients"] = r["n"]
        # 5–6. sums by type of service and list
        by_type: dict[str, dict[str, int | Decimal]] = defaultdict(lambda: defaultdict(int))
        for suffix, qs in (("", services_now), ("_previous", services_then)):
            for r in qs.values("service__type", "list").annotate(q=Sum("quantity"), a=Sum("amount")).order_by():
                t = by_type[r["service__type"]]
                if not suffix:
                    t[r["list"]] += int(r["q"] or 0)
                t["services" + suffix] += int(r["q"] or 0)
                t["amount" + suffix] += Decimal(r["a"] or 0)
        # 7. distinct persons served in the period, over all departments
        persons = recipients_now.aggregate(n=Count("recipient_id", distinct=True))["n"]

        dept_table = self._by_group_table(groups, by_group, persons, consolidated)
        type_table = self._by_type_table(by_type)
        code, name = self.organisation_fields(organisations)
        shown_types = [r for r in type_table.rows if not r.is_total and r.values["services"]]
        shown_groups = [r for r in dept_table.rows if not r.is_total]
        return ReportDocument(
            report_id=self.id, title=str(self.title), organisation_code=code, organisation_name=name,
            period=self.document_period(period), previous_period=self.document_period(previous),
            sections=[
                Section(_("Services by organisation") if consolidated else _("Services by department"), [
                    dept_table,
                    Chart(id="services_by_group", title=_("Services: this year against last"), kind="bar",
                          categories=[r.label for r in shown_groups],
                          series=[Series(previous.label(), _ints(shown_groups, "services_previous")),
                                  Series(period.label(), _ints(shown_groups, "services"))]),
                ]),
                Section(_("Services by type"), [
                    type_table,
                    Chart(id="services_by_type", title=_("Services by type"), kind="pie",
                          categories=[r.label for r in shown_types],
                          series=[Series(period.label(), _ints(shown_types, "services"))]),
                ]),
                assignment_section(org_ids, period),
                *record_sections(org_ids, period, previous),
                *[s for s in [group_section(org_ids, recipients_now)] if s is not None],
                Section(_("How it is counted"), [Text(_(
                    "A count of services is the sum of the quantities delivered (a journal line with quantity 3 "
                    "is three services); the amount is the sum charged for the services; the recipients of a "
                    "department are the distinct persons it served in the period. The change is (current − "
                    "previous) / previous × 100, rounded half-up to two places."))]),
            ],
        )

    @staticmethod
    def _by_group_table(groups, by_group, persons, consolidated) -> ReportTable:
        rows = []
        total: dict[str, int | Decimal] = defaultdict(int)
        keys = list(groups) + [k for k in by_group if k not in groups]
        for pk in keys:
            r = by_group.get(pk)
            if r is None:
                continue  # nothing delivered in either period
            code, label = groups.get(pk, (str(pk), str(pk)))
            for k in ("services", "services_previous", "amount", "amount_previous"):
                total[k] += r[k]
            rows.append(Row(code, label, _values(r, recipients=r["recipients"])))
        rows.append(Row("total", _("Total"), _values(total, recipients=persons), is_total=True))
        return ReportTable(
            id="by_organisation" if consolidated else "by_department",
            title=(_("Services and amounts by organisation") if consolidated
                   else _("Services and amounts by department")),
            label_heading=_("Organisation") if consolidated else _("Department"),
            columns=[
                Column("services_previous", _("Services, previous year"), "int"),
                Column("services", _("Services"), "int"),
                Column("services_change", _("Change"), "int"),
                Column("services_change_pct", _("Change, %"), "percent"),
                Column("amount_previous", _("Amount, previous year"), "money"),
                Column("amount", _("Amount"), "money"),
                Column("amount_change_pct", _("Change of amount, %"), "percent"),
                Column("recipients", _("Recipients"), "int"),
            ],
            rows=rows,
            note=_("The total of recipients counts each person once, even if served by several departments."),
        )

    @staticmethod
    def _by_type_table(by_type) -> ReportTable:
        rows = []
        total: dict[str, int | Decimal] = defaultdict(int)
        for code, label in ServiceType.choices:
            t = by_type.get(code)
            if t is None:
                continue
            for k in ("services", "services_previous", "amount", "amount_previous", ServiceList.BASIC,
                      ServiceList.ADDITIONAL):
                total[k] += t[k]
            rows.append(Row(code, str(label), _type_values(t)))
        rows.append(Row("total", _("Total"), _type_values(total), is_total=True))
        return ReportTable(
            id="by_type", title=_("Services by type"), label_heading=_("Type of service"),
            columns=[
                Column("basic", _("Basic"), "int"),
                Column("additional", _("Additional"), "int"),
                Column("services", _("Services"), "int"),
                Column("services_previous", _("Services, previous year"), "int"),
                Column("services_change_pct", _("Change, %"), "percent"),
                Column("amount", _("Amount"), "money"),
            ],
            rows=rows,
        )


def _ints(rows: list[Row], field: str) -> list[int | Decimal]:
    return [int(r.values[field] or 0) for r in rows]


def _values(r, *, recipients) -> dict:
    return {
        "services_previous": int(r["services_previous"]), "services": int(r["services"]),
        "services_change": change(int(r["services"]), int(r["services_previous"])),
        "services_change_pct": change_pct(r["services"], r["services_previous"]),
        "amount_previous": Decimal(r["amount_previous"]), "amount": Decimal(r["amount"]),
        "amount_change_pct": change_pct(Decimal(r["amount"]), Decimal(r["amount_previous"])),
        "recipients": int(recipients),
    }


def _type_values(t) -> dict:
    return {
        "basic": int(t[ServiceList.BASIC]), "additional": int(t[ServiceList.ADDITIONAL]),
        "services": int(t["services"]), "services_previous": int(t["services_previous"]),
        "services_change_pct": change_pct(t["services"], t["services_previous"]),
        "amount": Decimal(t["amount"]),
    }


register(JournalSummary)
