"""A dashboard for each role (issue 11): what each one opens the day with, in a bounded number of queries.

- social worker: the caseload, today's visits (the caseload of today, with whether a service is recorded yet),
  programmes ending soon;
- head of department: the state assignment's execution in their departments, overdue applications;
- accountant: the months not yet charged, the debts;
- director (and deputy): the plan, the warnings, key figures of the year from the registry of indicators;
- analyst: the organisations side by side, aggregates only (indicators), no personal data.

Every list of people is scoped to the actor by the apps' queries and audited (log_read) by the view.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.billing.models import Charge
from opora.billing.queries import balances_for
from opora.delivery.models import Delivery
from opora.delivery.queries import caseload_on
from opora.indicators.format import format_value
from opora.indicators.registry import get_indicator
from opora.intake.queries import applications_for, filter_applications, for_list
from opora.lib.dates import add_months, month_start
from opora.org.models import Organisation
from opora.programmes.models import Contract, ProgrammeStatus
from opora.programmes.queries import programmes_for
from opora.reports.generators.state_assignment import execution

ENDING_SOON_DAYS = 30  # programmes whose term ends within this many days
LIST_LIMIT = 10  # rows of a list on the dashboard; the full list is one click away
CHARGE_MONTHS = 12  # how far back the accountant's «months not yet charged» looks
KEY_INDICATORS = ("services", "recipients", "applications", "admitted", "discharged", "income")


@dataclass
class Figure:
    name: str
    title: str
    value: str


@dataclass
class RoleDashboards:
    """The sections a user sees, by the roles they hold in the organisation."""

    roles: set[str]
    sections: dict[str, Any] = field(default_factory=dict)
    people_read: list[Any] = field(default_factory=list)  # personal data shown: the view audits it


def _figures(org_ids: list[int], start: datetime.date, end: datetime.date) -> list[Figure]:
    out = []
    for name in KEY_INDICATORS:
        ind = get_indicator(name)
        out.append(Figure(name, str(ind.title), format_value(ind.compute(org_ids, start, end), ind.unit)))
    return out


def social_worker(actor: Actor, org: Organisation, today: datetime.date) -> dict[str, Any]:
    caseload = caseload_on(actor, org.pk, today)
    recorded = set(
        Delivery.objects.filter(organisation_id=org.pk, date=today, recipient_id__in=[e.recipient_id for e in caseload])
        .values_list("recipient_id", "department_id")
        .distinct()
    )
    visits = [(e, (e.recipient_id, e.department_id) in recorded) for e in caseload]
    ending = (
        programmes_for(actor, org.pk)
        .filter(
            status=ProgrammeStatus.ACTIVE,
            valid_to__gte=today,
            valid_to__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
            recipient_id__in=[e.recipient_id for e in caseload],
        )
        .select_related("recipient", "department")
        .order_by("valid_to", "id")
    )[:LIST_LIMIT]
    return {
        "caseload": len({e.recipient_id for e in caseload}),
        "visits": visits,
        "visits_done": sum(1 for _e, done in visits if done),
        "ending": list(ending),
        "ending_days": ENDING_SOON_DAYS,
    }


def department_head(actor: Actor, org: Organisation, today: datetime.date) -> dict[str, Any]:
    departments = {
        d for g in actor.grants_with(Perm.VIEW_CASEWORK) if g.organisation_id == org.pk for d in g.department_ids
    }
    plan = execution([org.pk], today.year, today)
    lines = [line for line in plan.lines if not departments or line.department_ids & departments]
    rows = [
        (
            line,
            line.pct("services"),
            plan.forecast_pct(line, "services"),
            line.pct("recipients"),
            plan.forecast_pct(line, "recipients"),
        )
        for line in lines
    ]
    overdue_qs = filter_applications(applications_for(actor), organisation_id=org.pk, overdue=True, today=today)
    overdue = list(for_list(overdue_qs).order_by("decision_due", "id")[:LIST_LIMIT])
    return {"plan_rows": rows, "plan_year": today.year, "overdue": overdue, "overdue_count": overdue_qs.count()}


def _months_not_charged(org: Organisation, today: datetime.date) -> list[datetime.date]:
    """The whole months of the last ``CHARGE_MONTHS`` in which a paid or partly paid contract was in force but no
    charge of the organisation was computed (two queries)."""
    first = add_months(month_start(today), -CHARGE_MONTHS)
    charged = set(
        Charge.objects.filter(organisation_id=org.pk, month__gte=first).values_list("month", flat=True).distinct()
    )
    terms = (
        Contract.objects.filter(organisation_id=org.pk, monthly_fee__gt=0, valid_from__lt=month_start(today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=first))
        .values_list("valid_from", "valid_to", "terminated_on")
    )
    months, month = [], first
    spans = list(terms)
    while month < month_start(today):
        end = add_months(month, 1) - datetime.timedelta(days=1)
        in_force = any(
            start <= end and (to is None or to >= month) and (term is None or term >= month)
            for start, to, term in spans
        )
        if in_force and month not in charged:
            months.append(month)
        month = add_months(month, 1)
    return months


def accountant(actor: Actor, org: Organisation, today: datetime.date) -> dict[str, Any]:
    debtors = balances_for(actor, org.pk, "debtors")
    total = debtors.aggregate(total=Sum("balance"), count=Count("id"))
    return {
        "months_not_charged": _months_not_charged(org, today),
        "debtors": list(debtors[:LIST_LIMIT]),
        "debt_total": total["total"] or Decimal("0"),
        "debt_count": total["count"] or 0,
        "current_month": month_start(today),
        "current_charged": Charge.objects.filter(organisation_id=org.pk, month=month_start(today)).exists(),
    }


def director(actor: Actor, org: Organisation, today: datetime.date) -> dict[str, Any]:
    plan = execution([org.pk], today.year, today)
    open_apps = applications_for(actor).filter(organisation_id=org.pk)
    overdue = filter_applications(open_apps, overdue=True, today=today).count()
    paid_contracts = Contract.objects.filter(
        organisation_id=org.pk, terminated_on__isnull=True, valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    without_decision = paid_contracts.filter(monthly_fee__gt=0, fee_decision__isnull=True).count()
    ending = (
        programmes_for(actor, org.pk)
        .filter(
            status=ProgrammeStatus.ACTIVE,
            valid_to__gte=today,
            valid_to__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS),
        )
        .count()
    )
    warnings = {
        "overdue_applications": overdue,
        "behind": plan.behind(),
        "fee_without_decision": without_decision,
        "ending": ending,
        "ending_days": ENDING_SOON_DAYS,
    }
    return {
        "plan": plan,
        "total": plan.total,
        "services_pct": plan.forecast_pct(plan.total, "services"),
        "recipients_pct": plan.forecast_pct(plan.total, "recipients"),
        "warnings": warnings,
        "figures": _figures([org.pk], datetime.date(today.year, 1, 1), today),
        "year": today.year,
    }


def analyst(actor: Actor, org: Organisation, today: datetime.date) -> dict[str, Any]:
    """The organisations the analyst sees, side by side: the year's key figures from the indicators registry
    and the plan's forecast, nothing personal."""
    orgs = list(
        Organisation.objects.filter(
            pk__in=[o for o in actor.organisation_ids if actor.can(Perm.VIEW_DASHBOARD, o)]
        ).order_by("name")
    )
    start = datetime.date(today.year, 1, 1)
    titles = [str(get_indicator(name).title) for name in KEY_INDICATORS]
    rows = []
    for o in orgs:
        plan = execution([o.pk], today.year, today)
        rows.append((o, [f.value for f in _figures([o.pk], start, today)], plan.forecast_pct(plan.total, "services")))
    return {"titles": titles, "rows": rows, "year": today.year}


def build(actor: Actor, org: Organisation, today: datetime.date) -> RoleDashboards:
    roles = set(actor.roles_in(org.pk))
    out = RoleDashboards(roles=roles)
    if Role.SOCIAL_WORKER in roles:
        out.sections["social_worker"] = social_worker(actor, org, today)
        out.people_read += [e.recipient for e, _done in out.sections["social_worker"]["visits"]]
        out.people_read += out.sections["social_worker"]["ending"]
    if Role.DEPARTMENT_HEAD in roles:
        out.sections["department_head"] = department_head(actor, org, today)
        out.people_read += [a.recipient for a in out.sections["department_head"]["overdue"]]
    if Role.ACCOUNTANT in roles:
        out.sections["accountant"] = accountant(actor, org, today)
        out.people_read += out.sections["accountant"]["debtors"]
    if roles & {Role.DIRECTOR, Role.DEPUTY_DIRECTOR}:
        out.sections["director"] = director(actor, org, today)
    if Role.ANALYST in roles:
        out.sections["analyst"] = analyst(actor, org, today)
    return out
