"""Every write of quality: do_*(…, *, actor), atomic, audited in the same transaction.

Rights: the director and a deputy (manage_org) keep surveys, the assessment's points, the register of complaints
and publications; HR and the director (edit_staff) keep staff development. The public survey page writes through
do_record_public_response, the one write without a user (audited with no actor)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.log import diff, log_event, snapshot
from opora.audit.models import EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.lib.errors import DomainError
from opora.org.models import Department, Employee, Organisation
from opora.people.models import Recipient
from opora.quality import rules
from opora.quality.models import (
    Complaint,
    NokFacts,
    Publication,
    QualityCheck,
    Survey,
    SurveyResponse,
    Training,
)

MANAGE = Perm.MANAGE_ORG
STAFF = Perm.EDIT_STAFF


def _same_org(org_id: int, field: str, obj: Department | Recipient | Employee | None) -> None:
    if obj is not None and obj.organisation_id != org_id:
        raise DomainError(_("This belongs to another organisation."), field=field)


def do_create_survey(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Survey:
    require(actor, MANAGE, organisation.pk)
    if data.get("start") is not None:
        rules.check_term(data["start"], data.get("end"))
    return create_object(Survey(organisation=organisation, **data), actor=actor)


def do_update_survey(survey: Survey, data: Mapping[str, Any], *, actor: Actor) -> Survey:
    require(actor, MANAGE, survey.organisation_id)
    start, end = data.get("start", survey.start), data.get("end", survey.end)
    if start is not None:
        rules.check_term(start, end)
    return update_object(survey, data, actor=actor)


@transaction.atomic
def do_set_nok_facts(survey: Survey, points: Mapping[str, Any], *, actor: Actor) -> NokFacts:
    """The institution-level points of 344н for an assessment (each 0–100)."""
    require(actor, MANAGE, survey.organisation_id)
    values = {name: rules.check_points(name, points.get(name)) for name in rules.FACTS}
    facts = NokFacts.objects.filter(survey=survey).first()
    if facts is None:
        return create_object(NokFacts(survey=survey, **values), actor=actor)
    return update_object(facts, values, actor=actor)


def _answers(answers: Mapping[str, Any]) -> dict[str, bool | None]:
    unknown = set(answers) - set(rules.QUESTIONS)
    if unknown:
        raise DomainError(_("Unknown question."), field=sorted(unknown)[0])
    return {q: rules.check_answer(q, answers.get(q)) for q in rules.QUESTIONS}


def do_record_response(survey: Survey, *, date: datetime.date, answers: Mapping[str, Any],
                       department: Department | None = None, actor: Actor) -> SurveyResponse:
    """A questionnaire entered by staff from paper."""
    require(actor, MANAGE, survey.organisation_id)
    _same_org(survey.organisation_id, "department", department)
    return create_object(SurveyResponse(organisation_id=survey.organisation_id, survey=survey, date=date,
                                        department=department, **_answers(answers)), actor=actor)


class AlreadyAnswered(DomainError):
    pass


def do_record_public_response(survey: Survey, *, day: datetime.date, answers: Mapping[str, Any],
                              device_key: str, department: Department | None = None) -> SurveyResponse:
    """An anonymous answer from the public page: no user, no personal data; one per device and day (the
    database's unique constraint on the survey, the device's hashed key and the day)."""
    if not survey.is_public:
        raise DomainError(_("This survey is not open."))
    _same_org(survey.organisation_id, "department", department)
    response = SurveyResponse(organisation_id=survey.organisation_id, survey=survey, date=day, department=department,
                              online=True, device_key=device_key, **_answers(answers))
    try:
        with transaction.atomic():
            response.save()
            log_event(actor=None, event_type=EventType.CREATED, obj=response,
                      organisation_id=survey.organisation_id, changes=diff({}, snapshot(response)))
    except IntegrityError:
        raise AlreadyAnswered(_("You have already answered today. Thank you!")) from None
    return response


def do_register_complaint(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Complaint:
    require(actor, MANAGE, organisation.pk)
    _same_org(organisation.pk, "department", data.get("department"))
    _same_org(organisation.pk, "recipient", data.get("recipient"))
    rules.check_answer_date(data["received_on"], data.get("answered_on"))
    return create_object(Complaint(organisation=organisation, **data), actor=actor)


def do_update_complaint(complaint: Complaint, data: Mapping[str, Any], *, actor: Actor) -> Complaint:
    """Record the answer (its date, whether the complaint was justified) or correct the entry."""
    require(actor, MANAGE, complaint.organisation_id)
    _same_org(complaint.organisation_id, "department", data.get("department"))
    _same_org(complaint.organisation_id, "recipient", data.get("recipient"))
    rules.check_answer_date(data.get("received_on", complaint.received_on),
                            data.get("answered_on", complaint.answered_on))
    return update_object(complaint, data, actor=actor)


def do_record_training(employee: Employee, data: Mapping[str, Any], *, actor: Actor) -> Training:
    require(actor, STAFF, employee.organisation_id)
    rules.check_term(data["start"], data.get("end"))
    hours = data.get("hours")
    if hours is not None and Decimal(hours) < 0:
        raise DomainError(_("The hours cannot be negative."), field="hours")
    return create_object(Training(organisation_id=employee.organisation_id, employee=employee, **data), actor=actor)


def do_update_training(training: Training, data: Mapping[str, Any], *, actor: Actor) -> Training:
    require(actor, STAFF, training.organisation_id)
    rules.check_term(data.get("start", training.start), data.get("end", training.end))
    return update_object(training, data, actor=actor)


def do_record_publication(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Publication:
    require(actor, MANAGE, organisation.pk)
    views = data.get("views")
    if views is not None and int(views) < 0:
        raise DomainError(_("The views cannot be negative."), field="views")
    return create_object(Publication(organisation=organisation, **data), actor=actor)


def do_update_publication(publication: Publication, data: Mapping[str, Any], *, actor: Actor) -> Publication:
    require(actor, MANAGE, publication.organisation_id)
    return update_object(publication, data, actor=actor)


def _check_values(org_id: int, data: Mapping[str, Any], instance: QualityCheck | None = None) -> None:
    department = data.get("department", instance.department if instance else None)
    if department is None:
        raise DomainError(_("Choose the department checked."), field="department")
    _same_org(org_id, "department", department)
    planned = data.get("planned_on", instance.planned_on if instance else None)
    if planned is None:
        raise DomainError(_("Give the day the check is planned for."), field="planned_on")
    rules.check_quality_check(planned, data.get("done_on", instance.done_on if instance else None),
                              data.get("findings", instance.findings if instance else "") or "",
                              timezone.localdate())


def do_plan_quality_check(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> QualityCheck:
    """An internal quality check, planned (and, when done, with its findings and measures)."""
    require(actor, MANAGE, organisation.pk)
    _check_values(organisation.pk, data)
    with transaction.atomic():
        return create_object(QualityCheck(organisation=organisation, **data), actor=actor)


def do_update_quality_check(check: QualityCheck, data: Mapping[str, Any], *, actor: Actor) -> QualityCheck:
    """Record that the check was done, its findings and corrective measures, or correct the entry."""
    require(actor, MANAGE, check.organisation_id)
    _check_values(check.organisation_id, data, check)
    with transaction.atomic():
        return update_object(check, data, actor=actor)


def do_delete_quality_check(check: QualityCheck, *, actor: Actor) -> None:
    require(actor, MANAGE, check.organisation_id)
    with transaction.atomic():
        delete_object(check, actor=actor)
