"""Every write of plans: do_* actions (atomic, audited) and the bulk entry point the import and the demo use.

Every check happens before anything is saved: a repeated item number, a deadline outside the plan's year, a
placeholder naming an unknown indicator or parameter (with its position in the text) are DomainErrors naming the
field, and nothing changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.log import diff, log_event, snapshot
from opora.audit.models import EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.indicators.registry import known
from opora.lib.errors import DomainError
from opora.org.models import Department, Employee, Organisation
from opora.plans import rules
from opora.plans.models import Plan, PlanItem, PlanMark


@dataclass
class ItemData:
    """An item as the forms, the API, the import and the demo give it (texts, not yet checked)."""

    number: str
    text: str
    section: str = ""
    deadline: str = ""
    responsible: str = ""
    mark: str = ""
    indicator: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    target: Decimal | None = None
    # the execution marks written for single periods, (first day, last day) → text; written (added or changed,
    # never removed) by write_plans — the import of `plan_items` rows with a `period`
    period_marks: dict[tuple[datetime.date, datetime.date], str] = field(default_factory=dict)


class Responsibles:
    """Who a ``responsible`` text names: an employee (tab_no, full name or short name) or a department (code
    or name) of the organisation; read once per organisation."""

    def __init__(self, organisation_id: int):
        self.employees: dict[str, int] = {}
        for pk, tab, last, first, patronymic in Employee.objects.filter(organisation_id=organisation_id).values_list(
                "id", "tab_no", "last_name", "first_name", "patronymic"):
            full = " ".join(p for p in (last, first, patronymic) if p)
            short = f"{last} {first[:1]}.{patronymic[:1] + '.' if patronymic else ''}".strip()
            for key in (tab, full, short, short.replace(".", ". ").strip()):
                self.employees.setdefault(key.casefold(), pk)
        self.departments: dict[str, int] = {}
        for pk, code, name in Department.objects.filter(organisation_id=organisation_id).values_list("id", "code",
                                                                                                     "name"):
            self.departments.setdefault(code.casefold(), pk)
            self.departments.setdefault(name.casefold(), pk)

    def resolve(self, text: str) -> tuple[int | None, int | None]:
        key = " ".join(text.split()).casefold()
        if not key:
            return None, None
        return self.employees.get(key), self.departments.get(key)


def check_item(data: ItemData, year: int, names: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The model's field values of an item, every rule checked (DomainError naming the field otherwise)."""
    number = rules.check_number(data.number)
    if not data.text.strip():
        raise DomainError(_("The item needs a text."), field="text")
    bounds = rules.deadline_bounds(data.deadline, year)
    known_names = {k: frozenset(v) for k, v in names.items()}
    rules.check_mark(data.mark, known_names)
    params = {str(k): str(v) for k, v in data.params.items()}
    if data.indicator:
        rules.check_indicator(data.indicator, params, known_names)
    elif params:
        raise DomainError(_("Parameters without an indicator."), field="params")
    if data.target is not None and data.target < 0:
        raise DomainError(_("The target cannot be negative."), field="target")
    return {"number": number, "sort_key": rules.sort_key(number), "text": data.text.strip(),
            "section": data.section.strip(), "deadline": data.deadline.strip(),
            "due_start": bounds[0] if bounds else None, "due_end": bounds[1] if bounds else None,
            "responsible": data.responsible.strip(), "mark": data.mark, "indicator": data.indicator,
            "params": params, "target": data.target}


def do_create_plan(organisation: Organisation, *, code: str, title: str, kind: str, year: int,
                   actor: Actor) -> Plan:
    require(actor, Perm.MANAGE_ORG, organisation.pk)
    if Plan.objects.filter(organisation=organisation, code=code).exists():
        raise DomainError(_("A plan with the code «%(code)s» already exists.") % {"code": code}, field="code")
    with transaction.atomic():
        return create_object(Plan(organisation=organisation, code=code, title=title, kind=kind, year=year),
                             actor=actor)


