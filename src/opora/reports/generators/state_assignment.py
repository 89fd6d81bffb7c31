"""`state_assignment`: the execution of the state (municipal) assignment — plan, fact and % per department
and in total, for services and for recipients, with a forecast to the end of the year.

Counting rules (domain/RULES.md): the fact of services is the sum of the quantities delivered in the
department; the fact of recipients is the number of distinct people with at least one service delivered in
the department; a department kind with several departments gets a row of its own whose recipients are the
distinct people across its departments (a transfer between them counts once); the centre's total of recipients
is the SUM over department kinds (as the statutory form counts it). Execution % = fact / plan × 100, rounded
half-up to two places.

Forecast to the end of the year: fact so far / months elapsed × 12, where the months elapsed are counted from
1 January to the day of the fact (the period's end, or today if earlier), the current month as the fraction
of its days passed (15 March → 2 + 15/31 months). On 31 December the forecast equals the fact. The same
linear method is applied to recipients, which overstates a little when the same people are served all
year; it is a warning light, not a figure for the statutory form.

Everything is read from the monthly aggregates (delivery/aggregates.py) with a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.core.reference import DepartmentKind
from opora.delivery.aggregates import covered_by_months
from opora.delivery.models import (
    Delivery,
    RecipientMonth,
    RecipientServiceMonth,
    RecipientServiceYear,
    RecipientYear,
    ServiceMonth,
)
from opora.lib.dates import days_in_month, whole_calendar_year
from opora.lib.formats import day as fmt_day
from opora.lib.periods import Period, round2, share_pct
from opora.org.models import AssignmentPlan, Department, Organisation
from opora.reports import figures, formatting
from opora.reports.model import Chart, Column, ReportDocument, ReportTable, Row, Section, Series
from opora.reports.registry import ReportGenerator, register

#: A department is "behind the plan" on the dashboard when its forecast to the end of the year is below this
#: share of its plan (in %), for services or for recipients.
BEHIND_PLAN_PCT = Decimal(90)
#: No warning before this many months of the year have passed: a forecast from a few days is noise.
MIN_MONTHS_FOR_WARNING = Decimal(1)

ROUNDING_NOTE = gettext_lazy("Percentages are fact / plan × 100, rounded half-up to two decimal places.")
SUM_NOTE = gettext_lazy("Recipients of a department kind with several departments are distinct people across its "
                        "departments; the total of recipients is the sum over department kinds, as the statutory "
                        "form counts it. Distinct persons are shown separately.")
YTD_NOTE = gettext_lazy("For a period shorter than a year the fact is counted from 1 January to the period's end "
                        "(year to date) and compared with the year's plan.")


def sources(org_ids: Sequence[int], start: datetime.date, end: datetime.date, today: datetime.date | None = None):
    """(services, recipients): querysets with organisation_id, department_id, service/recipient, list, quantity,
    amount over the period — the monthly aggregates when the period is made of whole months (or runs to today: no
    line can be dated later), the people of a whole calendar year from its yearly aggregate (one row per person and
    department instead of up to twelve), the journal itself otherwise (a period cut inside a month)."""
    if covered_by_months(start, end, today):
        first, last = start, end.replace(day=1)
        year = whole_calendar_year(start, end)
        return (ServiceMonth.objects.filter(organisation_id__in=org_ids, month__gte=first, month__lte=last),
                RecipientYear.objects.filter(organisation_id__in=org_ids, year=year) if year is not None else
                RecipientMonth.objects.filter(organisation_id__in=org_ids, month__gte=first, month__lte=last))
    journal = Delivery.objects.filter(organisation_id__in=org_ids, date__gte=start, date__lte=end)
    return journal, journal


def person_service_rows(org_ids: Sequence[int], start: datetime.date, end: datetime.date):
    """The rows (department_id, service, recipient_id) of the period to count the distinct people of a service or a
    type from: the yearly aggregate RecipientServiceYear for a whole calendar year (one row per triple),
    RecipientServiceMonth for other whole months, the journal otherwise."""
    year = whole_calendar_year(start, end)
    if year is not None:
        return RecipientServiceYear.objects.filter(organisation_id__in=org_ids, year=year)
    if covered_by_months(start, end):
        return RecipientServiceMonth.objects.filter(organisation_id__in=org_ids, month__gte=start,
                                                    month__lte=end.replace(day=1))
    return Delivery.objects.filter(organisation_id__in=org_ids, date__gte=start, date__lte=end)


@dataclass
class Line:
    """One department (or departments of the same code across organisations) in the assignment."""

    key: str
    label: str
    kind: str
    services_plan: int | None = None
    services_fact: int = 0
    recipients_plan: int | None = None
    recipients_fact: int = 0
    department_ids: set[int] = field(default_factory=set)

    def pct(self, what: str) -> Decimal | None:
        return round2(share_pct(getattr(self, f"{what}_fact"), getattr(self, f"{what}_plan")))


def _add(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


def assignment_lines(departments: Sequence[dict], plans: Sequence[dict], services: dict[int, int],
                     recipients: dict[int, int]) -> tuple[list[Line], Line]:
    """The lines per department code (those with a plan or a fact in the period) and the total.

    `departments`: dicts with id, code, name, kind; `plans`: dicts with department_id, services_plan,
    recipients_plan; `services`/`recipients`: department id → fact.
    """
    planned: dict[int, dict] = {p["department_id"]: p for p in plans}
    lines: dict[str, Line] = {}
    for d in departments:
        pid = d["id"]
        if not (pid in planned or services.get(pid) or recipients.get(pid)):
            continue  # neither a plan nor a fact: not part of the assignment
        line = lines.setdefault(d["code"], Line(key=d["code"], label=d["name"], kind=d["kind"]))
        line.department_ids.add(pid)
        line.services_fact += services.get(pid, 0)
        line.recipients_fact += recipients.get(pid, 0)
        if pid in planned:
            line.services_plan = _add(line.services_plan, planned[pid]["services_plan"])
            line.recipients_plan = _add(line.recipients_plan, planned[pid]["recipients_plan"])
    ordered = sorted(lines.values(), key=lambda ln: ln.key)
    total = Line(key="total", label=_("Total"), kind="")
    # The total sets the plan against the fact of the same departments: once any department has a plan, the
    # departments without one (e.g. not in the assignment this year) stay out of the total, not inflating its %.
    any_planned = any(ln.services_plan is not None or ln.recipients_plan is not None for ln in ordered)
    for ln in ordered:
        if any_planned and ln.services_plan is None and ln.recipients_plan is None:
            continue
        total.services_fact += ln.services_fact
        total.recipients_fact += ln.recipients_fact
        total.services_plan = _add(total.services_plan, ln.services_plan)
        total.recipients_plan = _add(total.recipients_plan, ln.recipients_plan)
        total.department_ids |= ln.department_ids
    return ordered, total


def ids_by_kind(lines: Sequence[Line], total: Line) -> dict[str, list[int]]:
    """The department ids counted in the total, by department kind (for `figures.kind_recipients`)."""
    out: dict[str, list[int]] = {}
    for ln in lines:
        ids = sorted(ln.department_ids & total.department_ids)
        if ids:
            out.setdefault(ln.kind, []).extend(ids)
    return out


def kind_lines(lines: Sequence[Line], total: Line, people_of_kind: Mapping[str, int]) -> list[Line]:
    """Count recipients in people across a department kind (domain/RULES.md): one line per kind with several
    departments in the total (key = the kind's code, its recipients the distinct people of `people_of_kind`), and
    the total's recipients set to the sum over kinds. Changes `total`; returns the kind lines."""
    groups: dict[str, list[Line]] = {}
    for ln in lines:
        if ln.department_ids & total.department_ids:
            groups.setdefault(ln.kind, []).append(ln)
    out = []
    for kind, members in groups.items():
        if len(members) < 2:
            continue
        line = Line(key=kind, label=str(DepartmentKind(kind).label) if kind in DepartmentKind.values else kind,
                    kind=kind, recipients_fact=people_of_kind.get(kind, 0))
        for ln in members:
            line.department_ids |= ln.department_ids
            line.services_fact += ln.services_fact
            line.services_plan = _add(line.services_plan, ln.services_plan)
            line.recipients_plan = _add(line.recipients_plan, ln.recipients_plan)
        out.append(line)
    total.recipients_fact = sum(people_of_kind.get(kind, sum(ln.recipients_fact for ln in members))
                                for kind, members in groups.items())
    return out


def department_dicts(org_ids: Sequence[int]) -> list[dict]:
    return [dict(d) for d in Department.objects.filter(organisation_id__in=org_ids)
            .order_by("code", "organisation_id").values("id", "code", "name", "kind", "is_active")]


def plan_dicts(org_ids: Sequence[int], year: int) -> list[dict]:
    return [dict(p) for p in AssignmentPlan.objects.filter(organisation_id__in=org_ids, year=year)
            .values("department_id", "services_plan", "recipients_plan")]


def facts(org_ids: Sequence[int], start: datetime.date, end: datetime.date) -> tuple[dict[int, int], dict[int, int]]:
    """Services (Σ quantity) and recipients (distinct people) per department id over the period: two queries."""
    services_qs, recipients_qs = sources(org_ids, start, end)
    return facts_of(services_qs, recipients_qs)


def facts_of(services_qs, recipients_qs) -> tuple[dict[int, int], dict[int, int]]:
    services = {r["department_id"]: int(r["n"] or 0)
                for r in services_qs.values("department_id").annotate(n=Sum("quantity")).order_by()}
    recipients = {r["department_id"]: r["n"] for r in recipients_qs.values("department_id").annotate(
        n=Count("recipient_id", distinct=True)).order_by()}
    return services, recipients


def months_elapsed(year: int, as_of: datetime.date) -> Decimal:
    """Months from 1 January to `as_of` inclusive, the last one as a fraction of its days (12 on 31 December)."""
    if as_of.year < year:
        return Decimal(0)
    if as_of.year > year:
        return Decimal(12)
    days = days_in_month(year, as_of.month)
    return Decimal(as_of.month - 1) + Decimal(as_of.day) / Decimal(days)


def forecast(fact: int, elapsed: Decimal) -> Decimal | None:
    """fact / months elapsed × 12 (None before the year has begun)."""
    if elapsed <= 0:
        return None
    return fact / elapsed * 12


@dataclass
class Execution:
    year: int
    as_of: datetime.date
    elapsed: Decimal
    lines: list[Line]
    total: Line
    kinds: list[Line] = field(default_factory=list)

    def forecast_of(self, line: Line, what: str) -> Decimal | None:
        return forecast(getattr(line, f"{what}_fact"), self.elapsed)

    def forecast_pct(self, line: Line, what: str) -> Decimal | None:
        value = self.forecast_of(line, what)
        return round2(share_pct(value, getattr(line, f"{what}_plan")))

    def behind(self, threshold: Decimal = BEHIND_PLAN_PCT) -> list[tuple[Line, str, Decimal]]:
        """(line, "services"|"recipients", forecast %) for the departments whose forecast is below the
        threshold share of the plan; nothing before MIN_MONTHS_FOR_WARNING months have passed."""
        if self.elapsed < MIN_MONTHS_FOR_WARNING:
            return []
        found = []
        for line in self.lines:
            for what in ("services", "recipients"):
                pct = self.forecast_pct(line, what)
                if pct is not None and pct < threshold:
                    found.append((line, what, pct))
        return found


def execution(org_ids: Sequence[int], year: int, as_of: datetime.date | None = None) -> Execution:
    """Plan, fact so far and forecast of the year's assignment (five queries)."""
    today = timezone.localdate()
    as_of = min(as_of or datetime.date(year, 12, 31), today, datetime.date(year, 12, 31))
    start = datetime.date(year, 1, 1)
    services_qs, recipients_qs = sources(org_ids, start, as_of)
    services, recipients = facts_of(services_qs, recipients_qs) if as_of >= start else ({}, {})
    lines, total = assignment_lines(department_dicts(org_ids), plan_dicts(org_ids, year), services, recipients)
    people = figures.kind_recipients(recipients_qs, ids_by_kind(lines, total)) if as_of >= start else {}
    kinds = kind_lines(lines, total, people)
    return Execution(year=year, as_of=as_of, elapsed=months_elapsed(year, as_of), lines=lines, total=total,
                     kinds=kinds)


def assignment_table(lines: Sequence[Line], total: Line, kinds: Sequence[Line] = (), ytd: bool = False) -> ReportTable:
    """The table `state_assignment` of EXCHANGE.md (shared with the annual analysis): the departments, the kinds
    with several departments, the total."""
    def row(line: Line, is_total: bool = False) -> Row:
        return Row(key=line.key, label=line.label, is_total=is_total, values={
            "services_plan": line.services_plan, "services_fact": line.services_fact,
            "services_pct": line.pct("services"), "recipients_plan": line.recipients_plan,
            "recipients_fact": line.recipients_fact, "recipients_pct": line.pct("recipients")})

    return ReportTable(
        id="state_assignment", title=_("Execution of the state assignment"), label_heading=_("Department"),
        columns=[Column("services_plan", _("Services: plan")), Column("services_fact", _("Services: fact")),
                 Column("services_pct", _("Services: %"), "percent"),
                 Column("recipients_plan", _("Recipients: plan")), Column("recipients_fact", _("Recipients: fact")),
                 Column("recipients_pct", _("Recipients: %"), "percent")],
        rows=[row(ln) for ln in lines] + [row(ln) for ln in kinds] + [row(total, True)],
        note=f"{ROUNDING_NOTE} {SUM_NOTE}" + (f" {YTD_NOTE}" if ytd else ""))


def plan_fact_chart(lines: Sequence[Line]) -> Chart | None:
    planned = [ln for ln in lines if ln.services_plan is not None]
    if not planned:
        return None
    return Chart(id="plan_fact", title=_("State assignment: services, plan and fact by department"), kind="bar",
                 categories=[ln.label for ln in planned],
                 series=[Series(_("Plan"), [ln.services_plan or 0 for ln in planned]),
                         Series(_("Fact"), [ln.services_fact for ln in planned])])


class StateAssignment(ReportGenerator):
    id = "state_assignment"
    title = gettext_lazy("Execution of the state assignment")
    signed = True

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        org_ids = [o.pk for o in organisations]
        ex = execution(org_ids, period.year, period.end)
        table = assignment_table(ex.lines, ex.total, ex.kinds)
        forecast_table = ReportTable(
            id="forecast", title=_("Forecast to the end of the year"), label_heading=_("Department"),
            columns=[Column("services_plan", _("Services: plan")),
                     Column("services_forecast", _("Services: forecast"), "int"),
                     Column("services_forecast_pct", _("Services: forecast %"), "percent"),
                     Column("recipients_plan", _("Recipients: plan")),
                     Column("recipients_forecast", _("Recipients: forecast"), "int"),
                     Column("recipients_forecast_pct", _("Recipients: forecast %"), "percent")],
            rows=[Row(key=ln.key, label=ln.label, is_total=ln is ex.total, values={
                "services_plan": ln.services_plan,
                "services_forecast": round2(ex.forecast_of(ln, "services")),
                "services_forecast_pct": ex.forecast_pct(ln, "services"),
                "recipients_plan": ln.recipients_plan,
                "recipients_forecast": round2(ex.forecast_of(ln, "recipients")),
                "recipients_forecast_pct": ex.forecast_pct(ln, "recipients")})
                for ln in [*ex.lines, *ex.kinds, ex.total]],
            note=_("Forecast = fact so far / months elapsed × 12; months elapsed on %(day)s: %(months)s (the "
                   "current month counted by the share of its days passed). A department is flagged as behind "
                   "when its forecast is below %(threshold)s %% of the plan.") % {
                "day": fmt_day(ex.as_of), "months": formatting.decimal(round2(ex.elapsed)),
                "threshold": BEHIND_PLAN_PCT})
        blocks: list = [table]
        chart = plan_fact_chart(ex.lines)
        if chart is not None:
            blocks.append(chart)
        blocks.append(forecast_table)
        code, name = self.organisation_fields(organisations)
        year_start = datetime.date(period.year, 1, 1)
        whole = period.start == year_start and ex.as_of == period.end
        period_for_fact = period if whole else Period.range_of(year_start, ex.as_of)
        return ReportDocument(
            report_id=self.id, title=_("Execution of the state assignment for %(period)s") % {
                "period": period_for_fact.label()},
            organisation_code=code, organisation_name=name, period=self.document_period(period_for_fact),
            sections=[Section(title=_("Execution of the state assignment"), blocks=blocks)],
            notes=[str(ROUNDING_NOTE), str(SUM_NOTE)])


register(StateAssignment)
