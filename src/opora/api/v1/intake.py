"""API v1: intake — /applications (the journal, registration, assessment, decision) and /questionnaire."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.app import PayloadError, error_body
from opora.api.v1.common import (
    ONLY_401,
    WARNED,
    Body,
    Day,
    Id,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    named,
    organisation_for_write,
    paginate,
    run,
    run_warned,
)
from opora.audit.log import log_read
from opora.intake import actions, queries, questionnaire
from opora.intake.models import Application, Assessment
from opora.lib.snils import compact
from opora.org.queries import get_department_for, get_employee_for
from opora.people.queries import get_recipient_for

router = Router(tags=["intake"])

CONFIRM_WARNINGS = ("Save although warned (no consent to personal-data processing on file, another open application of "
                    "the person); without it such a request answers 409 with the warnings and saves nothing.")
PERSON_FIELDS = {"last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "rntrc", "address", "phone"}


class AssessmentOut(Schema):
    id: int
    examined_on: datetime.date
    examiner_id: int | None
    housing: str
    household: str
    conclusion: str
    answers: dict[str, int]
    score: int
    care_level: int
    weekly_hours: int


class ApplicationOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    number: str
    received_on: datetime.date
    channel: str
    recipient_id: int
    recipient_name: str = Field(..., alias="recipient.full_name")
    applicant_name: str
    requested_form: str
    department_id: int
    department: str = Field(..., alias="department.code")
    request: str
    status: str
    decision_due: datetime.date
    overdue: bool
    decided_on: datetime.date | None
    decided_form: str
    refusal_reason: str
    no_assessment_reason: str
    deadline_met: bool | None


class ApplicationPage(PageBase):
    results: list[ApplicationOut]


class ApplicationDetail(ApplicationOut):
    assessments: list[AssessmentOut]

    @staticmethod
    def resolve_assessments(obj: Application) -> list[Assessment]:
        return list(obj.assessments.all())


class ApplicationCreated(ApplicationDetail):
    """The application registered, with the warnings of its registration: those the client confirmed with
    ``confirm_warnings`` and, for a new person, the reminder to record their consent."""

    warnings: list[str]

    @staticmethod
    def resolve_warnings(obj: Application) -> list[str]:
        return list(getattr(obj, "warnings", []))


class NewPersonIn(Body):
    last_name: str = Field(..., max_length=100)
    first_name: str = Field(..., max_length=100)
    patronymic: str = Field("", max_length=100)
    sex: Literal["M", "F"]
    birth_date: Day
    snils: str = Field("", max_length=14)
    rntrc: str = Field("", max_length=14, description="Ukraine: the taxpayer number (РНОКПП)")
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)


class ApplicationIn(Body):
    organisation: str | None = None
    number: str = Field("", max_length=40)
    received_on: Day
    channel: str = Field(..., description="in_person, phone, email, online, post, referral, field_reception, hotline")
    applicant_name: str = Field("", max_length=300)
    requested_form: str = Field(..., description="home, semi_stationary, stationary, urgent")
    department_id: Id
    request: str = ""
    recipient_id: Id | None = Field(None, description="An existing person; or give new_person")
    new_person: NewPersonIn | None = None
    confirm_duplicate: bool = False
    confirm_warnings: bool = Field(False, description=CONFIRM_WARNINGS)


class AssessmentIn(Body):
    examined_on: Day
    examiner_id: Id | None = None
    housing: str = ""
    household: str = ""
    conclusion: str = ""
    answers: dict[str, Any] = Field(..., description="question code → chosen option value (0..3)")


class DecisionIn(Body):
    outcome: Literal["recognised", "refused"]
    decided_on: Day
    form: str | None = None
    reason: str = ""
    no_assessment_reason: str = Field("", max_length=2000)


class OptionOut(Schema):
    value: int
    label: str


class QuestionnaireItemOut(Schema):
    code: str
    label: str
    options: list[OptionOut]


class QuestionnaireOut(Schema):
    max_score: int
    items: list[QuestionnaireItemOut]


def _card(actor: Actor, pk: Id) -> Application:
    return queries.application_card(actor, pk)


def _for_edit(actor: Actor, pk: Id) -> Application:
    """404 outside the scope, 403 without the right to edit casework."""
    application = queries.get_application_for(actor, pk)
    if not actor.can(Perm.EDIT_CASEWORK, application.organisation_id):
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    return queries.get_application_for(actor, pk, Perm.EDIT_CASEWORK)


@router.get("/applications", response=answers(ApplicationPage))
def list_applications(request: HttpRequest, status: str | None = None, department_id: Id | None = None,
                      channel: str | None = None, received_from: Day | None = None,
                      received_to: Day | None = None, overdue: bool = False,
                      recipient_id: Id | None = None, organisation: str | None = None,
                      page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    qs = queries.applications_for(actor)
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    qs = queries.filter_applications(qs, status=status, department_id=department_id, channel=channel,
                                     received_from=received_from, received_to=received_to, overdue=overdue,
                                     recipient_id=recipient_id)
    return paginate(queries.for_list(qs), page, page_size, audit=(actor, "api:applications"))


@router.post("/applications", response=answers(ApplicationCreated, 201, WARNED))
def create_application(request: HttpRequest, body: ApplicationIn) -> Status:
    actor = actor_of(request)
    payload = body.dict()
    org = organisation_for_write(actor, payload.pop("organisation"), Perm.EDIT_CASEWORK)
    department_id = payload.pop("department_id")
    department = named(lambda: get_department_for(actor, department_id, Perm.EDIT_CASEWORK), "department_id",
                       _("Unknown department."), org.pk)
    recipient_id = payload.pop("recipient_id")
    new_person = payload.pop("new_person")
    confirm = payload.pop("confirm_duplicate")
    confirm_warnings = payload.pop("confirm_warnings")
    recipient = get_recipient_for(actor, recipient_id) if recipient_id is not None else None
    if new_person is not None:
        new_person["snils"] = compact(new_person.get("snils", ""))
    data = {**payload, "department": department}
    today = timezone.localdate()
    # the page's warnings (one rule: intake.queries.application_warnings); a new person is registered at once
    warnings = queries.application_warnings(recipient, today) if recipient is not None else []
    try:
        application = run_warned(lambda: actions.do_register_application(
            org, data, actor=actor, recipient=recipient, new_person=new_person, confirm_duplicate=confirm),
            set(body.dict()), warnings, confirm_warnings, actor)
    except PayloadError as exc:
        fields = set(getattr(exc.error, "error_dict", {}))
        person_error = new_person is not None and (
            getattr(exc.error, "code", None) == "possible_duplicate" or (fields and fields <= PERSON_FIELDS))
        if not person_error:
            raise
        detail = error_body(exc.error)["detail"]
        for item in detail:
            item["loc"] = ["body", "new_person", *item["loc"][1:]]
        return Status(422, {"detail": detail})
    card = _card(actor, application.pk)
    if recipient is None:  # a new person: the page's reminder that their consent is not on file yet
        warnings = queries.application_warnings(card.recipient, today, exclude_pk=card.pk)
    card.warnings = warnings  # type: ignore[attr-defined]
    return Status(201, card)


@router.get("/applications/{int:pk}", response=answers(ApplicationDetail))
def get_application(request: HttpRequest, pk: Id) -> Application:
    actor = actor_of(request)
    application = _card(actor, pk)
    log_read(actor, [application], via="api:application")
    return application


@router.post("/applications/{int:pk}/assessment", response=answers(AssessmentOut, 201))
def record_assessment(request: HttpRequest, pk: Id, body: AssessmentIn) -> Status:
    actor = actor_of(request)
    application = _for_edit(actor, pk)
    data = body.dict()
    chosen = data.pop("answers")
    examiner_id = data.pop("examiner_id")
    if examiner_id is not None:
        data["examiner"] = named(lambda: get_employee_for(actor, examiner_id, Perm.EDIT_CASEWORK), "examiner_id",
                                 _("Unknown employee."), application.organisation_id)
    assessment = run(lambda: actions.do_record_assessment(application, data, chosen, actor=actor),
                     set(body.dict()))
    return Status(201, assessment)


@router.post("/applications/{int:pk}/decision", response=answers(ApplicationDetail))
def decide(request: HttpRequest, pk: Id, body: DecisionIn) -> Application:
    actor = actor_of(request)
    application = _for_edit(actor, pk)
    run(lambda: actions.do_decide(application, actor=actor, outcome=body.outcome, decided_on=body.decided_on,
                                    form=body.form, reason=body.reason,
                                    no_assessment_reason=body.no_assessment_reason), set(body.dict()))
    return _card(actor, pk)


@router.get("/questionnaire", response=answers(QuestionnaireOut, errors=ONLY_401))
def get_questionnaire(request: HttpRequest) -> dict[str, Any]:
    return {"max_score": questionnaire.MAX_SCORE, "items": [
        {"code": item.code, "label": str(item.label),
         "options": [{"value": o.value, "label": str(o.label)} for o in item.options]}
        for item in questionnaire.ITEMS]}
