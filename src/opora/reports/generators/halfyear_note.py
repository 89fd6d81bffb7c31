"""`halfyear_note`: the analytical note of a Ukrainian територіальний центр (seed 002), for any period, with exactly
the tables of EXCHANGE.md Part 2, "The Ukrainian edition" (ids, row keys and fields are a contract):

- `services_by_department`: one row per department with services in the period or the same period a year before
  (key = its code; `ORG:code` over several organisations), then `total`: `current`, `previous`, `change_pct`,
  `people` (distinct people served in the period; the total counts each person once).
- `innovative`: row `all`: `current`, `previous`, `change_pct` (services marked innovative in the catalogue),
  `online` (services delivered remotely: Σ quantity of the journal lines marked online).
- `applications`: row `all`: `received` (applications received in the period), `electronic` (of them, channel
  online), `admitted` (the indicator `admitted`: admissions to service in the period, transfers aside), `refused`
  (applications refused, decided in the period).
- `budget`: `budget_execution`'s table, built by the same function (generators/money.py).

Laid out like the note: a heading, paragraphs quoting the figures, then the tables. Ukrainian by default for an
organisation of the `ua` jurisdiction (when no other language than the installation's default is active).
The journal's monthly aggregates answer for whole months (state_assignment.sources); the online lines are read
through the journal's partial index of online lines. Ten queries or so whatever the size of the journal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.delivery.models import Delivery
from opora.indicators.registry import get_indicator
from opora.intake.models import Application
from opora.lib import formats
from opora.lib.periods import Period, change_pct
from opora.org.models import Department, Organisation
from opora.reports.generators.money import budget_sections
from opora.reports.generators.state_assignment import sources
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section, Text
from opora.reports.registry import ReportGenerator, register

ONLINE = "online"  # the application channel of electronic applications


def note_language(organisations: Sequence[Organisation]) -> str:
    """`uk` for organisations of the Ukrainian jurisdiction when the installation's default language is active (no
    other was chosen); otherwise "" (the active language stays)."""
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if organisations and all(o.jurisdiction == "ua" for o in organisations) and active == settings.LANGUAGE_CODE:
        return "uk"
    return ""


def _pct(current: int, previous: int) -> Decimal | None:
    return change_pct(current, previous)


def services_by_department(organisations: Sequence[Organisation], period: Period,
                           previous: Period) -> ReportTable:
    org_ids = [o.pk for o in organisations]
    consolidated = len(organisations) > 1
    services_now, recipients_now = sources(org_ids, period.start, period.end)
    services_then, _recipients = sources(org_ids, previous.start, previous.end)
    current: dict[int, int] = defaultdict(int)
    before: dict[int, int] = defaultdict(int)
    for target, qs in ((current, services_now), (before, services_then)):
        for r in qs.values("department_id").annotate(q=Sum("quantity")).order_by():
            target[r["department_id"]] += int(r["q"] or 0)
    people = {r["department_id"]: r["n"] for r in recipients_now.values("department_id").annotate(
        n=Count("recipient_id", distinct=True)).order_by()}
    persons = recipients_now.aggregate(n=Count("recipient_id", distinct=True))["n"] or 0
    rows = []
    for d in Department.objects.filter(organisation_id__in=org_ids).select_related("organisation").order_by(
            "organisation__code", "code"):
        if d.pk not in current and d.pk not in before:
            continue
        now, then = current.get(d.pk, 0), before.get(d.pk, 0)
        key = f"{d.organisation.code}:{d.code}" if consolidated else d.code
        rows.append(Row(key, d.name, {"current": now, "previous": then, "change_pct": _pct(now, then),
                                      "people": people.get(d.pk, 0)}))
    now, then = sum(current.values()), sum(before.values())
    rows.append(Row("total", _("Total"), {"current": now, "previous": then, "change_pct": _pct(now, then),
                                          "people": persons}, is_total=True))
    return ReportTable(
        id="services_by_department", title=_("Services by department"), label_heading=_("Department"),
        columns=[Column("current", period.label(), "int"), Column("previous", previous.label(), "int"),
                 Column("change_pct", _("Change, %"), "percent"), Column("people", _("People served"), "int")],
        rows=rows,
        note=_("People: distinct persons served in the period; the total counts each person once."))


def innovative_table(org_ids: list[int], period: Period, previous: Period) -> ReportTable:
    values = []
    for p in (period, previous):
        services, _recipients = sources(org_ids, p.start, p.end)
        values.append(int(services.filter(service__innovative=True).aggregate(q=Sum("quantity"))["q"] or 0))
    online = int(Delivery.objects.filter(organisation_id__in=org_ids, online=True, date__gte=period.start,
                                         date__lte=period.end).aggregate(q=Sum("quantity"))["q"] or 0)
    now, then = values
    return ReportTable(
        id="innovative", title=_("Innovative and online services"), label_heading="",
        columns=[Column("current", _("Innovative services, %(period)s") % {"period": period.label()}, "int"),
                 Column("previous", _("Innovative services, %(period)s") % {"period": previous.label()}, "int"),
                 Column("change_pct", _("Change, %"), "percent"),
                 Column("online", _("Services delivered online"), "int")],
        rows=[Row("all", _("Total"), {"current": now, "previous": then, "change_pct": _pct(now, then),
                                      "online": online}, is_total=True)],
        note=_("Innovative: services marked innovative in the catalogue; online: journal lines marked as delivered "
               "remotely."))


def applications_table(org_ids: list[int], period: Period) -> ReportTable:
    received = Q(received_on__gte=period.start, received_on__lte=period.end)
    counts = Application.objects.filter(organisation_id__in=org_ids).aggregate(
        received=Count("id", filter=received),
        electronic=Count("id", filter=received & Q(channel=ONLINE)),
        refused=Count("id", filter=Q(decided_on__gte=period.start, decided_on__lte=period.end, status="refused")))
    admitted = int(get_indicator("admitted").compute(org_ids, period.start, period.end) or 0)
    return ReportTable(
        id="applications", title=_("Applications and admissions"), label_heading="",
        columns=[Column("received", _("Applications received"), "int"),
                 Column("electronic", _("Of them electronic"), "int"),
                 Column("admitted", _("Admitted"), "int"),
                 Column("refused", _("Refused"), "int")],
        rows=[Row("all", _("Total"), {"received": counts["received"], "electronic": counts["electronic"],
                                      "admitted": admitted, "refused": counts["refused"]}, is_total=True)],
        note=_("Electronic: applications received through the online channel; admitted: admissions to service in "
               "the period, transfers between departments of one kind aside; refused: decided in the period."))


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | Decimal) else 0


def _paragraphs(period: Period, previous: Period, departments: ReportTable, innovative: ReportTable,
                applications: ReportTable, budget: ReportTable | None) -> list[Text]:
    """The note's text: the figures of the tables quoted as seed 002 quotes them — the services by department and
    the people served, then innovative services, online services, applications, the general fund (the last four
    one paragraph each)."""
    n, pct = formats.integer, formats.percent
    label = period.label()
    total = departments.rows[-1].values
    inn = innovative.rows[0].values
    texts = []
    change = Decimal(inn["change_pct"]) if isinstance(inn["change_pct"], int | Decimal) else None
    if change is None:
        texts.append(Text(_("Innovative services in %(period)s: %(current)s (none in the same period a year "
                            "before).") % {"period": label, "current": n(_int(inn["current"]))}))
    else:
        texts.append(Text((_("Innovative services in %(period)s: %(current)s, more than in the same period a year "
                             "before by %(change)s.") if change >= 0 else
                           _("Innovative services in %(period)s: %(current)s, fewer than in the same period a year "
                             "before by %(change)s.")) % {
            "period": label, "current": n(_int(inn["current"])),
            "change": pct(abs(change))}))
    served = [Text(_("Social services delivered by the centre in %(period)s: %(total)s, of them:") % {
        "period": label, "total": n(_int(total["current"]))})]
    served += [Text(_("– %(department)s: %(services)s;") % {"department": r.label,
                                                            "services": n(_int(r.values["current"]))})
               for r in departments.rows if not r.is_total and r.values["current"]]
    served.append(Text(_("People served in all: %(people)s.") % {"people": n(_int(total["people"]))}))
    texts = [*served, texts[0]]
    texts.append(Text(_("Services delivered online in %(period)s: %(online)s.") % {
        "period": label, "online": n(_int(inn["online"]))}))
    apps = applications.rows[0].values
    texts.append(Text(_("Electronic applications for social services received in %(period)s: %(electronic)s "
                        "(applications in all: %(received)s). Admitted to service: %(admitted)s; refused: "
                        "%(refused)s.") % {"period": label, "electronic": n(_int(apps["electronic"])),
                                           "received": n(_int(apps["received"])),
                                           "admitted": n(_int(apps["admitted"])),
                                           "refused": n(_int(apps["refused"]))}))
    general = {r.key: r.values for r in budget.rows}.get("general") if budget is not None else None
    if general is not None:
        texts.append(Text(_("General fund in %(period)s: approved %(approved)s, cash spent %(spent)s, savings "
                            "%(savings)s.") % {
            "period": label, "approved": _uah(general["approved"]), "spent": _uah(general["spent"]),
            "savings": _uah(general["savings"])}))
    else:
        texts.append(Text(_("No budget of the general fund for %(period)s.") % {"period": label}))
    return texts


def _uah(value: object) -> str:
    return _("%(amount)s UAH") % {"amount": formats.money(value if isinstance(value, int | Decimal) else 0)}


class HalfyearNote(ReportGenerator):
    id = "halfyear_note"
    title = gettext_lazy("Analytical note on the work of the centre")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        language = note_language(organisations)
        with translation.override(language or translation.get_language()):
            doc = self._build(organisations, period)
        doc.language = language
        return doc

    def _build(self, organisations: Sequence[Organisation], period: Period) -> ReportDocument:
        previous = period.previous_year()
        org_ids = [o.pk for o in organisations]
        departments = services_by_department(organisations, period, previous)
        innovative = innovative_table(org_ids, period, previous)
        applications = applications_table(org_ids, period)
        budget_blocks = budget_sections(org_ids, period)[0].blocks
        budget = next((b for b in budget_blocks if isinstance(b, ReportTable)), None)
        code, name = self.organisation_fields(organisations)
        texts = _paragraphs(period, previous, departments, innovative, applications, budget)
        return ReportDocument(
            report_id=self.id,
            title=_("Analytical note on the work of the centre for %(period)s") % {"period": period.label()},
            organisation_code=code, organisation_name=name,
            period=self.document_period(period), previous_period=self.document_period(previous),
            sections=[
                Section(_("Social services"), [*texts[:-4], departments]),
                Section(_("Innovative and online services"), [texts[-4], texts[-3], innovative]),
                Section(_("Electronic applications and admissions"), [texts[-2], applications]),
                Section(_("Monitoring of receipts and expenditure"), [texts[-1], *budget_blocks]),
                Section(_("How it is counted"), [Text(_(
                    "A count of services is the sum of the quantities delivered; the previous period is the same "
                    "period a year before; the change is (current − previous) / previous × 100, rounded half-up to "
                    "two places. Money in the organisation's currency with two decimals."))]),
            ],
        )


register(HalfyearNote)
