"""Every read of quality that depends on who asks (scoped to the actor), and the figures of a period that the
report `quality`, the annual analysis and the indicators (issue 16) share.

Scope: complaints, surveys and their responses are read with view_casework (a department head or a social worker
only those of their departments, plus the organisation-wide ones without a department for surveys);
staff development with view_staff; publications with view_dashboard."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.scoping import NOTHING, any_of
from opora.delivery.models import Delivery, RecipientMonth, RecipientYear
from opora.lib.dates import month_end, month_start, whole_calendar_year
from opora.org.models import Organisation
from opora.quality import rules
from opora.quality.models import (
    Complaint,
    ComplaintKind,
    Publication,
    QualityCheck,
    Survey,
    SurveyKind,
    SurveyResponse,
    Training,
)


def _scope(actor: Actor, perm: str, *, department_field: str | None = "department_id",
           allow_without_department: bool = False) -> Q:
    parts = []
    for g in actor.grants_with(perm):
        if g.department_ids and department_field:
            q = Q(organisation_id=g.organisation_id, **{f"{department_field}__in": sorted(g.department_ids)})
            if allow_without_department:
                q |= Q(organisation_id=g.organisation_id, **{f"{department_field}__isnull": True})
            parts.append(q)
        else:
            parts.append(Q(organisation_id=g.organisation_id))
    return any_of(parts) if parts else NOTHING


def surveys_for(actor: Actor) -> QuerySet[Survey]:
    orgs = sorted({g.organisation_id for g in actor.grants_with(Perm.VIEW_CASEWORK)})
    return Survey.objects.filter(organisation_id__in=orgs)


def get_survey_for(actor: Actor, pk: int) -> Survey:
    return get_object_or_404(surveys_for(actor), pk=pk)


def responses_for(actor: Actor) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(_scope(actor, Perm.VIEW_CASEWORK, allow_without_department=True))


def complaints_for(actor: Actor) -> QuerySet[Complaint]:
    return Complaint.objects.filter(_scope(actor, Perm.VIEW_CASEWORK, allow_without_department=False)) \
        .select_related("department", "recipient")


def get_complaint_for(actor: Actor, pk: int) -> Complaint:
    return get_object_or_404(complaints_for(actor), pk=pk)


def trainings_for(actor: Actor) -> QuerySet[Training]:
    return Training.objects.filter(_scope(actor, Perm.VIEW_STAFF, department_field=None)).select_related("employee")


def get_training_for(actor: Actor, pk: int) -> Training:
    return get_object_or_404(trainings_for(actor), pk=pk)


def publications_for(actor: Actor) -> QuerySet[Publication]:
    return Publication.objects.filter(_scope(actor, Perm.VIEW_DASHBOARD, department_field=None))


def get_publication_for(actor: Actor, pk: int) -> Publication:
    return get_object_or_404(publications_for(actor), pk=pk)


def quality_checks_for(actor: Actor) -> QuerySet[QualityCheck]:
    """Internal quality checks: with view_casework (a department head: those of their departments)."""
    return QualityCheck.objects.filter(_scope(actor, Perm.VIEW_CASEWORK)).select_related("department")


def get_quality_check_for(actor: Actor, pk: int) -> QualityCheck:
    return get_object_or_404(quality_checks_for(actor), pk=pk)


def _checks_touching(organisation_ids: Sequence[int], start: datetime.date,
                     end: datetime.date) -> QuerySet[QualityCheck]:
    return QualityCheck.objects.filter(organisation_id__in=list(organisation_ids)).filter(
        Q(planned_on__gte=start, planned_on__lte=end) | Q(done_on__gte=start, done_on__lte=end))


def quality_check_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                          *, by_organisation: bool = False) -> dict[str, dict[str, int]]:
    """Table `quality_checks` (rules.quality_check_rows): rows by department code (`ORG:CODE` with
    `by_organisation`, as two centres may share a code), then `all`."""
    records = []
    for org, dept, planned, done, findings in _checks_touching(organisation_ids, start, end).values_list(
            "organisation__code", "department__code", "planned_on", "done_on", "findings"):
        key = f"{org}:{dept}" if by_organisation else dept
        records.append(rules.CheckRecord(key, planned, done, findings))
    return rules.quality_check_rows(records, start, end)


def quality_checks(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date, *,
                   state: str = "done", department: str | None = None) -> int:
    """The indicator: checks done (`state`: done, planned or with_findings) in the period — the figure of the
    table `quality_checks`, of one department's row when asked."""
    rows = quality_check_figures(organisation_ids, start, end)
    return rows.get(department or "all", {}).get(state, 0)


