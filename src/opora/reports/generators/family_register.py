"""`family_register`: the families on the social register (EXCHANGE.md Part 2, "Families and their register").

Table `family_register`: row `all` with `start` (on the register the day before the period), `registered`,
`deregistered` (dates within the period), `end` (on the register on its last day) and `children_end`; one row
per family category with `families_end`, `children_end`. Counted by fieldwork.rules.register_figures from one
query of the families (and one of their categories); no personal data leaves it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.fieldwork import queries, rules
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.people.models import Category
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section, Text
from opora.reports.registry import ReportGenerator, register


def category_labels(codes: set[str]) -> list[tuple[str, str]]:
    """(code, label) of the categories, in the reference order (sort, code); unknown codes last."""
    known = [(c.code, c.label) for c in Category.objects.filter(code__in=codes)]
    return known + sorted((c, c) for c in codes - {code for code, _label in known})


def register_table(figures: rules.RegisterFigures) -> ReportTable:
    rows = [Row("all", _("All families"), {
        "start": figures.start, "registered": figures.registered, "deregistered": figures.deregistered,
        "end": figures.end, "children_end": figures.children_end})]  # EXCHANGE.md's fields: no families_end
    for code, label in category_labels(set(figures.by_category)):
        families, children = figures.by_category[code]
        rows.append(Row(code, label, {"families_end": families, "children_end": children}))
    return ReportTable(
        id="family_register", title=_("Families on the social register"), label_heading=_("Families"),
        columns=[Column("start", _("At the start")), Column("registered", _("Registered")),
                 Column("deregistered", _("Removed")), Column("end", _("At the end")),
                 Column("families_end", _("Families at the end")), Column("children_end", _("Children at the end"))],
        rows=rows,
        note=_("A family counts in each of its categories, so the category rows may add up to more than all."))


def register_section(organisation_ids: Sequence[int], period: Period) -> Section | None:
    """The section of the register, or None when no family touches the register in the period (annual)."""
    families = queries.register_families(organisation_ids, period.start, period.end)
    if not families:
        return None
    figures = rules.register_figures(families, period.start, period.end)
    return Section(_("Families on the social register"), [register_table(figures), Text(_(
        "A family is on the register on a date when it was registered on or before that date and not removed on "
        "or before it; the start is the register on the day before the period."))])


class FamilyRegister(ReportGenerator):
    id = "family_register"
    title = gettext_lazy("Families on the social register")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        org_ids = [o.pk for o in organisations]
        families = queries.register_families(org_ids, period.start, period.end)
        figures = rules.register_figures(families, period.start, period.end)
        code, name = self.organisation_fields(organisations)
        return ReportDocument(
            report_id=self.id, title=str(self.title), organisation_code=code, organisation_name=name,
            period=self.document_period(period),
            sections=[Section(_("Families on the social register"), [register_table(figures)])],
            notes=[_("A family is on the register on a date when it was registered on or before that date and not "
                     "removed on or before it; the start is the register on the day before the period.")])


register(FamilyRegister)
