"""Programmes and contracts pages. Thin: parse, call queries/actions, render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import log_read
from opora.core.confirm import run_confirmed
from opora.core.context import actor_and_org, apply_errors
from opora.core.reference import DischargeReason
from opora.documents.http import document_response
from opora.intake.queries import applications_for
from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.people.models import Enrolment
from opora.people.queries import get_recipient_for
from opora.programmes import actions, printing_ua, queries
from opora.programmes.forms import (
    AmendmentForm,
    ContractForm,
    ProgrammeFilterForm,
    ProgrammeForm,
    TerminateForm,
    UndoTerminationForm,
    item_formset,
    items_from,
)
from opora.programmes.models import Programme


def _add_error(form, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif isinstance(exc, ValidationError):
        apply_errors(form, exc)


def _programme_data(form) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


@login_required
def programme_list(request):
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    form = ProgrammeFilterForm(request.GET or None, departments=queries.departments_for(actor, org.pk))
    qs = queries.programmes_for(actor, org.pk)
    if form.is_valid():
        d = form.cleaned_data
        qs = queries.filter_programmes(qs, status=d["status"] or None,
                                       department_id=d["department"].pk if d["department"] else None)
    page = Paginator(queries.for_list(qs), 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:programmes", many=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programmes/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "can_edit": actor.can(Perm.EDIT_CASEWORK, org.pk),
    })


@login_required
def programme_create(request):
    actor, org = actor_and_org(request, Perm.EDIT_CASEWORK)
    application = None
    if request.GET.get("application"):
        application = get_object_or_404(applications_for(actor, Perm.EDIT_CASEWORK).select_related("recipient"),
                                        pk=_int(request.GET["application"]), organisation=org)
        recipient = application.recipient
    elif request.GET.get("recipient"):
        recipient = get_recipient_for(actor, _int(request.GET["recipient"]), Perm.EDIT_CASEWORK)
    else:
        raise Http404
    initial: dict[str, Any] = {"drawn_up_on": timezone.localdate(), "valid_from": timezone.localdate(),
                               "provider": org.name}
    if application is not None:
        initial.update(form=application.decided_form or application.requested_form, department=application.department)
        assessment = application.assessments.order_by("-examined_on", "-id").first()
        if assessment is not None:
            initial.update(care_level=assessment.care_level, weekly_hours=assessment.weekly_hours)
    form = ProgrammeForm(request.POST or None, initial=initial, organisation=org)
    formset = item_formset(request.POST or None, organisation=org, empty_rows=6)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = _programme_data(form)
        if application is not None:
            data["application"] = application
        warnings = queries.warnings_to_confirm(recipient, timezone.localdate())
        try:
            programme = run_confirmed(
                lambda: actions.do_create_programme(recipient, data, items_from(formset), actor=actor),
                warnings, request.POST.get("confirm_warnings") == "1", actor=actor)
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
            warnings = []
        else:
            if programme is not None:
                for warning in getattr(programme, "warnings", []):
                    messages.warning(request, warning)
                messages.success(request, _("The programme is drawn up."))
                return redirect("programmes:detail", programme.pk)
    return render(request, "programmes/programme_form.html", {
        "form": form, "formset": formset, "r": recipient, "application": application,
        "title": _("New individual programme"), "warnings": warnings,
    })


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


@login_required
def programme_detail(request, pk: int):
    actor = get_actor(request)
    programme = queries.get_programme_for(actor, pk)
    log_read(actor, [programme], via="web:programme")
    on = timezone.localdate()
    on = min(max(on, programme.valid_from), programme.valid_to)
    lines = queries.programme_cost_lines(programme, on)
    return render(request, "programmes/programme_detail.html", {
        "p": programme, "r": programme.recipient, "lines": lines,
        "cost": queries.programme_monthly_cost(programme, on), "cost_on": on,
        "missing_tariffs": [line.item.service for line in lines if line.tariff is None],
        "versions": queries.versions_of(programme),
        "contracts": list(queries.contracts_of(programme).order_by("-signed_on")),
        "open_contract": queries.open_contract_of(programme),
        "warnings": actions.late_warnings(programme),
        "can_edit": actor.can(Perm.EDIT_CASEWORK, programme.organisation_id),
    })


@login_required
def programme_revise(request, pk: int):
    actor = get_actor(request)
    programme = queries.get_programme_for(actor, pk, Perm.EDIT_CASEWORK)
    org = programme.organisation
    initial = {f: getattr(programme, f) for f in actions.PROGRAMME_FIELDS if f != "number"}
    initial.update(drawn_up_on=timezone.localdate(), valid_from=max(timezone.localdate(), programme.valid_from))
    items = [{"service": i.service, "volume": i.volume, "period": i.period, "periodicity": i.periodicity}
             for i in programme.items.all()]
    form = ProgrammeForm(request.POST or None, initial=initial, organisation=org, number_editable=False)
    formset = item_formset(request.POST or None, organisation=org, initial=items, empty_rows=3)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            new = actions.do_revise_programme(programme, _programme_data(form), items_from(formset), actor=actor)
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Version %(version)s of the programme is drawn up.") % {"version": new.version})
            return redirect("programmes:detail", new.pk)
    return render(request, "programmes/programme_form.html", {
        "form": form, "formset": formset, "r": programme.recipient, "programme": programme,
        "title": _("Revise programme %(number)s") % {"number": programme.number},
    })


@login_required
@require_POST
def programme_close(request, pk: int):
    actor = get_actor(request)
    programme = queries.get_programme_for(actor, pk, Perm.EDIT_CASEWORK)
    try:
        actions.do_close_programme(programme, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The programme is closed."))
    return redirect("programmes:detail", programme.pk)


@login_required
def programme_print(request, pk: int):
    actor = get_actor(request)
    programme = queries.get_programme_for(actor, pk)
    log_read(actor, [programme], via="print:programme")
    doc = printing_ua.programme_document_for(programme)  # the Ukrainian plan for a ua organisation
    filename = _("Programme %(number)s-%(version)s") % {"number": programme.number, "version": programme.version}
    return document_response(doc, request.GET.get("format", "pdf"), filename)


# --- contracts -------------------------------------------------------------------------------------------------

@login_required
def contract_create(request, pk: int):
    actor = get_actor(request)
    programme: Programme = queries.get_programme_for(actor, pk, Perm.EDIT_CASEWORK)
    org = programme.organisation
    enrolment = programme.recipient.enrolments.filter(department=programme.department,
                                                      discharged_on__isnull=True).first()
    # The programme's start, or the day after its last contract ended (a programme may have ended in the past).
    ended = queries.last_contract_end(programme)
    start = max(programme.valid_from, ended + datetime.timedelta(days=1)) if ended else programme.valid_from
    initial = {"signed_on": min(start, timezone.localdate()), "valid_from": start,
               "valid_to": programme.valid_to, "signatory": queries.director_name(org.pk),
               "worker": enrolment.worker if enrolment else None}
    form = ContractForm(request.POST or None, initial=initial, organisation=org)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        warnings = queries.warnings_to_confirm(programme.recipient, timezone.localdate())
        try:
            contract = run_confirmed(lambda: actions.do_sign_contract(programme, _programme_data(form), actor=actor),
                                     warnings, request.POST.get("confirm_warnings") == "1", actor=actor)
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
            warnings = []
        else:
            if contract is not None:
                messages.success(request, _("The contract is signed and the person admitted to service."))
                return redirect("programmes:contract_detail", contract.pk)
    return render(request, "programmes/contract_form.html", {
        "form": form, "r": programme.recipient, "programme": programme,
        "title": _("Contract on programme %(number)s") % {"number": programme.number}, "warnings": warnings,
    })


@login_required
def contract_detail(request, pk: int):
    actor = get_actor(request)
    contract = queries.get_contract_for(actor, pk)
    log_read(actor, [contract], via="web:contract")
    today = timezone.localdate()
    return render(request, "programmes/contract_detail.html", {
        "c": contract, "r": contract.recipient, "terms": queries.terms_in_force(contract, today),
        "amendments": list(contract.amendments.all()),
        "can_edit": actor.can(Perm.EDIT_CASEWORK, contract.organisation_id),
        "undo": queries.termination_to_undo(contract)
        if actor.can(Perm.UNDO_TERMINATION, contract.organisation_id) else None,
        "mismatch": queries.fee_mismatch(contract, today),
    })


@login_required
def contract_amend(request, pk: int):
    actor = get_actor(request)
    contract = queries.get_contract_for(actor, pk, Perm.EDIT_CASEWORK)
    form = AmendmentForm(request.POST or None, contract=contract,
                         initial={"signed_on": timezone.localdate(), "valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            amendment = actions.do_amend_contract(contract, _programme_data(form), actor=actor)
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("Additional agreement %(number)s is recorded.") % {"number": amendment.number})
            return redirect("programmes:contract_detail", contract.pk)
    return render(request, "programmes/contract_form.html", {
        "form": form, "r": contract.recipient, "contract": contract,
        "title": _("Additional agreement to contract %(number)s") % {"number": contract.number},
    })


@login_required
def contract_terminate(request, pk: int):
    """Termination is its own step: the page shows what will happen, asks for the ground and the date (no
    defaults), then shows them again for confirmation; only the confirmed POST terminates."""
    actor = get_actor(request)
    contract = queries.get_contract_for(actor, pk, Perm.EDIT_CASEWORK)
    if contract.terminated_on is not None:
        messages.error(request, _("The contract was already terminated on %(day)s.")
                       % {"day": fmt_day(contract.terminated_on)})
        return redirect("programmes:contract_detail", contract.pk)
    form = TerminateForm(request.POST or None)
    confirm = False
    if request.method == "POST" and form.is_valid():
        day, reason = form.cleaned_data["terminated_on"], form.cleaned_data["reason"]
        problem = actions.termination_problem(contract, day)
        if problem is not None:
            _add_error(form, problem)
        elif request.POST.get("confirm") == "1":
            try:
                actions.do_terminate_contract(contract, day, reason, actor=actor)
            except (DomainError, ValidationError) as exc:
                _add_error(form, exc)
            else:
                messages.success(request, _("The contract is terminated and the person discharged."))
                return redirect("programmes:contract_detail", contract.pk)
        else:
            confirm = True
    preview = queries.termination_preview(contract)
    return render(request, "programmes/contract_terminate.html", {
        "form": form, "c": contract, "r": contract.recipient, "preview": preview, "confirm": confirm,
        "reason_label": DischargeReason(form.cleaned_data["reason"]).label if confirm else "",
    }, status=422 if form.errors else 200)


@login_required
def contract_undo_termination(request, pk: int):
    """A director undoes a termination made by mistake, saying why."""
    actor = get_actor(request)
    contract = queries.get_contract_for(actor, pk, Perm.EDIT_CASEWORK)
    if not actor.can(Perm.UNDO_TERMINATION, contract.organisation_id):
        raise PermissionDenied(_("Only the director can undo a termination."))
    termination = queries.termination_to_undo(contract)
    if termination is None:
        messages.error(request, _("There is no termination of this contract to undo."))
        return redirect("programmes:contract_detail", contract.pk)
    form = UndoTerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            undone = actions.do_undo_termination(contract, form.cleaned_data["reason"], actor=actor)
        except (DomainError, ValidationError) as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("The termination is undone: the contract, the service and the programme "
                                        "are in force again."))
            for note in getattr(undone, "undo_notes", []):  # billing: the months already charged, recomputed
                messages.info(request, note)
            return redirect("programmes:contract_detail", contract.pk)
    enrolments = list(Enrolment.objects.filter(pk__in=termination.enrolment_ids).select_related("department"))
    return render(request, "programmes/contract_undo.html", {
        "form": form, "c": contract, "r": contract.recipient, "t": termination, "enrolments": enrolments,
    }, status=422 if form.errors else 200)


@login_required
def contract_print(request, pk: int):
    actor = get_actor(request)
    contract = queries.get_contract_for(actor, pk)
    log_read(actor, [contract], via="print:contract")
    doc = printing_ua.contract_document_for(contract)
    filename = _("Contract %(number)s") % {"number": contract.number}
    return document_response(doc, request.GET.get("format", "pdf"), filename)
