"""The exchange files `plans` and `plan_items` (EXCHANGE.md "Plans and indicators"): checked with the plans' own
rules (plans.actions.check_item: the number, the deadline in the plan's year, the placeholders of the mark with
their position, the indicator and its parameters), written through the plans' bulk entry point
(plans.actions.write_plans), and exported back.

A plan's items in `plan_items` replace those it holds (matched by number, so re-importing changes nothing);
a plan named only in `plans` keeps its items. `mark` is the item's execution mark. A row with a `period` (a
period code of the plan's year, ``q2``, or ``START..END``) carries instead the item's mark for that period (the
marks written in the editor), for an item given in the same file; such marks are added or changed, never removed,
so export → import round-trips every mark.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.exchange.spec import COLUMNS
from opora.indicators.registry import known
from opora.lib.errors import DomainError
from opora.org.models import Organisation
from opora.plans.actions import ItemData, PlanData, check_plans, write_plans
from opora.plans.models import Plan, PlanItem, PlanMark
from opora.plans.rules import PlanKind, check_mark, format_params, mark_period_bounds, mark_period_text, parse_params

if TYPE_CHECKING:
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator

PLANS_HEADER = ["code", "title", "kind", "year"]
ITEMS_HEADER = ["plan_code", "number", "section", "text", "deadline", "responsible", "mark", "indicator", "params",
                "target", "period"]


def validate(v: Validator) -> None:
    """Check the two files; the plans to write go to ``v.plan.plans`` (a list of PlanData)."""
    if "plans" not in v.tables and "plan_items" not in v.tables:
        return
    existing = {}
    if v.existing.organisation_id is not None:
        existing = {p.code: p for p in Plan.objects.filter(organisation_id=v.existing.organisation_id)}
    file = v.plan.files.get("plans", "")
    plans: dict[str, PlanData] = {}
    first: dict[str, int] = {}
    kinds = set(PlanKind.values)
    for line, row in v.rows("plans"):
        ok = v._required(file, line, row, COLUMNS["plans"][0])
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of plan «%(code)s»."))
        year = None
        if row["year"]:
            try:
                year = v.integer(row["year"])
            except ValueError as exc:  # the validator's BadValue (validate.py imports this module)
                v.problems.add(file, line, "year", str(exc))
            if year is not None and not 1990 <= year <= v.today.year + 1:
                v.problems.add(file, line, "year", _("The year %(year)s is out of range.") % {"year": year})
                year = None
        if row["code"] in first:
            v._duplicate(file, line, "code", row["code"], first[row["code"]])
            continue
        first[row["code"]] = line
        if ok and year is not None:
            plans[row["code"]] = PlanData(row["code"], row["title"], row["kind"], year, replace_items=False)
    file = v.plan.files.get("plan_items", "")
    numbers: dict[tuple[str, str], int] = {}
    lines: dict[tuple[str, int], int] = {}
    pending: dict[tuple[str, str], list[tuple[int, datetime.date, datetime.date, str]]] = {}
    for line, row in v.rows("plan_items"):
        # a row with a period names its item by plan_code and number; its section and text may be left empty
        if not v._required(file, line, row, ("plan_code", "number") if row["period"] else COLUMNS["plan_items"][0]):
            continue
        code = row["plan_code"]
        plan = plans.get(code)
        if plan is None and code in existing and code not in first:
            old = existing[code]
            plan = plans[code] = PlanData(code, old.title, old.kind, old.year, replace_items=False)
        if plan is None:
            if code not in first:
                v.problems.add(file, line, "plan_code", _("Unknown plan «%(code)s».") % {"code": code})
            continue
        key = (code, row["number"].rstrip("."))
        if row["period"]:
            _period_row(v, file, line, row, plan, pending)
            continue
        if key in numbers:
            v.problems.add(file, line, "number", _("The item number %(number)s is already in the plan (line "
                                                   "%(line)s).") % {"number": key[1], "line": numbers[key]})
            continue
        numbers[key] = line
        try:
            params = parse_params(row["params"])
        except DomainError as exc:
            v.problems.add(file, line, "params", exc.message)
            continue
        target = None
        if row["target"]:
            try:
                target = v.money(row["target"])
            except ValueError as exc:  # the validator's BadValue (validate.py imports this module)
                v.problems.add(file, line, "target", str(exc))
                continue
        plan.replace_items = True
        lines[(code, len(plan.items))] = line
        plan.items.append(ItemData(number=row["number"], text=row["text"], section=row["section"],
                                   deadline=row["deadline"], responsible=row["responsible"], mark=row["mark"],
                                   indicator=row["indicator"], params=params, target=target))
    for (code, number), marks in pending.items():
        item = next((i for i in plans[code].items if i.number.rstrip(".") == number), None)
        for line, start, end, text in marks:
            if item is None:
                v.problems.add(file, line, "number", _("The plan «%(code)s» has no item %(number)s in this file.")
                               % {"code": code, "number": number})
            elif (start, end) in item.period_marks:
                v.problems.add(file, line, "period", _("The mark of this period is already given."))
            else:
                item.period_marks[(start, end)] = text
    for code, index, column, message in check_plans(plans.values()):
        if index < 0:
            v.problems.add(v.plan.files.get("plans", ""), first.get(code, 0), column, message)
        else:
            v.problems.add(file, lines[(code, index)], column or "?", message)
    v.plan.plans = list(plans.values())


def _period_row(v: Validator, file: str, line: int, row: dict[str, str], plan: PlanData,
                pending: dict[tuple[str, str], list[tuple[int, datetime.date, datetime.date, str]]]) -> None:
    """A row with a `period`: the mark of one item for that period, checked like the editor checks it."""
    try:
        start, end = mark_period_bounds(row["period"], plan.year)
    except DomainError as exc:
        v.problems.add(file, line, "period", exc.message)
        return
    if not row["mark"]:
        v.problems.add(file, line, "mark", _("A row with a period needs the mark of that period."))
        return
    try:
        check_mark(row["mark"], known())
    except DomainError as exc:
        v.problems.add(file, line, "mark", exc.message)
        return
    pending.setdefault((plan.code, row["number"].rstrip(".")), []).append((line, start, end, row["mark"]))


def load(loader: Loader) -> None:
    plans: list[PlanData] = getattr(loader.plan, "plans", [])
    if not plans:
        return
    counts = write_plans(loader.org.pk, plans)
    for name, key in (("plans", "plans"), ("plan_items", "items")):
        if name in loader.plan.files:  # as load._count does (load.py imports this module)
            entry = loader.counts.setdefault(loader.file(name), {"created": 0, "updated": 0})
            entry["created"] += counts[key][0] + (counts["marks"][0] if name == "plan_items" else 0)
            entry["updated"] += counts[key][1] + (counts["marks"][1] if name == "plan_items" else 0)


def export(writer: Any, org: Organisation) -> dict[str, int]:
    """The two files, written only when the organisation holds plans."""
    if not Plan.objects.filter(organisation=org).exists():
        return {}
    return {"plans": writer.write("plans", plan_rows(org)), "plan_items": writer.write("plan_items", item_rows(org))}


def plan_rows(org: Organisation) -> Iterator[list[Any]]:
    for p in Plan.objects.filter(organisation=org).order_by("code"):
        yield [p.code, p.title, p.kind, p.year]


def item_rows(org: Organisation) -> Iterator[list[Any]]:
    """Each item, then a row per mark written for one of its periods (the `period` column set)."""
    marks: dict[int, list[PlanMark]] = {}
    for m in PlanMark.objects.filter(organisation=org).order_by("start", "end"):
        marks.setdefault(m.item_id, []).append(m)
    for i in PlanItem.objects.filter(organisation=org).select_related("plan").order_by("plan__code", "sort_key"):
        yield [i.plan.code, i.number, i.section, i.text, i.deadline, i.responsible, i.mark, i.indicator,
               format_params(i.params), "" if i.target is None else f"{i.target:.2f}", ""]
        for m in marks.get(i.pk, []):
            yield [i.plan.code, i.number, i.section, i.text, "", "", m.text, "", "", "",
                   mark_period_text(i.plan.year, m.start, m.end)]