def do_delete_plan(plan: Plan, *, actor: Actor) -> dict[str, int]:
    """Delete a plan with its items and their period marks (nothing else refers to a plan); one audit row
    records the plan and how many items and marks went with it."""
    require(actor, Perm.MANAGE_ORG, plan.organisation_id)
    with transaction.atomic():
        gone = {"items": PlanItem.objects.filter(plan=plan).count(),
                "marks": PlanMark.objects.filter(item__plan=plan).count()}
        before = snapshot(plan)
        log_event(actor=actor, event_type=EventType.DELETED, obj=plan, organisation_id=plan.organisation_id,
                  changes={**diff(before, {k: None for k in before}), **{k: [v, 0] for k, v in gone.items()}})
        plan.delete()
    return gone


def do_save_item(plan: Plan, data: ItemData, *, item: PlanItem | None = None, actor: Actor) -> PlanItem:
    """Create an item (``item`` None) or change one; a number already taken in the plan is an error."""
    require(actor, Perm.MANAGE_ORG, plan.organisation_id)
    values = check_item(data, plan.year, known())
    taken = PlanItem.objects.filter(plan=plan, number=values["number"])
    if item is not None:
        taken = taken.exclude(pk=item.pk)
    if taken.exists():
        raise DomainError(_("The item number %(number)s is already in the plan.") % {"number": values["number"]},
                          field="number")
    employee_id, department_id = Responsibles(plan.organisation_id).resolve(values["responsible"])
    values.update(responsible_employee_id=employee_id, responsible_department_id=department_id)
    with transaction.atomic():
        if item is None:
            return create_object(PlanItem(organisation_id=plan.organisation_id, plan=plan, **values), actor=actor)
        return update_object(item, values, actor=actor)


def do_delete_item(item: PlanItem, *, actor: Actor) -> None:
    require(actor, Perm.MANAGE_ORG, item.organisation_id)
    with transaction.atomic():
        delete_object(item, actor=actor)


def do_save_mark(item: PlanItem, start: datetime.date, end: datetime.date, text: str, *,
                 actor: Actor) -> PlanMark | None:
    """The item's execution mark for a period (an empty text removes it); placeholders checked first."""
    require(actor, Perm.MANAGE_ORG, item.organisation_id)
    rules.check_mark(text, known())
    existing = PlanMark.objects.filter(item=item, start=start, end=end).first()
    with transaction.atomic():
        if not text.strip():
            if existing is not None:
                delete_object(existing, actor=actor)
            return None
        if existing is None:
            return create_object(PlanMark(organisation_id=item.organisation_id, item=item, start=start, end=end,
                                          text=text), actor=actor)
        return update_object(existing, {"text": text}, actor=actor)


@dataclass
class PlanData:
    code: str
    title: str
    kind: str
    year: int
    items: list[ItemData] = field(default_factory=list)
    replace_items: bool = True  # False: the plan's own fields only (an import without plan_items)


def check_plans(plans: Iterable[PlanData]) -> list[tuple[str, int, str, str]]:
    """Every problem of plans to write, as (plan code, item index or -1, field, message); nothing is read."""
    problems: list[tuple[str, int, str, str]] = []
    names = known()
    kinds = set(rules.PlanKind.values)
    for plan in plans:
        if plan.kind not in kinds:
            problems.append((plan.code, -1, "kind", _("Unknown kind of plan «%(code)s».") % {"code": plan.kind}))
        numbers: dict[str, int] = {}
        for index, data in enumerate(plan.items):
            try:
                values = check_item(data, plan.year, names)
            except DomainError as exc:
                problems.append((plan.code, index, exc.field or "", exc.message))
                continue
            if values["number"] in numbers:
                problems.append((plan.code, index, "number", _("The item number %(number)s is already in the "
                                                               "plan.") % {"number": values["number"]}))
            numbers.setdefault(values["number"], index)
    return problems


