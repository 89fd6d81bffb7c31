"""`field_work`: visits, fire safety and release notices (EXCHANGE.md Part 2, "Field work and special registers").

- `visits`: one row per kind of visit: `visits`, `households` (distinct families and persons, a person of a family
  counted as the family), `people` (Σ people met).
- `fire_safety`: row `all`: `households_visited` (with a fire_safety visit), `households_equipped` and `detectors`
  (from fieldwork.queries.equipped_households: aid of kind fire_detector); one row per category of the equipped
  households: `households`.
- `release_notices`: row `all`: `notices` (received in the period), `arrived`, `not_arrived`, `moved`, `pending`,
  `registered` (linked to a person).

The annual report adds the same tables (:func:`field_work_sections`) when the year has such records.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.fieldwork import queries, rules
from opora.fieldwork.rules import NoticeOutcome, VisitKind
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.reports.generators.family_register import category_labels, register_section
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section
from opora.reports.registry import ReportGenerator, register


def visits_table(figures: dict[str, dict[str, int]]) -> ReportTable:
    rows = [Row(kind, str(label), dict(figures[kind])) for kind, label in VisitKind.choices if kind in figures]
    return ReportTable(
        id="visits", title=_("Visits"), label_heading=_("Kind of visit"),
        columns=[Column("visits", _("Visits")), Column("households", _("Households")),
                 Column("people", _("People met"))],
        rows=rows, note=_("A person who belongs to a family is counted as that family's household."))


def fire_safety_table(all_row: dict[str, int], by_category: dict[str, int]) -> ReportTable:
    rows = [Row("all", _("All households"), dict(all_row))]
    rows += [Row(code, label, {"households": by_category[code]}) for code, label in category_labels(set(by_category))]
    return ReportTable(
        id="fire_safety", title=_("Fire safety"), label_heading=_("Households"),
        columns=[Column("households_visited", _("Households visited")),
                 Column("households_equipped", _("Households equipped with detectors")),
                 Column("detectors", _("Detectors installed")), Column("households", _("Equipped households"))],
        rows=rows, note=_("A household counts in each of its categories."))


def notices_table(row: dict[str, int]) -> ReportTable:
    return ReportTable(
        id="release_notices", title=_("Notices of release from the penal system"), label_heading=_("Notices"),
        columns=[Column("notices", _("Notices received")), Column("arrived", str(NoticeOutcome.ARRIVED.label)),
                 Column("not_arrived", str(NoticeOutcome.NOT_ARRIVED.label)),
                 Column("moved", str(NoticeOutcome.MOVED.label)), Column("pending", str(NoticeOutcome.PENDING.label)),
                 Column("registered", _("Registered with the centre"))],
        rows=[Row("all", _("All notices"), dict(row))])


def field_work_tables(organisation_ids: Sequence[int], period: Period, *, skip_empty: bool) -> list[ReportTable]:
    """The three tables (a fixed number of queries); with ``skip_empty`` a table without records is left out."""
    start, end = period.start, period.end
    facts = queries.visit_facts(organisation_ids, start, end)
    visited = {f.household for f in facts if f.kind == VisitKind.FIRE_SAFETY and f.household is not None}
    equipped, detectors = queries.equipped_households(organisation_ids, start, end)
    categories = queries.household_categories(equipped)
    fire_all, fire_categories = rules.fire_safety_figures(visited, equipped, detectors, categories)
    notices = rules.notice_figures(queries.notice_facts(organisation_ids, start, end))
    tables = []
    if facts or not skip_empty:
        tables.append(visits_table(rules.visit_figures(facts)))
    if visited or equipped or not skip_empty:
        tables.append(fire_safety_table(fire_all, fire_categories))
    if notices["notices"] or not skip_empty:
        tables.append(notices_table(notices))
    return tables


def field_work_sections(organisation_ids: Sequence[int], period: Period) -> list[Section]:
    """The annual report's sections of the register and the field work: only those with records in the period."""
    from_register = register_section(organisation_ids, period)
    tables = field_work_tables(organisation_ids, period, skip_empty=True)
    sections = [from_register] if from_register is not None else []
    if tables:
        sections.append(Section(_("Field work"), list(tables)))
    return sections


class FieldWork(ReportGenerator):
    id = "field_work"
    title = gettext_lazy("Field work")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        code, name = self.organisation_fields(organisations)
        tables = field_work_tables([o.pk for o in organisations], period, skip_empty=False)
        return ReportDocument(
            report_id=self.id, title=str(self.title), organisation_code=code, organisation_name=name,
            period=self.document_period(period), sections=[Section(_("Field work"), list(tables))],
            notes=[_("Households are families and persons, each counted once: a person who belongs to a family "
                     "is counted as that family.")])


register(FieldWork)
