"""Intake pages: the journal of applications, registration, the card, the assessment, the decision. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import log_read
from opora.core.confirm import run_confirmed
from opora.core.context import actor_and_org, apply_errors
from opora.core.crud import Column, Crud
from opora.intake import actions, queries, questionnaire
from opora.intake.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AssessmentForm,
    CareLevelScaleForm,
    DecisionForm,
    NewPersonForm,
)
from opora.intake.models import Application
from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.org.models import Organisation
from opora.people.queries import get_recipient_for, recipients_for, search_recipients


def _domain_error(forms: list[BaseForm], exc: DomainError, rename: dict[str, str] | None = None) -> None:
    """Show a domain error next to the field it names, in whichever of the forms has that field."""
    field = (rename or {}).get(exc.field or "", exc.field)
    for form in forms:
        if field and field in form.fields:
            form.add_error(field, exc.message)
            return
    forms[0].add_error(None, exc.message)


def _validation_error(forms: list[BaseForm], exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        forms[0].add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        target.add_error(field if field in target.fields else None, errors)


def _departments_of(actor: Actor, org: Organisation) -> list[int] | None:
    """The departments a department-bound actor registers to; None when not bound."""
    grants = [g for g in actor.grants_with(Perm.EDIT_CASEWORK) if g.organisation_id == org.pk]
    if grants and all(actor.is_department_bound(g) for g in grants):
        return sorted({d for g in grants for d in g.department_ids})
    return None


@login_required
def application_list(request):
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    form = ApplicationFilterForm(request.GET or None, organisation=org)
    qs = queries.applications_for(actor)
    filters: dict = {"organisation_id": org.pk}
    if form.is_valid():
        data = form.cleaned_data
        filters.update(status=data["status"] or None, channel=data["channel"] or None,
                       department_id=data["department"].pk if data["department"] else None,
                       received_from=data["received_from"], received_to=data["received_to"],
                       overdue=data["overdue"])
    qs = queries.for_list(queries.filter_applications(qs, **filters))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:applications", many=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "intake/application_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate(),
        "can_edit": actor.can(Perm.EDIT_CASEWORK, org.pk)})


@login_required
def application_create(request):
    actor, org = actor_and_org(request, Perm.EDIT_CASEWORK)
    q = request.GET.get("q", "").strip()
    people = recipients_for(actor).filter(organisation=org)
    choices = list(search_recipients(people, q).order_by("search_name", "id")[:10]) if q else []
    if choices:
        log_read(actor, choices, via="web:person-search", many=True)
    if request.headers.get("HX-Request") and "q" in request.GET:
        return render(request, "intake/_person_choices.html", {"choices": choices, "q": q})
    chosen_id = request.POST.get("recipient") or request.GET.get("recipient")
    chosen = None
    if chosen_id:
        try:
            chosen = get_recipient_for(actor, int(chosen_id))
        except ValueError:
            chosen = None
    departments = _departments_of(actor, org)
    form = ApplicationForm(request.POST or None, organisation=org, departments=departments,
                           initial={"received_on": timezone.localdate(), "channel": "in_person",
                                    "department": departments[0] if departments else None})
    person_form = NewPersonForm(request.POST or None, organisation=org, prefix="person")
    warnings: list[str] = []
    if request.method == "POST":
        person_ok = chosen is not None or person_form.is_valid()
        if form.is_valid() and person_ok:
            if chosen is not None:
                warnings = queries.application_warnings(chosen, timezone.localdate())
            try:
                application = run_confirmed(lambda: actions.do_register_application(
                    org, form.cleaned_data, actor=actor, recipient=chosen,
                    new_person=None if chosen else person_form.domain_data(),
                    confirm_duplicate=bool(chosen is None and person_form.cleaned_data.get("confirm_duplicate"))),
                    warnings, request.POST.get("confirm_warnings") == "1", actor=actor)
            except DomainError as exc:
                warnings = []
                _domain_error([form, person_form], exc)
            except ValidationError as exc:
                warnings = []
                if getattr(exc, "code", None) == "possible_duplicate":
                    person_form.add_error(None, exc)
                    person_form.show_confirm = True  # type: ignore[attr-defined]
                else:
                    _validation_error([form, person_form], exc)
            else:
                if application is not None:
                    messages.success(request, _("The application is registered: № %(number)s, decision due "
                                                "%(due)s.") % {"number": application.number,
                                                               "due": fmt_day(application.decision_due)})
                    if chosen is None:
                        messages.warning(request, _("Record the person's consent to personal-data processing on "
                                                    "their card."))
                    return redirect("intake:detail", pk=application.pk)
    return render(request, "intake/application_form.html", {
        "form": form, "person_form": person_form, "chosen": chosen, "choices": choices, "q": q,
        "warnings": warnings})


def _programme_url(application: Application) -> str:
    try:
        base = reverse("programmes:create")
    except NoReverseMatch:
        base = "/programmes/new/"
    return f"{base}?application={application.pk}"


def _detail(request, actor: Actor, application: Application, *, decision_form=None, status: int = 200):
    can_edit = actor.can(Perm.EDIT_CASEWORK, application.organisation_id) and queries.applications_for(
        actor, Perm.EDIT_CASEWORK).filter(pk=application.pk).exists()
    assessments = []
    for a in application.assessments.all():
        answers = [(item.label, a.answers.get(item.code), next(
            (o.label for o in item.options if o.value == a.answers.get(item.code)), "")) for item in
            questionnaire.ITEMS]
        assessments.append((a, answers))
    if decision_form is None and application.is_open and can_edit:
        decision_form = DecisionForm(initial={"decided_on": timezone.localdate(),
                                              "form": application.requested_form})
    return render(request, "intake/application_detail.html", {
        "a": application, "assessments": assessments, "decision_form": decision_form, "can_edit": can_edit,
        "programme_url": _programme_url(application), "max_score": questionnaire.MAX_SCORE,
        "today": timezone.localdate()}, status=status)


@login_required
def application_detail(request, pk: int):
    actor = get_actor(request)
    application = queries.application_card(actor, pk)
    log_read(actor, [application], via="web:application")
    return _detail(request, actor, application)


def _for_edit(actor: Actor, pk: int) -> Application:
    application = queries.get_application_for(actor, pk)
    if not actor.can(Perm.EDIT_CASEWORK, application.organisation_id):
        raise PermissionDenied
    return queries.get_application_for(actor, pk, Perm.EDIT_CASEWORK)


@login_required
def application_assess(request, pk: int):
    actor = get_actor(request)
    application = _for_edit(actor, pk)
    form = AssessmentForm(request.POST or None, organisation=application.organisation,
                          initial={"examined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_assessment(application, form.act_data(), form.answers(), actor=actor)
        except DomainError as exc:
            field = exc.field or ""
            _domain_error([form], exc, {field: "q_" + field.split(".", 1)[1]} if field.startswith("answers.")
                          else None)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect("intake:detail", pk=application.pk)
    return render(request, "intake/assessment_form.html", {"a": application, "form": form,
                                                          "max_score": questionnaire.MAX_SCORE})


@login_required
def application_decide(request, pk: int):
    actor = get_actor(request)
    application = _for_edit(actor, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_decide(application, actor=actor, outcome=data["outcome"], decided_on=data["decided_on"],
                              form=data["form"] or None, reason=data["reason"],
                              no_assessment_reason=data["no_assessment_reason"])
        except DomainError as exc:
            _domain_error([form], exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("intake:detail", pk=application.pk)
    return _detail(request, actor, queries.application_card(actor, pk), decision_form=form)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    actor = get_actor(request)
    application = _for_edit(actor, pk)
    try:
        actions.do_withdraw_application(application, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("intake:detail", pk=application.pk)


care_scale = Crud(
    name="intake:care_scale", title=gettext_lazy("Care level scale"), form_class=CareLevelScaleForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_RULES,
    list_query=lambda actor, org: queries.scale_rows_for(actor),
    get_object=lambda actor, pk, perm: queries.get_scale_row_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_scale_row(data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_scale_row(obj, data, actor=actor),
    form_kwargs=lambda org: {},
    columns=[Column(gettext_lazy("Level of care need"), lambda r: r.level, link=True),
             Column(gettext_lazy("Region"), lambda r: r.region or "—"),
             Column(gettext_lazy("Valid from"), lambda r: fmt_day(r.valid_from)),
             Column(gettext_lazy("Score from"), lambda r: r.min_score),
             Column(gettext_lazy("Score to"), lambda r: r.max_score),
             Column(gettext_lazy("Package, hours a week"), lambda r: r.weekly_hours)],
)
