"""`plan_execution` (``--plan CODE``): a plan's items with their execution marks for the period (seeds 001, 003,
004), the document a director signs.

Table ``items`` (EXCHANGE.md "Plans and indicators"): one row per item, key = its number; ``mark`` (the rendered
text: each ``{{ indicator key=value }}`` replaced by the indicator's value for the period, formatted for the
language), and for items with an indicator ``value``, ``target``, ``pct`` = value / target × 100 (half-up, two
places). The item's ``section``, ``text``, ``deadline`` and ``responsible`` are shown too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.indicators.registry import get_indicator
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.plans.queries import execution, get_plan_by_code_for
from opora.plans.rules import deadline_label
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section, Text
from opora.reports.registry import ReportGenerator, register


class PlanExecution(ReportGenerator):
    id = "plan_execution"
    title = gettext_lazy("Execution of a plan")
    consolidated = False
    options = ("plan",)

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor,
              options: Mapping[str, str] | None = None) -> ReportDocument:
        org = organisations[0]
        plan = get_plan_by_code_for(actor, org.pk, (options or {}).get("plan", ""))
        rows = []
        for ex in execution(plan, period.start, period.end):
            item = ex.item
            target: int | Decimal | None = item.target
            if (item.target is not None and item.indicator and get_indicator(item.indicator).unit == "int"
                    and item.target == item.target.to_integral_value()):
                target = int(item.target)
            rows.append(Row(item.number, item.number, {
                "section": item.section, "text": item.text, "deadline": deadline_label(item.deadline, plan.year),
                "responsible": item.responsible, "mark": ex.mark,
                "value": ex.value if item.indicator else None,
                "target": target if item.indicator else None,
                "pct": ex.pct if item.indicator else None,
            }))
        table = ReportTable(
            id="items", title=_("Execution of the plan"), label_heading=_("No."),
            columns=[Column("section", _("Section"), "text"), Column("text", _("Measure"), "text"),
                     Column("deadline", _("Deadline"), "text"), Column("responsible", _("Responsible"), "text"),
                     Column("mark", _("Execution mark"), "text"), Column("value", _("Value"), "decimal"),
                     Column("target", _("Target"), "decimal"), Column("pct", _("Achieved, %"), "percent")],
            rows=rows,
            note=_("Figures in the marks are computed from the record for the period; the percentage achieved is "
                   "value / target × 100, rounded half-up."))
        return ReportDocument(
            report_id=self.id, title=f"{plan.title} ({plan.get_kind_display()}, {plan.year})",
            organisation_code=org.code, organisation_name=org.name, period=self.document_period(period),
            sections=[Section(_("Execution of the plan"), [table]),
                      Section("", [Text(_("Director") + " ____________________ / ____________________ /")])])


register(PlanExecution)
