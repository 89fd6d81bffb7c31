"""The money screens: funds with their balances and receipts, campaigns, aid (list with filters, the form),
the budget of a year with its execution. Thin: the scoped queries and the audited actions do the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import choice_records, log_read
from opora.core.context import actor_and_org, apply_errors, current_organisation
from opora.core.crud import confirm_delete
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.money import actions, queries, rules
from opora.money.forms import (
    AidFilter,
    AidForm,
    BudgetLineForm,
    CampaignForm,
    FundForm,
    ReceiptForm,
    SpendingForm,
)
from opora.money.models import BudgetLine, Campaign, Fund
from opora.money.reference import BudgetFund
from opora.people.queries import families_for, recipients_for


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _domain(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def funds(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_MONEY)
    today = timezone.localdate()
    rows = [(f, queries.fund_balance(f, today)) for f in queries.funds_for(actor).filter(organisation=org)]
    return render(request, "money/funds.html", {
        "rows": rows, "today": today, "campaigns": queries.campaigns_for(actor).filter(organisation=org),
        "can_edit": actor.can(Perm.MANAGE_FUNDS, org.pk)})


@login_required
def fund_new(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.MANAGE_FUNDS)
    form = FundForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_fund(None, form.cleaned_data, actor=actor, organisation_id=org.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("money:funds")
    return render(request, "money/form.html", {"form": form, "title": _("New fund")}, status=_status(form))


@login_required
def receipt_new(request: HttpRequest, pk: int) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.MANAGE_FUNDS)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_receipt(fund, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("money:funds")
    return render(request, "money/form.html", {
        "form": form, "title": _("Receipt of the fund «%(fund)s»") % {"fund": fund.name},
        "receipts": fund.receipts.all()}, status=_status(form))


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.MANAGE_FUNDS)
    form = CampaignForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_campaign(None, form.cleaned_data, actor=actor, organisation_id=org.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("money:funds")
    return render(request, "money/form.html", {"form": form, "title": _("New campaign")}, status=_status(form))


def _edit(request: HttpRequest, form_class: Any, instance: Any, save: Any, title: str) -> HttpResponse:
    """The edit screen shared by funds, campaigns and budget lines: the form, then the audited action."""
    # The form works on its own copy: a model form writes the input into its instance while validating, and the
    # action must see the row as it was to audit the change.
    copy = type(instance)._default_manager.get(pk=instance.pk)
    form = form_class(request.POST or None, instance=copy, organisation=instance.organisation)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save(data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_back_of(instance))
    return render(request, "money/form.html", {"form": form, "title": title, "delete": _delete_url(instance)},
                  status=_status(form))


def _back_of(instance: Any) -> str:
    if isinstance(instance, BudgetLine):
        return f"{reverse('money:budget')}?year={instance.year}"
    return reverse("money:funds")


def _delete_url(instance: Any) -> str:
    name = {Fund: "fund_delete", Campaign: "campaign_delete", BudgetLine: "budget_line_delete"}[type(instance)]
    return reverse(f"money:{name}", args=[instance.pk])


def _delete(request: HttpRequest, instance: Any, delete: Any, what: str) -> HttpResponse:
    """The confirmation step of a delete: GET asks, POST deletes (or shows the refusal naming what depends)."""
    return confirm_delete(request, instance, delete, question=_("Delete %(what)s?") % {"what": what},
                          then=_back_of(instance))


@login_required
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    return _edit(request, FundForm, fund, lambda d: actions.do_save_fund(
        fund, d, actor=actor, organisation_id=fund.organisation_id),
                 _("Fund «%(name)s»") % {"name": fund.name})


@login_required
def fund_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    fund = queries.get_fund_for(actor, pk, Perm.MANAGE_FUNDS)
    return _delete(request, fund, lambda: actions.do_delete_fund(fund, actor=actor),
                   _("the fund «%(name)s»") % {"name": fund.name})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    campaign = queries.get_campaign_for(actor, pk, Perm.MANAGE_FUNDS)
    return _edit(request, CampaignForm, campaign, lambda d: actions.do_save_campaign(
        campaign, d, actor=actor, organisation_id=campaign.organisation_id),
                 _("Campaign «%(name)s»") % {"name": campaign.name})


@login_required
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    campaign = queries.get_campaign_for(actor, pk, Perm.MANAGE_FUNDS)
    return _delete(request, campaign, lambda: actions.do_delete_campaign(campaign, actor=actor),
                   _("the campaign «%(name)s»") % {"name": campaign.name})


@login_required
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    line = get_object_or_404(queries.budget_lines_for(actor, Perm.MANAGE_FUNDS), pk=pk)
    return _edit(request, BudgetLineForm, line, lambda d: actions.do_save_budget_line(
        line, d, actor=actor, organisation_id=line.organisation_id),
                 _("Budget line %(line)s") % {"line": str(line)})


@login_required
def budget_line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    line = get_object_or_404(queries.budget_lines_for(actor, Perm.MANAGE_FUNDS), pk=pk)
    return _delete(request, line, lambda: actions.do_delete_budget_line(line, actor=actor),
                   _("the budget line %(line)s") % {"line": str(line)})


@login_required
def aid_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    org = current_organisation(request)
    if not (actor.can(Perm.VIEW_MONEY, org.pk) or actor.can(Perm.RECORD_AID, org.pk)):
        raise PermissionDenied
    flt = AidFilter(request.GET or None, organisation=org)
    qs = queries.aid_for(actor).filter(organisation=org)
    if flt.is_valid():
        d = flt.cleaned_data
        qs = queries.filter_aid(qs, fund=d["fund"].code if d["fund"] else "", kind=d["kind"],
                                campaign=d["campaign"].code if d["campaign"] else "", start=d["start"],
                                end=d["end"])
    amount, recipients = rules.aid_totals(
        rules.AidRec(a.fund.code, a.kind, a.date, a.amount, a.recipient_id, a.family_id, a.quantity)
        for a in qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:aid", many=True)
    return render(request, "money/aid_list.html", {
        "filter": flt, "page": page, "amount": amount, "recipients": recipients,
        "can_record": actor.can(Perm.RECORD_AID, org.pk)})


@login_required
def aid_new(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.RECORD_AID)
    people = recipients_for(actor, Perm.RECORD_AID).filter(organisation=org)
    fams = families_for(actor, Perm.RECORD_AID).filter(organisation=org)
    initial = {"date": timezone.localdate(), "quantity": 1}
    for key in ("recipient", "family"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    form = AidForm(request.POST or None, organisation=org, recipients=people, families=fams, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.do_record_aid(form.cleaned_data, actor=actor, organisation_id=org.pk)
        except ValidationError as exc:
            apply_errors(form, exc)
        except DomainError as exc:
            _domain(form, exc)
        else:
            if result.warning:
                messages.warning(request, result.warning)
            messages.success(request, _("Aid recorded."))
            return redirect("money:aid")
    log_read(actor, [], via="web:aid-new", listed=choice_records(form))  # the people and families it lists
    return render(request, "money/form.html", {"form": form, "title": _("Aid given")}, status=_status(form))


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_MONEY)
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else timezone.localdate().year
    can_edit = actor.can(Perm.MANAGE_FUNDS, org.pk)
    line_form = BudgetLineForm(request.POST if request.POST.get("form") == "line" else None, organisation=org,
                               initial={"year": year})
    spend_form = SpendingForm(request.POST if request.POST.get("form") == "spending" else None, organisation=org)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        is_line = request.POST.get("form") == "line"
        form = line_form if is_line else spend_form

        def save(data: dict[str, Any]) -> object:
            if is_line:
                return actions.do_save_budget_line(None, data, actor=actor, organisation_id=org.pk)
            return actions.do_record_spending(data, actor=actor, organisation_id=org.pk)

        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={year}")
    period = Period.year_of(year)
    lines, spending = queries.budget_records([org.pk], period.start, period.end)
    rows = rules.budget_rows(lines, spending, period.start, period.end, list(BudgetFund.values))
    status = 422 if (line_form.errors or spend_form.errors) else 200
    year_lines = queries.budget_lines_for(actor, Perm.MANAGE_FUNDS).filter(organisation=org, year=year)
    return render(request, "money/budget.html", {
        "year": year, "rows": rows, "line_form": line_form, "spend_form": spend_form, "can_edit": can_edit,
        "year_lines": year_lines if can_edit else [],
    }, status=status)
