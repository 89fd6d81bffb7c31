"""The tables of `annual` and `journal_summary` from the record Opora already holds (EXCHANGE.md, "More tables of
annual"): services_by_department_type, services_by_service, income, intake, applications_by_channel; and the
recipients of home care and of urgent service by the groups of categories an administrator edits
(:func:`group_section`, which `journal_summary` shows and `annual` builds from the figures it has read already).

Counting rules (domain/RULES.md): services = Σ quantity; people = distinct people with a service of that
department and type (or of that service) in the period; income = Σ amount of the journal lines + Σ monthly fees
for basic services charged under contracts (reports/figures.py); intake counts applications received in the
period, decisions (recognised, refused) taken in it, programmes drawn up and contracts signed in it.

Queries: a fixed number (twelve) whatever the length of the history — for a period of whole months the sums from
the monthly aggregates (delivery/aggregates.py: ServiceMonth) and the distinct people counted by the database
(COUNT DISTINCT, per department and type and per service) over RecipientServiceMonth (person × service × month), or
RecipientServiceYear for a whole calendar year, the journal itself for a period cut inside a month; the fees; the
intake.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.billing.queries import fees_by_department
from opora.billing.rules import income_by_department
from opora.core.reference import Channel, DepartmentKind, Form, ServiceList, ServiceType
from opora.lib.periods import Period, change_pct, round2
from opora.org.models import Department
from opora.reports import figures
from opora.reports.generators.state_assignment import person_service_rows, sources
from opora.reports.model import Chart, Column, ReportTable, Row, Section, Text, Value

CENT = Decimal("0.01")


def _sums(qs) -> dict[tuple[int, str, str], tuple[int, Decimal]]:
    return {(r["department_id"], r["service__type"], r["list"]): (int(r["q"] or 0), Decimal(r["a"] or 0).quantize(CENT))
            for r in qs.values("department_id", "service__type", "list").annotate(
                q=Sum("quantity"), a=Sum("amount")).order_by()}


def record_sections(org_ids: Sequence[int], period: Period, previous: Period, *,
                    sums: tuple[dict, dict] | None = None, fees: tuple[dict, dict] | None = None,
                    people: PeopleCounts | None = None) -> list[Section]:
    """The sections with the five tables (a section with nothing to show is still shown, with a total of 0).
    `sums` (this period's and the previous one's sums by department, type and list) and `fees` (both periods' fees
    by department) may come from a caller that has them already (`annual`): four queries fewer; so may `people`
    (`period_people_counts`, which `annual` starts on a second connection first)."""
    departments: dict[int, dict] = {d["id"]: dict(d) for d in Department.objects.filter(                # 1
        organisation_id__in=org_ids).order_by("code", "organisation_id").values("id", "code", "name")}
    services_qs, _recipients = sources(org_ids, period.start, period.end)
    prev_services_qs, _prev_recipients = sources(org_ids, previous.start, previous.end)
    current, prior = sums if sums is not None else (_sums(services_qs), _sums(prev_services_qs))        # 2, 3
    by_service = list(services_qs.values("service_id", "service__code", "service__name", "service__type")  # 4
                      .annotate(q=Sum("quantity"), a=Sum("amount")).order_by())
    people_by_type, people_by_service = people if people is not None else period_people_counts(          # 5, 6
        org_ids, period)
    fees_now, prior_fees = fees if fees is not None else (                                              # 6, 7
        fees_by_department(org_ids, period.start, period.end),
        fees_by_department(org_ids, previous.start, previous.end))
    intake = figures.intake_by_form(org_ids, period.start, period.end)                                  # 8–10
    channels = figures.applications_by_channel(org_ids, period.start, period.end)                       # 11

    return [
        Section(_("Services by department and type"), [department_type_table(departments, current, people_by_type),
                                                       service_table(by_service, people_by_service)]),
        Section(_("Income from services"), [income_table(
            departments, income_by_department(current, fees_now),
            income_by_department(prior, prior_fees), previous)]),
        Section(_("Intake"), [intake_table(intake), channel_table(channels)]),
    ]


#: Distinct people per (department, service type) and per service code.
PeopleCounts = tuple[dict[tuple[int, str], int], dict[str, int]]


def period_people_counts(org_ids: Sequence[int], period: Period) -> PeopleCounts:
    """`people_counts` over the period's person-service rows (two queries)."""
    return people_counts(person_service_rows(org_ids, period.start, period.end))


