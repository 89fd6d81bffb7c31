"""`annual`: the analysis of the centre's work for a year (seed 000), as far as Opora's data covers it.

Tables (ids, row keys and fields of EXCHANGE.md "Reports as data"): structure, staff, totals, services_by_type,
state_assignment, home_care_register, home_care_movement, home_care_by_category, home_care_yoy, avg_load,
urgent_by_category, day_stay, social_adaptation.
Charts: recipients by category (pie), services of the year against the previous one by department (bars),
state assignment plan and fact by department (bars).

Counting rules (domain/RULES.md, "Counting rules the reports use"):
- services = Σ quantity; income = Σ amount; basic/additional by the list copied into each journal line;
- a department's recipients = distinct people with a service delivered there in the period; the total of
  recipients (totals.recipients_total, and the assignment's total) = the sum over department kinds, each kind in
  people; distinct persons separately (totals.persons_distinct);
- execution % = fact / plan × 100, rounded half-up to two places; change % = (current − previous) / previous
  × 100, likewise; the previous period is the same period of the previous year;
- on the home-care register at a date = admitted on or before it and not discharged on or before it (off the
  register on the day of discharge); the start is the day before the period begins (31 December), the end its
  last day; counted in people across the home-care departments (reports/figures.py: a transfer between two of
  them is neither an admission nor a discharge); admitted/discharged = spells begun/ended in the period;
  sector = the person's sector;
- income = Σ amount of the journal + Σ monthly fees for basic services charged under contracts;
- state assignment: a kind with several departments also gets a row in people; the total of recipients is the sum
  over kinds; for a period shorter than a year the fact runs from 1 January (year to date);
- by group of categories (home_care_by_category_group, urgent_by_category_group): the groups an administrator
  edits (people.CategoryGroup: pensioners, of them disabled; others; families with children), counted by
  reports/figures.py `count_by_groups`;
- the tables of the record (services by department and type, by service, income, intake, channels):
  reports/generators/record_tables.py;
- average load = home-care recipients served / social workers of the home-care departments at the end of the
  period (employed on that day: hired on or before it, not dismissed before it);
- staff: employed at the end of the period; hired / dismissed = dated in the period. Training is not recorded
  in Opora yet, so there is no "trained" figure (never invented). Funding, material aid, social taxi, clubs,
  surveys and volunteers come with the issues that add their data;
- urgent service by category = distinct people served in urgent departments in the period having the category
  (a person counts in each of their categories), services = Σ quantity delivered to them there; the total row
  counts every person once and every service once;
- day stay / social adaptation = services and distinct people served in departments of that kind, this period
  against the same period of the previous year.

Speed: everything is read from the monthly aggregates (delivery/aggregates.py) and the registry with a fixed
number of queries (about thirty with the record's tables), whatever the length of the journal's history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.billing.queries import fees_by_department
from opora.billing.rules import income_by_department
from opora.core.db import in_background
from opora.core.reference import DEFAULT_CATEGORIES, DepartmentKind, Position, Sector, ServiceList, ServiceType
from opora.jurisdictions import jurisdiction_for
from opora.lib import formats
from opora.lib.formats import day as fmt_day
from opora.lib.periods import Period, change_pct, round2
from opora.org.models import Employee, Organisation
from opora.reports import figures
from opora.reports.generators.activities import activity_sections
from opora.reports.generators.field_work import field_work_sections
from opora.reports.generators.money import money_sections
from opora.reports.generators.quality import quality_sections
from opora.reports.generators.record_tables import (
    HOME_GROUPS,
    URGENT_GROUPS,
    group_table,
    period_people_counts,
    record_sections,
)
from opora.reports.generators.state_assignment import (
    ROUNDING_NOTE,
    SUM_NOTE,
    assignment_lines,
    assignment_table,
    department_dicts,
    facts_of,
    ids_by_kind,
    kind_lines,
    plan_dicts,
    plan_fact_chart,
    sources,
)
from opora.reports.model import Chart, Column, ReportDocument, ReportTable, Row, Section, Series, Text
from opora.reports.registry import ReportGenerator, register

HOME = DepartmentKind.HOME_CARE.value
URGENT = DepartmentKind.URGENT.value
DAY_STAY = DepartmentKind.DAY_STAY.value
ADAPTATION = DepartmentKind.SOCIAL_ADAPTATION.value
CENT = Decimal("0.01")


def _services(services_qs) -> dict[tuple[int, str, str], tuple[int, Decimal]]:
    """(department id, service type, list) → (Σ quantity, Σ amount): one query."""
    return {(r["department_id"], r["service__type"], r["list"]): (int(r["q"] or 0), Decimal(r["a"] or 0).quantize(CENT))
            for r in services_qs.values("department_id", "service__type", "list").annotate(
                q=Sum("quantity"), a=Sum("amount")).order_by()}


def _by_category(sets: figures.CategorySets, labels: dict[str, dict]) -> list[dict]:
    """Per category code held by the people served: distinct people and their services (the rows the "by
    category" tables read), in the shape of a grouped query's rows."""
    return [{"recipient__categories__code": code, "recipient__categories__name": labels.get(code, {}).get("name", ""),
             "recipient__categories__sort": labels.get(code, {}).get("sort", 0), "n": n, "q": q}
            for code, (n, q) in figures.by_own_category(sets).items()]


def _income_label(organisations: Sequence[Organisation]) -> str:
    """The income row's label in the currency of the organisations' jurisdiction (billing/printing.py's way);
    organisations of different currencies get no unit."""
    currencies = {jurisdiction_for(o).currency for o in organisations}
    if currencies == {"UAH"}:
        return _("Income from services, hryvnias")
    if len(currencies) > 1:
        return _("Income from services")
    return _("Income from services, roubles")


class Annual(ReportGenerator):
    id = "annual"
    title = gettext_lazy("Analysis of the centre's work")
    signed = True

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        org_ids = [o.pk for o in organisations]
        previous = period.previous_year()
        start, end = period.start, period.end
        before = start - datetime.timedelta(days=1)

        # --- the queries (a fixed number) ---------------------------------------------------------------
        # the heaviest two (the distinct people per department and type and per service: a region's 448 560 person-
        # service rows sorted twice) on a second connection while the rest run here (core/db.py `in_background`:
        # PostgreSQL outside a transaction; elsewhere they run at once, where they are started)
        people = in_background(period_people_counts, org_ids, period)                     # 5a, 5b
        departments = department_dicts(org_ids)                                            # 1
        kind_of = {d["id"]: d["kind"] for d in departments}
        home_ids = [d["id"] for d in departments if d["kind"] == HOME]
        ids_of = {kind: [d["id"] for d in departments if d["kind"] == kind] for kind in (URGENT, DAY_STAY, ADAPTATION)}
        services_qs, recipients_qs = sources(org_ids, start, end)
        # 6: the people served at home and in urgent service counted by their categories and their family's, with
        # their services there — for every "by category" table (the next heaviest: on a third connection)
        category_sets = in_background(figures.category_sets, recipients_qs, home_ids, ids_of[URGENT])
        current = _services(services_qs)                                                   # 2
        prev_services_qs, prev_recipients_qs = sources(org_ids, previous.start, previous.end)
        prior = _services(prev_services_qs)                                                # 3
        per_department = {r["department_id"]: r["n"] for r in recipients_qs.values("department_id").annotate(
            n=Count("recipient_id", distinct=True)).order_by()}                           # 4
        all_kinds: dict[str, list[int]] = defaultdict(list)
        for d in departments:
            all_kinds[d["kind"]].append(d["id"])
        persons = recipients_qs.aggregate(                                                 # 5
            all=Count("recipient_id", distinct=True),
            home=Count("recipient_id", distinct=True, filter=Q(department_id__in=home_ids)),
            **{kind: Count("recipient_id", distinct=True, filter=Q(department_id__in=ids))
               for kind, ids in ids_of.items()},
            # the annual total of recipients: the sum over department kinds, each kind in people (RULES.md)
            **{f"kind:{kind}": Count("recipient_id", distinct=True, filter=Q(department_id__in=ids))
               for kind, ids in all_kinds.items()})
        persons["over_kinds"] = sum(persons[f"kind:{kind}"] or 0 for kind in all_kinds)
        register = figures.kind_register(home_ids, start, end)                            # 7
        working = Q(hired_on__lte=end) & (Q(dismissed_on__isnull=True) | Q(dismissed_on__gte=end))
        social = Q(position=Position.SOCIAL_WORKER)
        staff = Employee.objects.filter(organisation_id__in=org_ids).aggregate(                # 8
            total=Count("id", filter=working), social_workers=Count("id", filter=working & social),
            home_social_workers=Count("id", filter=working & social & Q(department_id__in=home_ids)),
            hired=Count("id", filter=Q(hired_on__gte=start, hired_on__lte=end)),
            dismissed=Count("id", filter=Q(dismissed_on__gte=start, dismissed_on__lte=end)))
        plans = plan_dicts(org_ids, period.year)                                           # 9
        persons_before = prev_recipients_qs.aggregate(**{                                   # 11
            kind: Count("recipient_id", distinct=True, filter=Q(department_id__in=ids))
            for kind, ids in ids_of.items() if kind != URGENT})
        home_sets, urgent_sets = category_sets()
        category_rows = figures.category_labels() if home_sets or urgent_sets else {}     # 6a
        by_category = _by_category(home_sets, category_rows)
        urgent_by_category = _by_category(urgent_sets, category_rows)

        # --- tables -------------------------------------------------------------------------------------
        sections = [
            self.structure_section(departments, end),
            Section(title=_("Staff"), blocks=[self.staff_table(staff)]),
            self.services_section(current, persons["over_kinds"], persons["all"]),
        ]
        sections.append(self.assignment_section(org_ids, departments, plans, period, current, per_department,
                                                recipients_qs))
        fees = (fees_by_department(org_ids, start, end),                            # 12, 13
                fees_by_department(org_ids, previous.start, previous.end))
        if home_ids:
            home_fees = list(fees)
            sections.append(self.home_care_section(
                current, prior, kind_of, register, home_fees, by_category, persons["home"],
                staff["home_social_workers"],
                departments, before, end, period, previous, income_label=_income_label(organisations)))
        groups = figures.category_groups() if (home_ids or ids_of[URGENT]) else []                  # 14, 15
        if home_ids:
            sections[-1].blocks.append(group_table(
                HOME_GROUPS[0], str(HOME_GROUPS[1]), groups, figures.merged_sets(home_sets), with_services=False))
        if ids_of[URGENT]:
            sections.append(self.urgent_section(urgent_by_category, persons[URGENT], self.kind_services(
                current, kind_of, URGENT)))
            sections[-1].blocks.append(group_table(
                URGENT_GROUPS[0], str(URGENT_GROUPS[1]), groups, figures.merged_sets(urgent_sets),
                with_services=True))
        for kind, table_id, title in ((DAY_STAY, "day_stay", _("Day stay")),
                                      (ADAPTATION, "social_adaptation", _("Social adaptation"))):
            if ids_of[kind]:
                sections.append(Section(title=title, blocks=[self.kind_table(
                    table_id, title, self.kind_services(prior, kind_of, kind),
                    self.kind_services(current, kind_of, kind), persons_before[kind], persons[kind],
                    period, previous)]))
        sections += record_sections(org_ids, period, previous, sums=(current, prior), fees=fees, people=people())

        sections += money_sections([o.pk for o in organisations], period)  # funds, aid, budget (when held)
        sections.extend(field_work_sections(org_ids, period))  # the register and field work (issue 14)
        sections += quality_sections(organisations, period, only_with_records=True)  # quality (issue 15)
        sections += activity_sections(organisations, period, only_with_records=True)  # issue 13
        code, name = self.organisation_fields(organisations)
        return ReportDocument(
            report_id=self.id,
            title=_("Analysis of the centre's work for %(period)s") % {"period": period.label()},
            organisation_code=code, organisation_name=name, period=self.document_period(period),
            previous_period=self.document_period(previous), sections=sections,
            notes=[str(ROUNDING_NOTE), str(SUM_NOTE),
                   _("On the register at a date: admitted on or before it and not discharged on or before it; a "
                     "transfer between departments of a kind is neither an admission nor a discharge.")])

    # --- sections ---------------------------------------------------------------------------------------------
    @staticmethod
    def assignment_section(org_ids: list[int], departments: list[dict], plans: list[dict], period: Period,
                           current: dict, per_department: dict[int, int], recipients_qs) -> Section:
        """The state assignment: the period's fact for a year, the year to date for a shorter period (two more
        queries then); kinds with several departments in people (one query)."""
        ytd = figures.year_to_date(period)
        if ytd != period:
            services_qs, recipients_qs = sources(org_ids, ytd.start, ytd.end)
            services_by_department, per_department = facts_of(services_qs, recipients_qs)
        else:
            services_by_department = defaultdict(int)
            for (dept, _type, _list), (q, _a) in current.items():
                services_by_department[dept] += q
        lines, total = assignment_lines(departments, plans, services_by_department, per_department)
        kinds = kind_lines(lines, total, figures.kind_recipients(recipients_qs, ids_by_kind(lines, total)))
        blocks: list = [assignment_table(lines, total, kinds, ytd=ytd != period)]
        chart = plan_fact_chart(lines)
        if chart is not None:
            blocks.append(chart)
        return Section(title=_("Execution of the state assignment"), blocks=blocks)

    @staticmethod
    def structure_section(departments: list[dict], end: datetime.date) -> Section:
        counts: dict[str, int] = defaultdict(int)
        for d in departments:
            if d["is_active"] and d["kind"] != DepartmentKind.ADMINISTRATION:
                counts[d["kind"]] += 1
        rows = [Row(key=kind, label=str(DepartmentKind(kind).label), values={"departments": counts[kind]})
                for kind in DepartmentKind.values if counts.get(kind)]
        rows.append(Row(key="total", label=_("Total"), values={"departments": sum(counts.values())}, is_total=True))
        table = ReportTable(id="structure", title=_("Structure of the centre on %(day)s") % {
            "day": fmt_day(end)}, label_heading=_("Kind of department"),
            columns=[Column("departments", _("Departments"))], rows=rows)
        return Section(title=_("Structure of the centre"), blocks=[table])

    @staticmethod
    def staff_table(staff: dict) -> ReportTable:
        return ReportTable(
            id="staff", title=_("Staff"), label_heading="",
            columns=[Column("total", _("Employees at the end of the period")),
                     Column("social_workers", _("of them social workers")),
                     Column("hired", _("Hired in the period")), Column("dismissed", _("Dismissed in the period"))],
            rows=[Row(key="all", label=_("Centre"), values={k: staff[k] for k in (
                "total", "social_workers", "hired", "dismissed")})],
            note=_("Employees at work on the last day of the period: hired on or before it and not dismissed "
                   "before it."))

    @staticmethod
    def services_section(current: dict, recipients: int, persons: int) -> Section:
        basic = sum(q for (_d, _t, lst), (q, _a) in current.items() if lst == ServiceList.BASIC)
        additional = sum(q for (_d, _t, lst), (q, _a) in current.items() if lst == ServiceList.ADDITIONAL)
        totals = ReportTable(
            id="totals", title=_("Services and recipients"), label_heading="",
            columns=[Column("services_total", _("Services, total")), Column("services_basic", _("basic")),
                     Column("services_additional", _("additional")),
                     Column("recipients_total", _("Recipients (sum over department kinds)")),
                     Column("persons_distinct", _("Distinct persons"))],
            rows=[Row(key="all", label=_("Centre"), values={
                "services_total": basic + additional, "services_basic": basic, "services_additional": additional,
                "recipients_total": recipients, "persons_distinct": persons})],
            note=_("Recipients: the sum over department kinds of the distinct people each kind served (a person "
                   "served by two home-care departments counts once), as the statutory form counts it; distinct "
                   "persons: each person once whatever they were served."))
        by_type: dict[tuple[str, str], int] = defaultdict(int)
        for (_d, kind, lst), (q, _a) in current.items():
            by_type[(kind, lst)] += q
        types = ReportTable(
            id="services_by_type", title=_("Services by type"), label_heading=_("Type of social services"),
            columns=[Column("basic", _("Basic services")), Column("additional", _("Additional services"))],
            rows=[Row(key=kind, label=str(ServiceType(kind).label), values={
                "basic": by_type[(kind, ServiceList.BASIC)], "additional": by_type[(kind, ServiceList.ADDITIONAL)]})
                for kind in ServiceType.values])
        return Section(title=_("Social services delivered"), blocks=[totals, types])

    def home_care_section(self, current: dict, prior: dict, kind_of: dict[int, str], register: figures.Register,
                          fees: list[dict], by_category: list[dict], served: int, social_workers: int,
                          departments: list[dict],
                          before: datetime.date, end: datetime.date, period: Period, previous: Period,
                          income_label: str) -> Section:
        blocks: list = []
        # Register by sector at the start and the end, in people across the home-care departments.
        sectors = set(register.start) | set(register.end)
        keys = list(Sector.values) + ([""] if "" in sectors else [])
        rows = []
        for key in keys:
            r_start, r_end = register.start.get(key, 0), register.end.get(key, 0)
            label = str(Sector(key).label) if key else _("Sector not recorded")
            rows.append(Row(key=key or "unknown", label=label, values={
                "start": r_start, "end": r_end, "deviation": r_end - r_start}))
        t_start = sum(register.start.values())
        t_end = sum(register.end.values())
        rows.append(Row(key="total", label=_("Total on service"), is_total=True,
                        values={"start": t_start, "end": t_end, "deviation": t_end - t_start}))
        blocks.append(ReportTable(
            id="home_care_register", title=_("Home care: on the register"), label_heading=_("Sector"),
            columns=[Column("start", _("On %(day)s") % {"day": fmt_day(before)}),
                     Column("end", _("On %(day)s") % {"day": fmt_day(end)}),
                     Column("deviation", _("Deviation"))], rows=rows))
        admitted, discharged = register.admitted, register.discharged
        blocks.append(ReportTable(
            id="home_care_movement", title=_("Home care: movement"), label_heading="",
            columns=[Column("admitted", _("Admitted")), Column("discharged", _("Discharged")),
                     Column("served", _("Served in the period"))],
            rows=[Row(key="all", label=period.label(), values={
                "admitted": admitted, "discharged": discharged, "served": served})]))

        # By category (a person counts in each of their categories).
        cats = sorted((r for r in by_category if r["recipient__categories__code"]),
                      key=lambda r: (r["recipient__categories__sort"], r["recipient__categories__code"]))
        labels = {r["recipient__categories__code"]: r["recipient__categories__name"] or str(
            DEFAULT_CATEGORIES.get(r["recipient__categories__code"], (r["recipient__categories__code"],))[0])
            for r in cats}
        blocks.append(ReportTable(
            id="home_care_by_category", title=_("Home care: recipients by category"), label_heading=_("Category"),
            columns=[Column("recipients", _("Recipients"))],
            rows=[Row(key=r["recipient__categories__code"], label=labels[r["recipient__categories__code"]],
                      values={"recipients": r["n"]}) for r in cats],
            note=_("People served in the period; a person with several categories counts in each.")))
        if cats:
            blocks.append(Chart(id="recipients_by_category", title=_("Home care recipients by category"),
                                kind="bar", categories=[labels[r["recipient__categories__code"]] for r in cats],
                                series=[Series(_("Recipients"), [r["n"] for r in cats])],
                                # bars, not a pie: a person with several categories counts in each
                                note=_("People served in the period; a person with several categories counts in "
                                       "each.")))

        # This year against the previous one.
        def home_sum(data: dict, index: int):
            return sum(v[index] for (d, _t, _l), v in data.items() if kind_of.get(d) == HOME)

        services_now, services_then = int(home_sum(current, 0)), int(home_sum(prior, 0))
        # Income: the journal's amounts + the monthly fees for basic services (billing's rule, RULES.md).
        income_now, income_then = (sum((inc.total for d, inc in income_by_department(data, fee).items()
                                        if d is not None and kind_of.get(d) == HOME), Decimal(0))
                                   for data, fee in zip((current, prior), fees, strict=True))
        blocks.append(ReportTable(
            id="home_care_yoy", title=_("Home care: services and income against the previous year"),
            label_heading="",
            columns=[Column("previous", previous.label(), "decimal"), Column("current", period.label(), "decimal"),
                     Column("change_pct", _("Change, %"), "percent")],
            rows=[Row(key="services", label=_("Services delivered"), values={
                "previous": services_then, "current": services_now,
                "change_pct": round2(change_pct(services_now, services_then))}),
                Row(key="income", label=income_label, values={
                    "previous": income_then, "current": income_now,
                    "change_pct": round2(change_pct(income_now, income_then))})],
            note=_("Change = (current − previous) / previous × 100, rounded half-up to two decimal places.")))
        home_departments = [d for d in departments if d["kind"] == HOME]
        now_by: dict[int, int] = defaultdict(int)
        then_by: dict[int, int] = defaultdict(int)
        for (d, _t, _l), (q, _a) in current.items():
            now_by[d] += q
        for (d, _t, _l), (q, _a) in prior.items():
            then_by[d] += q
        shown = [d for d in home_departments if now_by[d["id"]] or then_by[d["id"]]]
        if shown:
            blocks.append(Chart(id="services_yoy", title=_("Home care services: this year against the previous"),
                                kind="bar", categories=[d["name"] for d in shown],
                                series=[Series(previous.label(), [then_by[d["id"]] for d in shown]),
                                        Series(period.label(), [now_by[d["id"]] for d in shown])]))

        # Average load.
        load = round2(Decimal(served) / social_workers) if social_workers else None
        blocks.append(ReportTable(
            id="avg_load", title=_("Average load of a social worker"), label_heading="",
            columns=[Column("social_workers", _("Social workers of home care")),
                     Column("recipients_served", _("Home care recipients served")),
                     Column("load", _("Recipients per social worker"), "decimal")],
            rows=[Row(key="all", label=period.label(), values={
                "social_workers": social_workers, "recipients_served": served, "load": load})],
            note=_("Recipients served in the period / social workers of the home-care departments at the end of "
                   "the period, rounded half-up to two decimal places.")))
        if load is not None:
            blocks.append(Text(_("The average load of a social worker was %(load)s recipients.") % {
                "load": formats.number(load, 2)}))
        return Section(title=_("Social services at home"), blocks=blocks)


    # --- urgent service, day stay, social adaptation ---------------------------------------------------------
    @staticmethod
    def kind_services(data: dict, kind_of: dict[int, str], kind: str) -> int:
        return int(sum(q for (d, _t, _l), (q, _a) in data.items() if kind_of.get(d) == kind))

    @staticmethod
    def urgent_section(by_category: list[dict], persons: int, services: int) -> Section:
        cats = sorted((r for r in by_category if r["recipient__categories__code"]),
                      key=lambda r: (r["recipient__categories__sort"], r["recipient__categories__code"]))
        rows = [Row(key=r["recipient__categories__code"], label=r["recipient__categories__name"] or str(
            DEFAULT_CATEGORIES.get(r["recipient__categories__code"], (r["recipient__categories__code"],))[0]),
            values={"recipients": r["n"], "services": int(r["q"] or 0)}) for r in cats]
        rows.append(Row(key="total", label=_("Total"), is_total=True,
                        values={"recipients": persons, "services": services}))
        title = _("Urgent social services: recipients by category")
        table = ReportTable(
            id="urgent_by_category", title=title, label_heading=_("Category"),
            columns=[Column("recipients", _("Recipients")), Column("services", _("Services"))], rows=rows,
            note=_("People served in the urgent departments in the period; a person with several categories counts "
                   "in each, and in the total once."))
        return Section(title=title, blocks=[table])

    @staticmethod
    def kind_table(table_id: str, title: str, services_then: int, services_now: int, recipients_then: int,
                   recipients_now: int, period: Period, previous: Period) -> ReportTable:
        return ReportTable(
            id=table_id, title=title, label_heading="",
            columns=[Column("services_previous", _("Services, %(period)s") % {"period": previous.label()}),
                     Column("services_current", _("Services, %(period)s") % {"period": period.label()}),
                     Column("recipients_previous", _("Recipients, %(period)s") % {"period": previous.label()}),
                     Column("recipients_current", _("Recipients, %(period)s") % {"period": period.label()}),
                     Column("change_pct", _("Change of services, %"), "percent")],
            rows=[Row(key="all", label=_("Centre"), values={
                "services_previous": services_then, "services_current": services_now,
                "recipients_previous": recipients_then, "recipients_current": recipients_now,
                "change_pct": round2(change_pct(services_now, services_then))})],
            note=_("Recipients: distinct people served in the period. Change = (current − previous) / previous × 100,"
                   " rounded half-up to two decimal places."))


register(Annual)
