"""The quality screens: surveys (with responses typed in from paper, the assessment's points, the QR code of the
public page), the register of complaints and appeals, staff development, publications. Thin: parse, call
queries/actions, render."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.core.crud import Column, Crud
from opora.lib import formats
from opora.lib.errors import DomainError
from opora.quality import actions, queries, rules
from opora.quality.forms import (
    ComplaintForm,
    NokFactsForm,
    PublicationForm,
    QualityCheckForm,
    ResponseForm,
    SurveyForm,
    TrainingForm,
)
from opora.quality.models import NokFacts, Survey, SurveyKind


def _checked(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A DomainError of an action as the form's error next to its field."""
    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except DomainError as exc:
            raise ValidationError({exc.field or "__all__": exc.message}) from None
    return call


def _survey_context(survey: Survey, actor: Actor) -> dict[str, Any]:
    """The survey's figures over all its responses, the public page's address and its QR code."""
    figures = queries.survey_figures([survey.organisation_id], datetime.date(1990, 1, 1),
                                     datetime.date(2100, 12, 31), survey.code)
    return {"figures": figures[0] if figures else None,
            "public_url": reverse("public_survey", args=[survey.organisation.code]),
            "qr_url": reverse("public_survey_qr", args=[survey.organisation.code, "svg"]),
            "qr_png": reverse("public_survey_qr", args=[survey.organisation.code, "png"]),
            "is_nok": survey.kind == SurveyKind.NOK, "can_manage": actor.can(Perm.MANAGE_ORG, survey.organisation_id)}


surveys = Crud(
    name="surveys", title=gettext_lazy("Surveys"), form_class=SurveyForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.surveys_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_survey_for(actor, pk),
    create=_checked(lambda org, data, actor: actions.do_create_survey(org, data, actor=actor)),
    update=_checked(lambda obj, data, actor: actions.do_update_survey(obj, data, actor=actor)),
    columns=[Column(gettext_lazy("Code"), lambda s: s.code, link=True), Column(gettext_lazy("Name"), lambda s: s.name),
             Column(gettext_lazy("Kind"), lambda s: s.get_kind_display()),
             Column(gettext_lazy("Start"), lambda s: s.start.strftime("%d.%m.%Y") if s.start else ""),
             Column(gettext_lazy("End"), lambda s: s.end.strftime("%d.%m.%Y") if s.end else ""),
             Column(gettext_lazy("Public page"), lambda s: s.is_public)],
    detail_template="quality/survey.html", detail_context=_survey_context,
)

complaints = Crud(
    name="complaints", title=gettext_lazy("Complaints and appeals"), form_class=ComplaintForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.complaints_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_complaint_for(actor, pk),
    create=_checked(lambda org, data, actor: actions.do_register_complaint(org, data, actor=actor)),
    update=_checked(lambda obj, data, actor: actions.do_update_complaint(obj, data, actor=actor)),
    form_actor=True,  # the person is searched among the people the actor sees
    columns=[Column(gettext_lazy("Received on"), lambda c: c.received_on.strftime("%d.%m.%Y"), link=True),
             Column(gettext_lazy("Kind"), lambda c: c.get_kind_display()),
             Column(gettext_lazy("Subject"), lambda c: c.subject),
             Column(gettext_lazy("Department"), lambda c: c.department.name if c.department else ""),
             Column(gettext_lazy("Answer due"), lambda c: c.due.strftime("%d.%m.%Y")
                    if c.kind in ("complaint", "appeal") else ""),
             Column(gettext_lazy("Answered on"), lambda c: c.answered_on.strftime("%d.%m.%Y") if c.answered_on
                    else ""),
             Column(gettext_lazy("Late"), lambda c: rules.is_late(c.received_on, c.answered_on, timezone.localdate())
                    if c.kind in ("complaint", "appeal") else None),
             Column(gettext_lazy("Justified"), lambda c: c.justified)],
)

