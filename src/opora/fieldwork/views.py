"""Pages of field work: the visits (the form works on a 390 px phone) and the release notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opora.accounts.roles import Perm
from opora.audit.log import choice_records, log_read
from opora.core.context import actor_and_org, apply_errors
from opora.fieldwork import actions, queries
from opora.fieldwork.forms import NoticeForm, VisitForm
from opora.fieldwork.rules import NoticeOutcome, VisitKind
from opora.lib.dates import DateFormatError, parse_date


def _day(text: str | None) -> object:
    try:
        return parse_date(text, iso_only=True) if text else None
    except DateFormatError:
        return None


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_PEOPLE)
    qs = queries.visits_for(actor).filter(organisation=org).select_related("family", "recipient", "settlement",
                                                                            "worker")
    kind = request.GET.get("kind", "")
    if kind in VisitKind.values:
        qs = qs.filter(kind=kind)
    start, end = _day(request.GET.get("from")), _day(request.GET.get("to"))
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:visits", many=True)
    return render(request, "fieldwork/visit_list.html", {
        "page": page, "kinds": VisitKind.choices, "kind": kind, "start": start, "end": end,
        "can_record": actor.can(Perm.RECORD_SERVICES, org.pk), "notices": queries.may_handle_notices(actor, org.pk)})


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    form = VisitForm(request.POST or None, organisation=org, actor=actor,
                     initial={"family": request.GET.get("family"), "recipient": request.GET.get("recipient")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_visit(org, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect("fieldwork:visit_list")
    log_read(actor, [], via="web:visit-new", listed=choice_records(form))  # the people and families it lists
    return render(request, "fieldwork/visit_form.html", {"form": form})


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_PEOPLE)
    if not queries.may_handle_notices(actor, org.pk):
        raise PermissionDenied
    qs = queries.notices_for(actor).filter(organisation=org).select_related("settlement", "recipient")
    outcome = request.GET.get("outcome", "")
    if outcome in NoticeOutcome.values:
        qs = qs.filter(outcome=outcome)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:release-notices", many=True)
    return render(request, "fieldwork/notice_list.html", {"page": page, "outcomes": NoticeOutcome.choices,
                                                          "outcome": outcome})


@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.EDIT_PEOPLE)
    if not queries.may_handle_notices(actor, org.pk, Perm.EDIT_PEOPLE):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, organisation=org, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_notice(org, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fieldwork:notice_list")
    log_read(actor, [], via="web:release-notice-new", listed=choice_records(form))
    return render(request, "fieldwork/notice_form.html", {"form": form})


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_PEOPLE)
    notice = queries.get_notice_for(actor, pk)
    if request.method == "GET":
        actions.do_view_notice(notice, actor=actor)
    form = NoticeForm(request.POST or None, instance=notice, organisation=notice.organisation, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_notice(queries.get_notice_for(actor, pk, Perm.EDIT_PEOPLE), form.cleaned_data,
                                     actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("fieldwork:notice_list")
    log_read(actor, [], via="web:release-notice", listed=choice_records(form))  # the person its picker names
    return render(request, "fieldwork/notice_form.html", {"form": form, "notice": notice})
