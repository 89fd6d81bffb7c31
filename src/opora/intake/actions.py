"""Every write of intake: applications, their status, needs assessments, the decision. Atomic and audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.models import User
from opora.accounts.roles import Perm
from opora.audit.log import diff, log_event, snapshot
from opora.audit.models import EventType
from opora.core.actions import create_object, require, update_object
from opora.core.reference import Channel, Form
from opora.core.validation import full_clean
from opora.intake import questionnaire, rules
from opora.intake.models import Application, ApplicationStatus, Assessment, CareLevelScale
from opora.intake.queries import next_number, scale_rows_on
from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.lib.text import search_key
from opora.org.calendar import calendar_for
from opora.org.models import Department, Employee, Organisation
from opora.org.queries import hold_numbering
from opora.people.actions import do_create_recipient
from opora.people.models import Recipient
from opora.people.queries import recipients_for

APPLICATION_FIELDS = ("number", "received_on", "channel", "applicant_name", "requested_form", "department",
                      "request")
ASSESSMENT_FIELDS = ("examined_on", "examiner", "housing", "household", "conclusion")


def _check_department(actor: Actor, organisation: Organisation, department: Department | None) -> None:
    if department is None:
        raise DomainError(_("Choose the department."), field="department")
    if department.organisation_id != organisation.pk:
        raise DomainError(_("The department belongs to another organisation."), field="department")
    grants = [g for g in actor.grants_with(Perm.EDIT_CASEWORK) if g.organisation_id == organisation.pk]
    if grants and all(actor.is_department_bound(g) and department.pk not in g.department_ids for g in grants):
        raise DomainError(_("You can register applications only to your own departments."), field="department")


@transaction.atomic
def do_register_application(
    organisation: Organisation, data: Mapping[str, Any], *, actor: Actor, recipient: Recipient | None = None,
    new_person: Mapping[str, Any] | None = None, confirm_duplicate: bool = False,
) -> Application:
    """Register an application for an existing person in the actor's scope, or for a new person.

    A new person is registered through people's do_create_recipient, with its duplicate check: a person
    with the same name and birth date raises a ValidationError coded "possible_duplicate" until confirmed.
    """
    require(actor, Perm.EDIT_CASEWORK, organisation.pk)
    data = {k: v for k, v in data.items() if k in APPLICATION_FIELDS}
    _check_department(actor, organisation, data.get("department"))
    if (recipient is None) == (new_person is None):
        raise DomainError(_("Choose a registered person or fill in a new person's data."), field="recipient")
    if recipient is not None:
        if recipient.organisation_id != organisation.pk or not recipients_for(actor).filter(
                pk=recipient.pk).exists():
            raise DomainError(_("This person is not among the people you may see."), field="recipient")
    else:
        person = dict(new_person or {})
        person.setdefault("registered_department", data["department"])
        recipient = do_create_recipient(organisation, person, actor=actor, confirm_duplicate=confirm_duplicate)
    # Numbers are per organisation and year: serialise registrations of one organisation (PostgreSQL).
    hold_numbering(organisation.pk)
    received_on = data.get("received_on")
    if not isinstance(received_on, datetime.date):
        raise DomainError(_("Give the date the application was received."), field="received_on")
    if not (data.get("number") or "").strip():
        data["number"] = next_number(organisation.pk, received_on.year)
    elif Application.objects.filter(organisation=organisation, number=data["number"].strip()).exists():
        raise DomainError(_("An application with this number is already registered."), field="number")
    else:
        data["number"] = data["number"].strip()
    due = rules.decision_due(received_on, calendar_for(organisation))
    application = Application(organisation=organisation, recipient=recipient, decision_due=due,
                              status=ApplicationStatus.REGISTERED, registered_by=_user_or_none(actor), **data)
    return create_object(application, actor=actor)


# The form of service an electronic application asks for, by the kind of department chosen.
_FORM_OF_KIND = {"home_care": Form.HOME, "urgent": Form.URGENT}
ONLINE_FIELDS = ("last_name", "first_name", "patronymic", "sex", "birth_date", "phone", "address")


@transaction.atomic
def do_receive_online_application(organisation: Organisation, person: Mapping[str, Any], *,
                                  department: Department | None, request: str, applicant_name: str = "",
                                  service: str = "", contacts: str = "") -> Application:
    """An electronic application from the public page (no user): it lands in the applications journal with the
    channel `online`, registered today, for a specialist to process (assess, decide, or withdraw).

    The person is the registered person of the same name and birth date in the organisation, else a new person
    (inactive, registered by the department). Audited as an event without a user."""
    if department is None:
        department = (Department.objects.filter(organisation=organisation, is_active=True)
                      .exclude(kind="administration").order_by("code").first())
    if department is None or department.organisation_id != organisation.pk or department.kind == "administration":
        raise DomainError(_("Choose the department."), field="department")
    data = {k: person[k] for k in ONLINE_FIELDS if k in person}
    recipient = Recipient(organisation=organisation, registered_department=department, **data)
    recipient.full_clean(exclude=["snils", "rntrc"])
    namesake = Recipient.objects.filter(organisation=organisation, search_name=search_key(
        recipient.last_name, recipient.first_name, recipient.patronymic), birth_date=recipient.birth_date).first()
    if namesake is not None:
        recipient = namesake
    else:
        recipient.save()
        log_event(actor=None, event_type=EventType.CREATED, obj=recipient, organisation_id=organisation.pk,
                  changes=diff({}, snapshot(recipient)))
    hold_numbering(organisation.pk)
    today = timezone.localdate()
    text = "\n".join(line for line in (
        _("Electronic application from the public page."),
        _("Service needed: %(service)s") % {"service": service} if service else "",
        _("Contacts: %(contacts)s") % {"contacts": contacts} if contacts else "",
        request.strip()) if line)
    application = Application(
        organisation=organisation, recipient=recipient, number=next_number(organisation.pk, today.year),
        received_on=today, channel=Channel.ONLINE, applicant_name=applicant_name.strip()[:300],
        requested_form=_FORM_OF_KIND.get(department.kind, Form.SEMI_STATIONARY), department=department,
        request=text, status=ApplicationStatus.REGISTERED,
        decision_due=rules.decision_due(today, calendar_for(organisation)))
    full_clean(application)
    application.save()
    log_event(actor=None, event_type=EventType.CREATED, obj=application, organisation_id=organisation.pk,
              changes=diff({}, snapshot(application)))
    return application


def _user_or_none(actor: Actor) -> User | None:
    user = actor.user
    return user if isinstance(user, User) and user.pk else None


def set_status(application: Application, new: str, *, actor: Actor,
               changes: Mapping[str, Any] | None = None) -> Application:
    """The only way an application changes status: along intake.rules.APPLICATION_TRANSITIONS."""
    rules.check_transition(application.status, new)
    return update_object(application, {"status": new, **(changes or {})}, actor=actor)


def _fresh(application: Application) -> Application:
    """The application as stored, locked for the rest of the transaction."""
    return Application.objects.select_for_update().select_related("organisation").get(pk=application.pk)


@transaction.atomic
def do_withdraw_application(application: Application, *, actor: Actor) -> Application:
    require(actor, Perm.EDIT_CASEWORK, application.organisation_id)
    return set_status(_fresh(application), ApplicationStatus.WITHDRAWN, actor=actor)


@transaction.atomic
def do_record_assessment(application: Application, data: Mapping[str, Any], answers: Mapping[str, Any], *,
                         actor: Actor) -> Assessment:
    """The act of examination and the questionnaire: score, level of care need and weekly hours from the scale."""
    require(actor, Perm.EDIT_CASEWORK, application.organisation_id)
    application = _fresh(application)
    data = {k: v for k, v in data.items() if k in ASSESSMENT_FIELDS}
    if application.status not in rules.ASSESSABLE_STATUSES:
        raise DomainError(_("The application is already decided or withdrawn: it cannot be assessed."),
                          field="status")
    examined_on = data.get("examined_on")
    if not isinstance(examined_on, datetime.date):
        raise DomainError(_("Give the date of the examination."), field="examined_on")
    if examined_on < application.received_on:
        raise DomainError(_("The examination cannot be dated before the application."), field="examined_on")
    examiner = data.get("examiner")
    if isinstance(examiner, Employee) and examiner.organisation_id != application.organisation_id:
        raise DomainError(_("The employee belongs to another organisation."), field="examiner")
    cleaned = questionnaire.clean_answers(answers)
    total = questionnaire.score(cleaned)
    rows = scale_rows_on(application.organisation.region, examined_on)
    row = rules.scale_row_for(rows, total)
    if row is None:
        raise DomainError(_("No care level scale covers the score %(score)s on %(day)s: ask an administrator to "
                            "complete the scale.") % {"score": total, "day": fmt_day(examined_on)},
                          field="answers")
    assessment = Assessment(organisation_id=application.organisation_id, application=application,
                            recipient_id=application.recipient_id, answers=cleaned, score=total,
                            care_level=row.level, weekly_hours=row.weekly_hours, scale=row, **data)
    create_object(assessment, actor=actor)
    if application.status == ApplicationStatus.REGISTERED:
        set_status(application, ApplicationStatus.ASSESSMENT, actor=actor)
    return assessment


@transaction.atomic
def do_decide(application: Application, *, actor: Actor, outcome: str, decided_on: datetime.date | None,
              form: str | None = None, reason: str = "", no_assessment_reason: str = "") -> Application:
    """Recognise the person as needing service in a form, or refuse with the reason. The deadline stays.

    Recognition rests on a needs assessment (intake.rules.recognition_problem); urgent help may be granted without
    one when ``no_assessment_reason`` records why."""
    require(actor, Perm.EDIT_CASEWORK, application.organisation_id)
    application = _fresh(application)
    if outcome not in rules.DECISIONS:
        raise DomainError(_("The decision is either “recognised” or “refused”."), field="outcome")
    if not isinstance(decided_on, datetime.date):
        raise DomainError(_("Give the date of the decision."), field="decided_on")
    if decided_on < application.received_on:
        raise DomainError(_("The decision cannot be dated before the application."), field="decided_on")
    if decided_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="decided_on")
    reason = (reason or "").strip()
    if outcome == ApplicationStatus.RECOGNISED:
        if not form:
            raise DomainError(_("Choose the form of service."), field="form")
        if form not in Form.values:
            raise DomainError(_("Unknown form of service: %(form)s.") % {"form": form}, field="form")
        if form == Form.URGENT and application.requested_form != Form.URGENT:
            raise DomainError(_("Urgent service can be granted only when urgent help was requested."),
                              field="form")
        rules.check_transition(application.status, outcome)  # a decided application says so first
        waiver = (no_assessment_reason or "").strip()
        problem = rules.recognition_problem(form, application.assessments.count(), waiver)
        if problem is not None:
            raise DomainError(problem[1], field=problem[0])
        changes = {"decided_on": decided_on, "decided_form": form, "refusal_reason": "",
                   "no_assessment_reason": waiver if not application.assessments.exists() else ""}
    else:
        if not reason:
            raise DomainError(_("Give the reason for refusal."), field="reason")
        changes = {"decided_on": decided_on, "decided_form": "", "refusal_reason": reason}
    try:
        return set_status(application, outcome, actor=actor, changes=changes)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "refusal_reason" in exc.error_dict:
            raise DomainError(_("Give the reason for refusal."), field="reason") from exc
        raise


# Configurable rules: the care-level scale (data an administrator edits; the calendar's overrides are in org).

def _require_rules(actor: Actor) -> None:
    require(actor, Perm.MANAGE_RULES, None)


def do_create_scale_row(data: Mapping[str, Any], *, actor: Actor) -> CareLevelScale:
    _require_rules(actor)
    return create_object(CareLevelScale(**data), actor=actor)


def do_update_scale_row(row: CareLevelScale, data: Mapping[str, Any], *, actor: Actor) -> CareLevelScale:
    _require_rules(actor)
    return update_object(row, data, actor=actor)