def people_counts(rows) -> PeopleCounts:
    """Distinct people per (department, service type) and per service code, counted by the database over the
    person-service rows of the period (`person_service_rows`): two grouped queries, a few hundred rows back."""
    by_type = {(r["department_id"], r["service__type"]): r["n"] for r in rows.values(
        "department_id", "service__type").annotate(n=Count("recipient_id", distinct=True)).order_by()}
    by_service = {r["service__code"]: r["n"] for r in rows.values("service__code").annotate(
        n=Count("recipient_id", distinct=True)).order_by()}
    return by_type, by_service


def department_type_table(departments: dict[int, dict], current: dict, people: dict) -> ReportTable:
    cells: dict[tuple[str, str], dict[str, int]] = {}
    labels: dict[str, str] = {}
    for (dept, kind, lst), (q, _a) in current.items():
        d = departments.get(dept, {"code": str(dept), "name": str(dept)})
        labels[d["code"]] = d["name"]
        cell = cells.setdefault((d["code"], kind), {"basic": 0, "additional": 0, "people": 0})
        cell["additional" if lst == ServiceList.ADDITIONAL else "basic"] += q
    for (dept, kind), n in people.items():
        d = departments.get(dept, {"code": str(dept)})
        if (d["code"], kind) in cells:
            cells[(d["code"], kind)]["people"] += n
    order = {code: i for i, code in enumerate(ServiceType.values)}
    rows = [Row(key=f"{code}:{kind}", label=f"{labels[code]}: {ServiceType(kind).label}"
                if kind in order else f"{labels[code]}: {kind}", values=_values(cells[(code, kind)]))
            for code, kind in sorted(cells, key=lambda k: (k[0], order.get(k[1], 99)))]
    return ReportTable(
        id="services_by_department_type", title=_("Services by department and type"),
        label_heading=_("Department and type of services"),
        columns=[Column("basic", _("Basic services")), Column("additional", _("Additional services")),
                 Column("people", _("People"))], rows=rows,
        note=_("People: distinct people with a service of that type delivered in the department in the period."))


def service_table(by_service: list[dict], people: dict[str, int]) -> ReportTable:
    rows = [Row(key=r["service__code"], label=r["service__name"], values={
        "services": int(r["q"] or 0), "people": people.get(r["service__code"], 0),
        "amount": Decimal(r["a"] or 0).quantize(CENT)})
        for r in sorted(by_service, key=lambda r: r["service__code"]) if r["q"]]
    return ReportTable(
        id="services_by_service", title=_("Services by service"), label_heading=_("Service"),
        columns=[Column("services", _("Services")), Column("people", _("People")),
                 Column("amount", _("Amount charged"), "money")], rows=rows)


def income_table(departments: dict[int, dict], now: dict, then: dict, previous: Period) -> ReportTable:
    codes: dict[str, str] = {}
    by_code: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"basic": Decimal(0), "additional": Decimal(0),
                                                                   "previous": Decimal(0)})
    for dept, inc in now.items():
        code = departments[dept]["code"] if dept in departments else "unknown"
        codes[code] = departments[dept]["name"] if dept in departments else _("Department not recorded")
        by_code[code]["basic"] += inc.basic
        by_code[code]["additional"] += inc.additional
    for dept, inc in then.items():
        code = departments[dept]["code"] if dept in departments else "unknown"
        codes[code] = departments[dept]["name"] if dept in departments else _("Department not recorded")
        by_code[code]["previous"] += inc.total

    def values(v: dict[str, Decimal]) -> dict:
        total = v["basic"] + v["additional"]
        return {"basic": v["basic"].quantize(CENT), "additional": v["additional"].quantize(CENT),
                "total": total.quantize(CENT), "previous": v["previous"].quantize(CENT),
                "change_pct": round2(change_pct(total, v["previous"]))}

    rows = [Row(key=code, label=codes[code], values=values(by_code[code]))
            for code in sorted(by_code, key=lambda c: (c == "unknown", c))
            if any(by_code[code].values())]
    grand = {k: sum((by_code[c][k] for c in by_code), Decimal(0)) for k in ("basic", "additional", "previous")}
    rows.append(Row(key="total", label=_("Total"), values=values(grand), is_total=True))
    return ReportTable(
        id="income", title=_("Income from services"), label_heading=_("Department"),
        columns=[Column("basic", _("Basic services (fees)"), "money"),
                 Column("additional", _("Additional services"), "money"), Column("total", _("Total"), "money"),
                 Column("previous", _("Total, %(period)s") % {"period": previous.label()}, "money"),
                 Column("change_pct", _("Change, %"), "percent")], rows=rows,
        note=_("Income = the amounts charged in the journal + the monthly fees for basic services charged under "
               "contracts; basic = the fees and the amounts on basic lines. Change = (current − previous) / "
               "previous × 100, rounded half-up; empty when the previous is 0."))


