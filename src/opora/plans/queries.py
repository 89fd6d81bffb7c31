"""Reads of plans scoped to the actor (VIEW_DASHBOARD in the plan's organisation; 404 otherwise) and the
execution of a plan for a period: each item's mark with its placeholders filled, and the roadmap's figures."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.indicators.format import format_value
from opora.indicators.registry import Value, get_indicator
from opora.lib.errors import DomainError
from opora.plans import rules
from opora.plans.models import Plan, PlanItem, PlanMark


def plans_for(actor: Actor, organisation_id: int) -> QuerySet[Plan]:
    if not actor.can(Perm.VIEW_DASHBOARD, organisation_id):
        return Plan.objects.none()
    return Plan.objects.filter(organisation_id=organisation_id)


def get_plan_for(actor: Actor, pk: int, perm: str = Perm.VIEW_DASHBOARD) -> Plan:
    plan = Plan.objects.filter(pk=pk).select_related("organisation").first()
    if plan is None or not actor.can(perm, plan.organisation_id):
        raise Http404("no such plan")
    return plan


def get_plan_by_code_for(actor: Actor, organisation_id: int, code: str) -> Plan:
    plan = Plan.objects.filter(organisation_id=organisation_id, code=code).select_related("organisation").first()
    if plan is None or not actor.can(Perm.VIEW_DASHBOARD, organisation_id):
        raise Http404("no such plan")
    return plan


def get_item_for(actor: Actor, pk: int, perm: str = Perm.VIEW_DASHBOARD) -> PlanItem:
    item = PlanItem.objects.filter(pk=pk).select_related("plan").first()
    if item is None or not actor.can(perm, item.organisation_id):
        raise Http404("no such item")
    return item


class Values:
    """Indicator values of one organisation and period, each computed once (a mark may quote one many times)."""

    def __init__(self, organisation_id: int, start: datetime.date, end: datetime.date, lang: str | None = None):
        self.organisation_id, self.start, self.end, self.lang = organisation_id, start, end, lang
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Value] = {}

    def value(self, name: str, params: Mapping[str, str]) -> Value:
        key = (name, tuple(sorted(params.items())))
        if key not in self._cache:
            self._cache[key] = get_indicator(name).compute([self.organisation_id], self.start, self.end, params)
        return self._cache[key]

    def text(self, placeholder: rules.Placeholder) -> str:
        value = self.value(placeholder.name, placeholder.param_dict)
        return format_value(value, get_indicator(placeholder.name).unit, self.lang)

    def render(self, text: str) -> str:
        return rules.render_mark(text, self.text)


@dataclass
class ItemExecution:
    item: PlanItem
    mark_source: str  # the mark as written (the period's own, else the item's)
    mark: str  # rendered
    value: Value | None
    pct: Decimal | None
    error: str = ""
    value_text: str = ""  # the value and the target formatted for the language, as the marks are
    target_text: str = ""
    deadline_text: str = ""


def execution(plan: Plan, start: datetime.date, end: datetime.date, lang: str | None = None) -> list[ItemExecution]:
    """Every item of the plan with its mark for the period rendered and, for an item with an indicator, the
    value, the target and the percentage achieved. Two queries plus one per distinct indicator question."""
    values = Values(plan.organisation_id, start, end, lang)
    own = {m.item_id: m.text for m in PlanMark.objects.filter(item__plan=plan, start=start, end=end)}
    result = []
    for item in plan.items.select_related("responsible_employee", "responsible_department").order_by("sort_key"):
        source = own.get(item.pk, item.mark)
        error = ""
        try:
            mark = values.render(source)
        except DomainError as exc:  # e.g. a department code that no longer exists
            mark, error = source, exc.message
        value = pct = None
        if item.indicator:
            try:
                value = values.value(item.indicator, item.params)
                pct = rules.achieved_pct(value, item.target)
            except DomainError as exc:
                error = error or exc.message
        row = ItemExecution(item, source, mark, value, pct, error,
                            deadline_text=rules.deadline_label(item.deadline, plan.year, lang))
        if item.indicator and not error:
            unit = get_indicator(item.indicator).unit
            row.value_text = format_value(value, unit, lang) if value is not None else ""
            row.target_text = format_value(item.target, unit, lang) if item.target is not None else ""
        result.append(row)
    return result


def due_without_mark_for(actor: Actor, organisation_id: int, start: datetime.date,
                         end: datetime.date) -> list[PlanItem]:
    """Items due in the period with no mark yet for which the actor is responsible: named as the actor's employee
    or as one of the actor's departments (the director and deputies: every such item of the organisation). An item
    with an indicator (a roadmap's) is marked by its figure, so it is not listed."""
    if not actor.can(Perm.VIEW_DASHBOARD, organisation_id):
        return []
    items = PlanItem.objects.filter(organisation_id=organisation_id, due_end__gte=start, due_end__lte=end,
                                    mark="", indicator="").exclude(marks__start__lte=end, marks__end__gte=start)
    if not actor.can(Perm.MANAGE_ORG, organisation_id):
        employee_ids = {g.employee_id for g in actor.grants if g.employee_id and g.organisation_id == organisation_id}
        department_ids = {d for g in actor.grants if g.organisation_id == organisation_id for d in g.department_ids}
        items = items.filter(Q(responsible_employee_id__in=employee_ids)
                             | Q(responsible_department_id__in=department_ids))
    return list(items.select_related("plan").order_by("due_end", "plan__code", "sort_key")[:50])