def overdue_complaints(actor: Actor, organisation_id: int, today: datetime.date) -> list[Complaint]:
    """Complaints and appeals of the organisation without an answer whose 30 days have passed or end within
    five days (for the dashboard)."""
    soon = today - datetime.timedelta(days=rules.ANSWER_DAYS - 5)
    found = list(complaints_for(actor).filter(
        organisation_id=organisation_id, answered_on__isnull=True, received_on__lte=soon,
        kind__in=[ComplaintKind.COMPLAINT, ComplaintKind.APPEAL]).order_by("received_on")[:20])
    for c in found:
        c.overdue = rules.is_late(c.received_on, None, today)  # type: ignore[attr-defined]
    return found


# ---- the figures of a period (organisations already checked by the caller: reports carry aggregates) -------------
def _tallies(responses: QuerySet[SurveyResponse]) -> dict[int, tuple[int, dict[str, rules.Tally]]]:
    """Per survey: (respondents, tallies per question), with one grouped query."""
    aggregates: dict[str, Any] = {"n": Count("id")}
    for q in rules.QUESTIONS:
        aggregates[f"{q}__yes"] = Count("id", filter=Q(**{q: True}))
        aggregates[f"{q}__answered"] = Count("id", filter=Q(**{f"{q}__isnull": False}))
    out = {}
    for row in responses.values("survey_id").annotate(**aggregates).order_by():
        out[row["survey_id"]] = (row["n"], {q: rules.Tally(row[f"{q}__yes"], row[f"{q}__answered"])
                                            for q in rules.QUESTIONS})
    return out


def survey_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                   survey: str | None = None) -> list[dict[str, Any]]:
    """One entry per survey with responses in the period: code, name, kind, respondents, satisfied_pct,
    recommend_pct and, for an assessment (nok), k1…k5 and s (unrounded Decimals; None when not computable)."""
    responses = SurveyResponse.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    if survey:
        responses = responses.filter(survey__code=survey)
    tallies = _tallies(responses)
    surveys = Survey.objects.filter(pk__in=list(tallies)).select_related("facts").order_by("code", "organisation_id")
    result = []
    for s in surveys:
        n, t = tallies[s.pk]
        entry: dict[str, Any] = {
            "code": s.code, "organisation_id": s.organisation_id, "name": s.name, "kind": s.kind, "respondents": n,
            "satisfied_pct": rules.to_decimal(rules.share(t["overall_satisfied"])),
            "recommend_pct": rules.to_decimal(rules.share(t["recommend"])),
        }
        if s.kind == SurveyKind.NOK:
            facts = getattr(s, "facts", None)
            if facts is not None:
                entry.update(rules.nok_scores(t, {f: getattr(facts, f) for f in rules.FACTS}))
            else:
                entry.update(dict.fromkeys(("k1", "k2", "k3", "k4", "k5", "s")))
        result.append(entry)
    return result