trainings = Crud(
    name="trainings", title=gettext_lazy("Staff development"), form_class=TrainingForm,
    view_perm=Perm.VIEW_STAFF, edit_perm=Perm.EDIT_STAFF,
    list_query=lambda actor, org: queries.trainings_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_training_for(actor, pk),
    create=_checked(lambda org, data, actor: actions.do_record_training(
        data["employee"], {k: v for k, v in data.items() if k != "employee"}, actor=actor)),
    update=_checked(lambda obj, data, actor: actions.do_update_training(obj, data, actor=actor)),
    columns=[Column(gettext_lazy("Employee"), lambda t: t.employee.full_name, link=True),
             Column(gettext_lazy("Kind"), lambda t: t.get_kind_display()),
             Column(gettext_lazy("Start"), lambda t: t.start.strftime("%d.%m.%Y")),
             Column(gettext_lazy("End"), lambda t: t.end.strftime("%d.%m.%Y") if t.end else ""),
             Column(gettext_lazy("Hours"), lambda t: t.hours), Column(gettext_lazy("Title"), lambda t: t.title)],
)

publications = Crud(
    name="publications", title=gettext_lazy("Publications"), form_class=PublicationForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.publications_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_publication_for(actor, pk),
    create=_checked(lambda org, data, actor: actions.do_record_publication(org, data, actor=actor)),
    update=_checked(lambda obj, data, actor: actions.do_update_publication(obj, data, actor=actor)),
    columns=[Column(gettext_lazy("Date"), lambda p: p.date.strftime("%d.%m.%Y"), link=True),
             Column(gettext_lazy("Kind"), lambda p: p.get_kind_display()),
             Column(gettext_lazy("Title"), lambda p: p.title), Column(gettext_lazy("Views"), lambda p: p.views)],
)


quality_checks = Crud(
    name="quality_checks", title=gettext_lazy("Internal quality checks"), form_class=QualityCheckForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: queries.quality_checks_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_quality_check_for(actor, pk),
    create=_checked(lambda org, data, actor: actions.do_plan_quality_check(org, data, actor=actor)),
    update=_checked(lambda obj, data, actor: actions.do_update_quality_check(obj, data, actor=actor)),
    columns=[Column(gettext_lazy("Planned on"), lambda c: c.planned_on.strftime("%d.%m.%Y"), link=True),
             Column(gettext_lazy("Department"), lambda c: c.department.name),
             Column(gettext_lazy("Subject"), lambda c: c.subject),
             Column(gettext_lazy("Done on"), lambda c: c.done_on.strftime("%d.%m.%Y") if c.done_on else ""),
             Column(gettext_lazy("Findings"), lambda c: bool(c.findings.strip()) if c.done_on else None)],
    search=lambda qs, q: qs.filter(subject__icontains=q),
    detail_template="quality/check.html",
    # the confirmation step, then the check is deleted (director, deputy; audited)
    delete=lambda obj, actor: actions.do_delete_quality_check(obj, actor=actor),
    delete_question=gettext_lazy("Delete the check?"),
    delete_summary=lambda c: f"{formats.day(c.planned_on)} · {c.department.name} · {c.subject}",
)

@login_required
def response_add(request, pk: int):
    """A paper questionnaire typed in by staff."""
    actor = get_actor(request)
    survey = queries.get_survey_for(actor, pk)
    if not actor.can(Perm.MANAGE_ORG, survey.organisation_id):
        raise PermissionDenied
    form = ResponseForm(request.POST or None, organisation=survey.organisation,
                        initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_response(survey, date=data["date"], department=data["department"],
                                       answers={q: data[q] for q in rules.QUESTIONS}, actor=actor)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The questionnaire is recorded."))
            return redirect(reverse("quality_response_add", args=[survey.pk]))
    return render(request, "quality/response_form.html", {"survey": survey, "form": form})


@login_required
def facts_edit(request, pk: int):
    """The institution-level points of 344н for an assessment."""
    actor = get_actor(request)
    survey = queries.get_survey_for(actor, pk)
    if not actor.can(Perm.MANAGE_ORG, survey.organisation_id):
        raise PermissionDenied
    instance = NokFacts.objects.filter(survey=survey).first()
    form = NokFactsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_nok_facts(survey, form.cleaned_data, actor=actor)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("surveys_edit", args=[survey.pk]))
    return render(request, "quality/facts_form.html", {"survey": survey, "form": form})