def write_plans(organisation_id: int, plans: Iterable[PlanData], *,
                actor: Actor | None = None) -> dict[str, tuple[int, int]]:
    """The bulk entry point (the import, the demo, the copy of a year): each plan matched by its code is updated
    and its items replaced by those given (matched by number, so their period marks stay). Returns
    {"plans": …, "items": …, "marks": (created, updated)}. Call ``check_plans`` first: this raises a
    DomainError on the first problem, before writing anything."""
    plans = list(plans)
    problems = check_plans(plans)
    if problems:
        raise DomainError(problems[0][3], field=problems[0][2])
    responsibles = Responsibles(organisation_id)
    names = known()
    counts = {"plans": [0, 0], "items": [0, 0], "marks": [0, 0]}
    with transaction.atomic():
        for data in plans:
            plan = Plan.objects.filter(organisation_id=organisation_id, code=data.code).first()
            fields = {"title": data.title, "kind": data.kind, "year": data.year}
            if plan is None:
                plan = Plan.objects.create(organisation_id=organisation_id, code=data.code, **fields)
                counts["plans"][0] += 1
            elif any(getattr(plan, k) != v for k, v in fields.items()):
                Plan.objects.filter(pk=plan.pk).update(**fields)
                counts["plans"][1] += 1
            if not data.replace_items:
                continue
            wanted = {}
            for item in data.items:
                values = check_item(item, data.year, names)
                employee_id, department_id = responsibles.resolve(values["responsible"])
                values.update(responsible_employee_id=employee_id, responsible_department_id=department_id)
                wanted[values["number"]] = values
            existing = {i.number: i for i in PlanItem.objects.filter(plan=plan)}
            PlanItem.objects.filter(plan=plan).exclude(number__in=list(wanted)).delete()
            new_items, changed = [], []
            for number, values in wanted.items():
                old = existing.get(number)
                if old is None:
                    new_items.append(PlanItem(organisation_id=organisation_id, plan=plan, **values))
                elif any(getattr(old, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(old, k, v)
                    changed.append(old)
            PlanItem.objects.bulk_create(new_items)
            if changed:
                PlanItem.objects.bulk_update(changed, list(next(iter(wanted.values()))))
            counts["items"][0] += len(new_items)
            counts["items"][1] += len(changed)
            _write_period_marks(organisation_id, plan, data.items, counts)
            if actor is not None:
                log_event(actor=actor, event_type=EventType.UPDATED, obj=plan, organisation_id=organisation_id,
                          changes={"items": len(wanted)})
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _write_period_marks(organisation_id: int, plan: Plan, items: list[ItemData],
                        counts: dict[str, list[int]]) -> None:
    """The period marks the items carry: added, or changed when their text differs; the others stay."""
    wanted = {(rules.check_number(i.number), start, end): text
              for i in items for (start, end), text in i.period_marks.items()}
    if not wanted:
        return
    ids = dict(PlanItem.objects.filter(plan=plan).values_list("number", "id"))
    have = {(m.item_id, m.start, m.end): m for m in PlanMark.objects.filter(item__plan=plan)}
    new, changed = [], []
    for (number, start, end), text in wanted.items():
        old = have.get((ids[number], start, end))
        if old is None:
            new.append(PlanMark(organisation_id=organisation_id, item_id=ids[number], start=start, end=end,
                                text=text))
        elif old.text != text:
            old.text = text
            changed.append(old)
    PlanMark.objects.bulk_create(new)
    PlanMark.objects.bulk_update(changed, ["text"])
    counts["marks"][0] += len(new)
    counts["marks"][1] += len(changed)


def do_copy_plan(plan: Plan, *, code: str, year: int, actor: Actor) -> Plan:
    """A new year's plan started as a copy of this one: items, sections, responsibles, indicators, targets;
    dated deadlines moved to the new year (29 February → 28th), period codes kept; marks are not copied."""
    require(actor, Perm.MANAGE_ORG, plan.organisation_id)
    if Plan.objects.filter(organisation_id=plan.organisation_id, code=code).exists():
        raise DomainError(_("A plan with the code «%(code)s» already exists.") % {"code": code}, field="code")
    items = []
    for item in plan.items.all():
        deadline = item.deadline
        if item.due_start is not None and item.due_start == item.due_end and deadline and deadline[0].isdigit():
            day = item.due_start
            deadline = (day.replace(year=year) if not (day.month == 2 and day.day == 29)
                        else datetime.date(year, 2, 28)).isoformat()
        items.append(ItemData(number=item.number, text=item.text, section=item.section, deadline=deadline,
                              responsible=item.responsible, indicator=item.indicator, params=item.params,
                              target=item.target))
    write_plans(plan.organisation_id, [PlanData(code, plan.title, plan.kind, year, items)], actor=actor)
    return Plan.objects.get(organisation_id=plan.organisation_id, code=code)