def intake_table(intake: dict[str, dict[str, int]]) -> ReportTable:
    fields = ("applications", "recognised", "refused", "programmes", "contracts")
    rows = [Row(key=form, label=str(Form(form).label), values=_values(intake[form]))
            for form in Form.values if form in intake]
    rows += [Row(key=form, label=form, values=_values(intake[form])) for form in sorted(intake)
             if form not in Form.values]
    rows.append(Row(key="all", label=_("Total"), is_total=True,
                    values={k: sum(v[k] for v in intake.values()) for k in fields}))
    return ReportTable(
        id="intake", title=_("Intake: applications, decisions, programmes and contracts"),
        label_heading=_("Requested form of service"),
        columns=[Column("applications", _("Applications received")), Column("recognised", _("Recognised")),
                 Column("refused", _("Refused")), Column("programmes", _("Programmes drawn up")),
                 Column("contracts", _("Contracts concluded"))], rows=rows,
        note=_("Applications received in the period; decisions taken in the period; programmes drawn up and "
               "contracts signed in the period, by the programme's form."))


def _values(counts: dict[str, int]) -> dict[str, Value]:
    return {k: v for k, v in counts.items()}


def channel_table(channels: dict[str, int]) -> ReportTable:
    rows = [Row(key=c, label=str(Channel(c).label), values={"applications": channels[c]})
            for c in Channel.values if c in channels]
    rows += [Row(key=c, label=c, values={"applications": channels[c]}) for c in sorted(channels)
             if c not in Channel.values]
    return ReportTable(
        id="applications_by_channel", title=_("Applications by channel"), label_heading=_("Channel"),
        columns=[Column("applications", _("Applications received"))], rows=rows)


def group_table(table_id: str, title: str, groups: Sequence[figures.Group],
                by_set: Mapping[frozenset[str], tuple[int, int]], *, with_services: bool) -> ReportTable:
    """A "by category" table in the groups an administrator edits (people.CategoryGroup): a row per group (key =
    the group's code) and the total of people served; `by_set`: the people served by the set of category codes they
    hold → (people, services) (`figures.merged_sets`)."""
    counts = figures.count_by_groups(groups, by_set)
    columns = [Column("recipients", _("Recipients"))] + ([Column("services", _("Services"))] if with_services else [])

    def values(people: int, services: int) -> dict:
        return {"recipients": people, **({"services": services} if with_services else {})}

    rows = [Row(key=g.code, label=(f"— {g.label}" if g.parent else g.label), values=values(*counts[g.code]))
            for g in groups]
    rows.append(Row(key="total", label=_("Total"), is_total=True, values=values(*figures.totals(by_set))))
    return ReportTable(
        id=table_id, title=title, label_heading=_("Group of categories"), columns=columns, rows=rows,
        note=_("A person counts in every group whose categories they hold; a line marked “—” counts only people of "
               "the group above it; “others” are the people in none of the other groups. The groups are reference "
               "data an administrator edits."))


HOME_GROUPS = ("home_care_by_category_group", gettext_lazy("Home care: recipients by group of categories"))
URGENT_GROUPS = ("urgent_by_category_group", gettext_lazy("Urgent social services: recipients by group of categories"))


def group_section(org_ids: Sequence[int], recipients_qs) -> Section | None:
    """The "by group of categories" tables of home care and of urgent service over a recipients source (the monthly
    aggregate or the journal), for the departments of those kinds (none: None). Four queries."""
    kinds = dict(Department.objects.filter(organisation_id__in=org_ids, kind__in=(                        # 1
        DepartmentKind.HOME_CARE, DepartmentKind.URGENT)).values_list("id", "kind"))
    home_ids = [d for d, k in kinds.items() if k == DepartmentKind.HOME_CARE]
    urgent_ids = [d for d, k in kinds.items() if k == DepartmentKind.URGENT]
    if not kinds:
        return None
    groups = figures.category_groups()                                                                  # 2, 3
    home_sets, urgent_sets = figures.category_sets(recipients_qs, home_ids, urgent_ids)                # 4
    blocks: list[ReportTable | Chart | Text] = []
    for ids, sets, (table_id, title), with_services in ((home_ids, home_sets, HOME_GROUPS, False),
                                                        (urgent_ids, urgent_sets, URGENT_GROUPS, True)):
        if ids:
            blocks.append(group_table(table_id, str(title), groups, figures.merged_sets(sets),
                                      with_services=with_services))
    return Section(_("Recipients by group of categories"), blocks)