def persons_served(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> int:
    """Distinct people with a service delivered in the period (as totals.persons_distinct): from the journal's
    yearly aggregate (delivery.RecipientYear) for a calendar year, its monthly one (RecipientMonth) for other whole
    months (both kept equal to a recount), else from the journal."""
    rows: QuerySet[RecipientYear] | QuerySet[RecipientMonth] | QuerySet[Delivery]
    year = whole_calendar_year(start, end)
    if year is not None:
        rows = RecipientYear.objects.filter(organisation_id__in=organisation_ids, year=year)
    elif start == month_start(start) and end == month_end(end):
        rows = RecipientMonth.objects.filter(organisation_id__in=organisation_ids, month__gte=start, month__lte=end)
    else:
        rows = Delivery.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return int(rows.aggregate(n=Count("recipient_id", distinct=True))["n"])


def complaint_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The `complaints` row of the report: counts by kind received in the period, justified complaints, the
    people served, complaints per 100 of them, and late answers (complaints and appeals)."""
    rows = Complaint.objects.filter(organisation_id__in=organisation_ids, received_on__gte=start,
                                    received_on__lte=end)
    counts = rows.aggregate(
        complaints=Count("id", filter=Q(kind=ComplaintKind.COMPLAINT)),
        justified=Count("id", filter=Q(kind=ComplaintKind.COMPLAINT, justified=True)),
        appeals=Count("id", filter=Q(kind=ComplaintKind.APPEAL)),
        reviews=Count("id", filter=Q(kind=ComplaintKind.REVIEW)),
        gratitudes=Count("id", filter=Q(kind=ComplaintKind.GRATITUDE)),
    )
    late = sum(1 for received, answered in rows.filter(
        kind__in=[ComplaintKind.COMPLAINT, ComplaintKind.APPEAL]).values_list("received_on", "answered_on")
        if rules.is_late(received, answered, end))
    recipients = persons_served(organisation_ids, start, end)
    return {**counts, "recipients": recipients, "per_100": rules.per_100(counts["complaints"], recipients),
            "late": late}


def training_figures(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, Any]:
    records = [rules.TrainingRecord(worker=e, kind=k, start=s, end=f, hours=h)
               for e, k, s, f, h in Training.objects.filter(organisation_id__in=organisation_ids, start__lte=end)
               .filter(Q(end__isnull=True) | Q(end__gte=start) | Q(kind="higher_education"))
               .values_list("employee_id", "kind", "start", "end", "hours")]
    return rules.training_counts(records, start, end)


def publication_figures(organisation_ids: Sequence[int], start: datetime.date,
                        end: datetime.date) -> dict[str, dict[str, int]]:
    """Per kind of publication dated in the period: count and Σ views."""
    return {r["kind"]: {"count": r["n"], "views": r["v"]}
            for r in Publication.objects.filter(organisation_id__in=organisation_ids, date__gte=start,
                                                date__lte=end)
            .values("kind").annotate(n=Count("id"), v=Sum("views", default=0)).order_by()}


def has_records(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> dict[str, bool]:
    """Which sections of the report have records in the period (the annual analysis leaves the others out), in
    one query (five EXISTS), so that the annual analysis keeps its fixed number of queries."""
    ids = list(organisation_ids)
    checks = {
        "surveys": SurveyResponse.objects.filter(organisation_id__in=ids, date__gte=start, date__lte=end),
        "complaints": Complaint.objects.filter(organisation_id__in=ids, received_on__gte=start, received_on__lte=end),
        "staff_training": Training.objects.filter(organisation_id__in=ids, start__lte=end).filter(
            Q(end__isnull=True, start__gte=start) | Q(end__gte=start)
            | Q(kind="higher_education", end__isnull=True)),  # studies still in progress
        "publications": Publication.objects.filter(organisation_id__in=ids, date__gte=start, date__lte=end),
        "quality_checks": _checks_touching(ids, start, end),
    }
    row = Organisation.objects.filter(pk__in=ids[:1]).annotate(
        **{f"has_{k}": Exists(qs) for k, qs in checks.items()}).values(*(f"has_{k}" for k in checks)).first()
    return {k: bool(row and row[f"has_{k}"]) for k in checks}


# ---- small figures for the indicators registry (issue 16) ----------------------------------------------------------
def complaints(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> int:
    return int(complaint_figures(organisation_ids, start, end)["complaints"])


def respondents(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                survey: str | None = None) -> int:
    return sum(s["respondents"] for s in survey_figures(organisation_ids, start, end, survey))


def satisfied_pct(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                  survey: str | None = None) -> Decimal | None:
    """The share satisfied overall across the responses of the period (of one survey, or of all)."""
    responses = SurveyResponse.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    if survey:
        responses = responses.filter(survey__code=survey)
    t = responses.aggregate(yes=Count("id", filter=Q(overall_satisfied=True)),
                            answered=Count("id", filter=Q(overall_satisfied__isnull=False)))
    return rules.to_decimal(rules.share(rules.Tally(t["yes"], t["answered"])))


def publications(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                 kind: str | None = None) -> int:
    figures = publication_figures(organisation_ids, start, end)
    return sum(v["count"] for k, v in figures.items() if kind in (None, k))


def trained(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> int:
    return int(training_figures(organisation_ids, start, end)["trained"])
