"""`quality`: surveys and the independent assessment (344н), complaints and appeals, staff development and
publications of a period (EXCHANGE.md Part 2, "Quality and staff development"; RULES.md for K1–K5 and S).

Tables (ids, row keys and fields are the contract): `surveys` (one row per survey with responses in the period),
`complaints` (row `all`), `staff_training` (row `all`), `publications` (one row per kind), `quality_checks` (one
row per department, then `all`). The annual analysis
adds the same sections when the year has such records (`quality_sections`, one call in annual.py); a section
with no records is left out there, while this report shows every table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.lib.periods import Period
from opora.org.models import Department, Organisation
from opora.quality import queries
from opora.quality.models import PublicationKind, SurveyKind
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section, Text
from opora.reports.registry import ReportGenerator, register

NOK_FIELDS = ("k1", "k2", "k3", "k4", "k5", "s")


def surveys_table(ids: list[int], period: Period) -> ReportTable:
    """One row per survey (key = its code; in a consolidated report `ORG:CODE`, as two centres may share a code)."""
    rows = []
    codes = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "code")) if len(ids) > 1 else {}
    for s in queries.survey_figures(ids, period.start, period.end):
        values = {"respondents": s["respondents"], "satisfied_pct": s["satisfied_pct"],
                  "recommend_pct": s["recommend_pct"]}
        values.update({f: s.get(f) for f in NOK_FIELDS})
        key = f'{codes[s["organisation_id"]]}:{s["code"]}' if codes else s["code"]
        rows.append(Row(key, s["name"], values))
    return ReportTable(
        id="surveys", title=_("Surveys of recipients"), label_heading=_("Survey"),
        columns=[Column("respondents", _("Respondents")), Column("satisfied_pct", _("Satisfied, %"), "percent"),
                 Column("recommend_pct", _("Would recommend, %"), "percent"),
                 Column("k1", _("K1 openness"), "decimal"), Column("k2", _("K2 comfort"), "decimal"),
                 Column("k3", _("K3 accessibility"), "decimal"), Column("k4", _("K4 courtesy"), "decimal"),
                 Column("k5", _("K5 satisfaction"), "decimal"), Column("s", _("S total"), "decimal")],
        rows=rows,
        note=_("Each share is the share of positive answers among those who answered the question × 100; the "
               "criteria K1–K5 and the total S of order 344н are computed unrounded and rounded half-up to two "
               "places only when shown. K2 takes 0.5/0.5 when nobody answered the question about waiting."))


def complaints_table(ids: list[int], period: Period) -> ReportTable:
    c = queries.complaint_figures(ids, period.start, period.end)
    return ReportTable(
        id="complaints", title=_("Complaints, appeals, reviews"), label_heading="",
        columns=[Column("complaints", _("Complaints")), Column("justified", _("of them justified")),
                 Column("appeals", _("Appeals")), Column("reviews", _("Reviews")),
                 Column("gratitudes", _("Gratitudes")), Column("recipients", _("Recipients served")),
                 Column("per_100", _("Complaints per 100 recipients"), "decimal"),
                 Column("late", _("Answered late"))],
        rows=[Row("all", _("Centre"), {k: c[k] for k in ("complaints", "justified", "appeals", "reviews",
                                                         "gratitudes", "recipients", "per_100", "late")})],
        note=_("Late: complaints and appeals received in the period and answered more than 30 days after receipt, "
               "or still unanswered more than 30 days after receipt at the period's end."))


def staff_training_table(ids: list[int], period: Period) -> ReportTable:
    t = queries.training_figures(ids, period.start, period.end)
    return ReportTable(
        id="staff_training", title=_("Staff development"), label_heading="",
        columns=[Column("trained", _("Improved their qualification")),
                 Column("in_higher_education", _("Studying at university")),
                 Column("attested", _("Attested")), Column("awarded", _("Awarded")),
                 Column("hours", _("Hours of training"), "decimal")],
        rows=[Row("all", _("Centre"), dict(t))],
        note=_("Improved their qualification: distinct workers with a course or retraining ending in the period; "
               "studying: a higher education record spanning the period's last day."))


def publications_table(ids: list[int], period: Period) -> ReportTable:
    figures = queries.publication_figures(ids, period.start, period.end)
    rows = [Row(code, str(label), {"count": figures[code]["count"], "views": figures[code]["views"]})
            for code, label in PublicationKind.choices if code in figures]
    return ReportTable(
        id="publications", title=_("Publications and information"), label_heading=_("Where"),
        columns=[Column("count", _("Publications")), Column("views", _("Views"))], rows=rows)


def quality_checks_table(ids: list[int], period: Period) -> ReportTable:
    """One row per department with a check planned or done in the period (key = its code; `ORG:CODE` in a
    consolidated report), then `all`."""
    several = len(ids) > 1
    figures = queries.quality_check_figures(ids, period.start, period.end, by_organisation=several)
    names = {(f"{org}:{code}" if several else code): name for org, code, name in Department.objects.filter(
        organisation_id__in=ids).values_list("organisation__code", "code", "name")}
    rows = [Row(key, names.get(key, key) if key != "all" else _("Centre"), dict(values))
            for key, values in figures.items()]
    return ReportTable(
        id="quality_checks", title=_("Internal quality checks"), label_heading=_("Department"),
        columns=[Column("planned", _("Planned")), Column("done", _("Done")),
                 Column("with_findings", _("of them with findings"))],
        rows=rows,
        note=_("Planned: checks planned for a day of the period; done: checks done in the period, of them those "
               "whose findings are recorded."))


def quality_sections(organisations: Sequence[Organisation], period: Period, *,
                     only_with_records: bool) -> list[Section]:
    """The sections of the report; with `only_with_records` (the annual analysis) those without records are
    left out."""
    ids = [o.pk for o in organisations]
    present = queries.has_records(ids, period.start, period.end) if only_with_records else None
    sections = []
    for key, title, build in (
            ("surveys", _("Surveys and the independent quality assessment"), surveys_table),
            ("complaints", _("Complaints and appeals"), complaints_table),
            ("staff_training", _("Staff development"), staff_training_table),
            ("publications", _("Publications and information"), publications_table),
            ("quality_checks", _("Internal quality checks"), quality_checks_table)):
        if present is None or present[key]:
            sections.append(Section(title=title, blocks=[build(ids, period)]))
    return sections


class QualityReport(ReportGenerator):
    id = "quality"
    title = gettext_lazy("Quality of services and staff development")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        code, name = self.organisation_fields(organisations)
        sections = quality_sections(organisations, period, only_with_records=False)
        sections.append(Section(_("How it is counted"), [Text(_(
            "Complaints per 100 recipients: complaints received in the period / distinct people served in the "
            "period × 100. A survey of the kind «%(nok)s» also shows the criteria of order 344н.")
            % {"nok": SurveyKind.NOK.label})]))
        return ReportDocument(report_id=self.id, title=str(self.title), organisation_code=code,
                              organisation_name=name, period=self.document_period(period), sections=sections)


register(QualityReport)
