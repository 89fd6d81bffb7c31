"""/api/v1/quality/…: surveys (with their figures, paper questionnaires, the points of 344н), the register of
complaints and appeals, staff development, publications. The same queries and actions as the screens."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.api.v1.common import (
    Amount,
    Body,
    Day,
    Id,
    Money,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    named,
    organisation_for_write,
    paginate,
    run,
)
from opora.org.queries import get_department_for, get_employee_for
from opora.people.queries import get_recipient_for
from opora.quality import actions, queries, rules
from opora.quality.models import ComplaintKind, PublicationKind, SurveyKind, TrainingKind
from opora.quality.rules import FACTS, QUESTIONS

router = Router(tags=["quality"])

SurveyKindCode = Literal["satisfaction", "nok"]
ComplaintKindCode = Literal["complaint", "appeal", "review", "gratitude"]
TrainingKindCode = Literal["course", "retraining", "higher_education", "seminar", "attestation", "award"]
PublicationKindCode = Literal["site", "social", "press", "tv", "radio", "stand", "booklet"]
assert set(SurveyKindCode.__args__) == set(SurveyKind.values)  # type: ignore[attr-defined]
assert set(ComplaintKindCode.__args__) == set(ComplaintKind.values)  # type: ignore[attr-defined]
assert set(TrainingKindCode.__args__) == set(TrainingKind.values)  # type: ignore[attr-defined]
assert set(PublicationKindCode.__args__) == set(PublicationKind.values)  # type: ignore[attr-defined]
ALL_TIME = (datetime.date(1990, 1, 1), datetime.date(2100, 12, 31))


class SurveyFiguresOut(Schema):
    respondents: int
    satisfied_pct: Money | None
    recommend_pct: Money | None
    k1: Money | None = None
    k2: Money | None = None
    k3: Money | None = None
    k4: Money | None = None
    k5: Money | None = None
    s: Money | None = None


class SurveyOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    name: str
    kind: str
    start: datetime.date | None
    end: datetime.date | None
    is_public: bool
    figures: SurveyFiguresOut | None = Field(None, description="Over all the survey's responses (shares and "
                                                                "points rounded half-up to two decimals).")


def _with_figures(survey: Any) -> Any:
    figures = queries.survey_figures([survey.organisation_id], *ALL_TIME, survey.code)
    survey.figures = figures[0] if figures else None
    return survey


@router.get("/quality/surveys", response=answers(list[SurveyOut]))
def list_surveys(request: HttpRequest) -> list[Any]:
    return [_with_figures(s) for s in queries.surveys_for(actor_of(request)).select_related("organisation")]


@router.get("/quality/surveys/{survey_id}", response=answers(SurveyOut))
def get_survey(request: HttpRequest, survey_id: int) -> Any:
    return _with_figures(queries.get_survey_for(actor_of(request), survey_id))


class SurveyIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=50)
    name: str = Field(..., min_length=1, max_length=300)
    kind: SurveyKindCode
    start: Day | None = None
    end: Day | None = None
    is_public: bool = False


@router.post("/quality/surveys", response=answers(SurveyOut, 201))
def create_survey(request: HttpRequest, body: SurveyIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_ORG)
    survey = run(lambda: actions.do_create_survey(org, data, actor=actor), set(body.dict()))
    return Status(201, _with_figures(queries.get_survey_for(actor, survey.pk)))


class ResponseIn(Body):
    date: Day
    department_id: Id | None = None
    info_satisfied: Literal[0, 1] | None = None
    comfort_satisfied: Literal[0, 1] | None = None
    waiting_ok: Literal[0, 1] | None = None
    access_satisfied: Literal[0, 1] | None = None
    courtesy_first_contact: Literal[0, 1] | None = None
    courtesy_during: Literal[0, 1] | None = None
    courtesy_remote: Literal[0, 1] | None = None
    recommend: Literal[0, 1] | None = None
    schedule_satisfied: Literal[0, 1] | None = None
    overall_satisfied: Literal[0, 1] | None = None


class ResponseOut(Schema):
    id: int
    survey_id: int
    date: datetime.date
    department_id: int | None
    online: bool


@router.post("/quality/surveys/{survey_id}/responses", response=answers(ResponseOut, 201))
def create_response(request: HttpRequest, survey_id: int, body: ResponseIn) -> Status:
    """A paper questionnaire typed in (each answer 1, 0 or null: not asked)."""
    actor = actor_of(request)
    survey = queries.get_survey_for(actor, survey_id)
    dept_id = body.department_id
    department = named(lambda: get_department_for(actor, dept_id, Perm.VIEW_DASHBOARD),
                       "department_id", _("Unknown department."), survey.organisation_id) \
        if dept_id is not None else None
    response = run(lambda: actions.do_record_response(
        survey, date=body.date, department=department, answers={q: getattr(body, q) for q in QUESTIONS},
        actor=actor), set(body.dict()))
    return Status(201, response)


class PointsIn(Body):
    info_completeness: Amount = Field(..., ge=0, le=100)
    remote_channels: Amount = Field(..., ge=0, le=100)
    comfort_conditions: Amount = Field(..., ge=0, le=100)
    facility_access: Amount = Field(..., ge=0, le=100)
    service_access: Amount = Field(..., ge=0, le=100)


class PointsOut(Schema):
    survey_id: int
    info_completeness: Money
    remote_channels: Money
    comfort_conditions: Money
    facility_access: Money
    service_access: Money


@router.put("/quality/surveys/{survey_id}/points", response=answers(PointsOut))
def set_points(request: HttpRequest, survey_id: int, body: PointsIn) -> Any:
    """The institution-level points of 344н (0–100 each) of an independent assessment."""
    actor = actor_of(request)
    survey = queries.get_survey_for(actor, survey_id)
    return run(lambda: actions.do_set_nok_facts(survey, {f: getattr(body, f) for f in FACTS}, actor=actor),
               set(body.dict()))


# --- complaints -------------------------------------------------------------------------------------------------------
class ComplaintOut(Schema):
    id: int
    organisation_id: int
    received_on: datetime.date
    kind: str
    channel: str
    department_id: int | None
    recipient_id: int | None
    subject: str
    answered_on: datetime.date | None
    justified: bool | None
    due: datetime.date = Field(..., description="The last day to answer (30 days after receipt).")
    late: bool = Field(..., description="A complaint or an appeal answered, or still unanswered today, more than "
                                        "30 days after receipt.")


def _complaint(c: Any) -> Any:
    c.late = c.kind in (ComplaintKind.COMPLAINT, ComplaintKind.APPEAL) and rules.is_late(
        c.received_on, c.answered_on, datetime.date.today())
    return c


class ComplaintPage(PageBase):
    results: list[ComplaintOut]


@router.get("/quality/complaints", response=answers(ComplaintPage))
def list_complaints(request: HttpRequest, kind: ComplaintKindCode | None = None, unanswered: bool = False,
                    page: Page = 1, page_size: PageSize = 100) -> dict[str, Any]:
    actor = actor_of(request)
    return paginate(queries.complaints_for(actor), page, page_size, each=_complaint,  # a complaint may name its person
                    where={"kind": kind, "answered_on__isnull": True if unanswered else None},
                    audit=(actor, "api:complaints"))


class ComplaintIn(Body):
    organisation: str | None = None
    received_on: Day
    kind: ComplaintKindCode
    channel: str = ""
    department_id: Id | None = None
    recipient_id: Id | None = None
    subject: str = Field("", max_length=500)
    answered_on: Day | None = None
    justified: bool | None = None


@router.post("/quality/complaints", response=answers(ComplaintOut, 201))
def create_complaint(request: HttpRequest, body: ComplaintIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_ORG)
    dept_id, person_id = data.pop("department_id"), data.pop("recipient_id")
    data["department"] = named(lambda: get_department_for(actor, dept_id, Perm.VIEW_DASHBOARD), "department_id",
                               _("Unknown department."), org.pk) if dept_id is not None else None
    data["recipient"] = named(lambda: get_recipient_for(actor, person_id), "recipient_id", _("Unknown recipient."),
                              org.pk) if person_id is not None else None
    complaint = run(lambda: actions.do_register_complaint(org, data, actor=actor), set(body.dict()))
    return Status(201, _complaint(complaint))


class AnswerIn(Body):
    answered_on: Day | None
    justified: bool | None = None


@router.patch("/quality/complaints/{complaint_id}", response=answers(ComplaintOut))
def answer_complaint(request: HttpRequest, complaint_id: int, body: AnswerIn) -> Any:
    """Record the answer to a complaint or an appeal: its date and whether it was justified."""
    actor = actor_of(request)
    complaint = queries.get_complaint_for(actor, complaint_id)
    return _complaint(run(lambda: actions.do_update_complaint(complaint, body.dict(), actor=actor),
                          set(body.dict())))


# --- staff development ------------------------------------------------------------------------------------------------
class TrainingOut(Schema):
    id: int
    employee_id: int
    tab_no: str = Field(..., alias="employee.tab_no")
    kind: str
    start: datetime.date
    end: datetime.date | None
    hours: Money | None
    title: str


class TrainingIn(Body):
    employee_id: Id
    kind: TrainingKindCode
    start: Day
    end: Day | None = None
    hours: Amount | None = Field(None, ge=0, le=99_999, max_digits=6, decimal_places=1)
    title: str = Field("", max_length=500)


@router.get("/quality/trainings", response=answers(list[TrainingOut]))
def list_trainings(request: HttpRequest, employee_id: Id | None = None) -> Any:
    qs = queries.trainings_for(actor_of(request))
    return qs.filter(employee_id=employee_id) if employee_id is not None else qs


@router.post("/quality/trainings", response=answers(TrainingOut, 201))
def create_training(request: HttpRequest, body: TrainingIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    employee_id = data.pop("employee_id")
    employee = named(lambda: get_employee_for(actor, employee_id, Perm.EDIT_STAFF), "employee_id",
                     _("Unknown employee."))
    training = run(lambda: actions.do_record_training(employee, data, actor=actor), set(body.dict()))
    return Status(201, training)


# --- publications -----------------------------------------------------------------------------------------------------
class PublicationOut(Schema):
    id: int
    organisation_id: int
    date: datetime.date
    kind: str
    title: str
    views: int | None


class PublicationIn(Body):
    organisation: str | None = None
    date: Day
    kind: PublicationKindCode
    title: str = Field("", max_length=500)
    views: int | None = Field(None, ge=0, le=2_000_000_000)


@router.get("/quality/publications", response=answers(list[PublicationOut]))
def list_publications(request: HttpRequest, kind: PublicationKindCode | None = None) -> Any:
    qs = queries.publications_for(actor_of(request))
    return qs.filter(kind=kind) if kind else qs


@router.post("/quality/publications", response=answers(PublicationOut, 201))
def create_publication(request: HttpRequest, body: PublicationIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_ORG)
    return Status(201, run(lambda: actions.do_record_publication(org, data, actor=actor), set(body.dict())))


# --- internal quality checks ------------------------------------------------------------------------------------------
class QualityCheckOut(Schema):
    id: int
    department_id: int
    department: str = Field(..., alias="department.code", description="The department's code.")
    planned_on: datetime.date
    done_on: datetime.date | None
    subject: str
    findings: str
    measures: str = Field(..., description="The corrective measures taken.")


class QualityCheckIn(Body):
    organisation: str | None = None
    department_id: Id
    planned_on: Day
    done_on: Day | None = None
    subject: str = Field("", max_length=500)
    findings: str = Field("", max_length=20_000)
    measures: str = Field("", max_length=20_000)


class QualityCheckChange(Body):
    department_id: Id
    planned_on: Day
    done_on: Day | None = None
    subject: str = Field("", max_length=500)
    findings: str = Field("", max_length=20_000)
    measures: str = Field("", max_length=20_000)


@router.get("/quality/checks", response=answers(list[QualityCheckOut]))
def list_quality_checks(request: HttpRequest, start: Day | None = None, end: Day | None = None,
                        department_id: Id | None = None) -> Any:
    """Internal quality checks planned or done between `start` and `end` (a department head: their own)."""
    qs = queries.quality_checks_for(actor_of(request))
    if start is not None:
        qs = qs.filter(Q(planned_on__gte=start) | Q(done_on__gte=start))
    if end is not None:
        qs = qs.filter(Q(planned_on__lte=end) | Q(done_on__lte=end))
    return qs.filter(department_id=department_id) if department_id is not None else qs


def _check_data(actor: Any, data: dict[str, Any], organisation_id: int) -> dict[str, Any]:
    dept_id = data.pop("department_id")
    data["department"] = named(lambda: get_department_for(actor, dept_id, Perm.VIEW_DASHBOARD), "department_id",
                               _("Unknown department."), organisation_id)
    return data


@router.post("/quality/checks", response=answers(QualityCheckOut, 201))
def create_quality_check(request: HttpRequest, body: QualityCheckIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_ORG)
    data = _check_data(actor, data, org.pk)
    check = run(lambda: actions.do_plan_quality_check(org, data, actor=actor), set(body.dict()))
    return Status(201, check)


@router.put("/quality/checks/{int:pk}", response=answers(QualityCheckOut))
def update_quality_check(request: HttpRequest, pk: Id, body: QualityCheckChange) -> Any:
    """Record that the check was done, its findings and measures, or correct it (director, deputy)."""
    actor = actor_of(request)
    check = queries.get_quality_check_for(actor, pk)
    data = _check_data(actor, body.dict(), check.organisation_id)
    return run(lambda: actions.do_update_quality_check(check, data, actor=actor), set(body.dict()))


@router.delete("/quality/checks/{int:pk}", response=answers(None, 204))
def delete_quality_check(request: HttpRequest, pk: Id) -> Status:
    actor = actor_of(request)
    check = queries.get_quality_check_for(actor, pk)
    actions.do_delete_quality_check(check, actor=actor)
    return Status(204, None)
