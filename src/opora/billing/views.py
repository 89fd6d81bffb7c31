"""Billing pages: the calculator, fee decisions, charges, balances, a person's account, receipts, fee data.
Thin: parse, call queries/actions, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import log_read
from opora.billing import actions, printing, queries, rules
from opora.billing.forms import (
    CalculatorForm,
    ChargesForm,
    DifferentiatedPaymentForm,
    FeeDecideForm,
    FeeRulesForm,
    IncomeForm,
    PaymentForm,
    SubsistenceMinimumForm,
)
from opora.billing.models import DifferentiatedPayment, FeeBranch, FeeRules, SubsistenceMinimum
from opora.core.context import actor_and_org, apply_errors, current_organisation
from opora.core.crud import Column, Crud
from opora.jurisdictions import jurisdiction_for
from opora.lib.dates import DateFormatError, parse_date
from opora.lib.errors import DomainError


def _actor(request, perm: str = Perm.VIEW_BILLING):
    """The actor, who must hold the right somewhere (403 otherwise); the object lookups then scope (404)."""
    actor = get_actor(request)
    if not actor.can(perm):
        raise PermissionDenied
    return actor


def _add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# --- calculator ----------------------------------------------------------------------------------------------

@login_required
def calculator(request):
    actor = get_actor(request)
    org = current_organisation(request)
    if not (actor.can(Perm.VIEW_CASEWORK, org.pk) or actor.can(Perm.VIEW_BILLING, org.pk)):
        raise PermissionDenied
    law = jurisdiction_for(org)
    form = CalculatorForm(request.POST or None, fee_rule=law.fee_rule)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        free = rules.free_category((c.code for c in data["categories"]),
                                   queries.free_category_codes(org.region, timezone.localdate()))
        percentage = data.get("percentage")
        if percentage is None and law.fee_rule == rules.RULE_429:
            configured = queries.differentiated_payment_in_force(org.region, timezone.localdate())
            percentage = configured.percentage if configured is not None else None
        try:
            result = rules.compute_fee_by(law.fee_rule, data["form"], data["income_per_capita"],
                                          data["subsistence_minimum"], data.get("coefficient", rules.MIN_COEFFICIENT),
                                          data["programme_cost"], free, percentage)
        except DomainError as exc:
            _add_domain_error(form, exc)
    htmx = bool(request.headers.get("HX-Request"))
    # htmx does not swap error responses, so a partial answers 200 with the errors in it
    status = 422 if request.method == "POST" and result is None and not htmx else 200
    template = "billing/_calculator_result.html" if htmx else "billing/calculator.html"
    branch_label = FeeBranch(str(result.branch)).label if result else ""
    return render(request, template, {"form": form, "result": result, "branch_label": branch_label,
                                      "ua_rule": law.fee_rule == rules.RULE_429}, status=status)


# --- fee decisions ---------------------------------------------------------------------------------------------

@login_required
def fee_decide(request, programme_pk: int):
    actor = _actor(request, Perm.EDIT_BILLING)
    programme = queries.get_programme_for(actor, programme_pk, Perm.EDIT_BILLING)
    form = FeeDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = actions.do_decide_fee(programme, form.cleaned_data["decided_on"], actor=actor,
                                             household_size=form.cleaned_data["household_size"])
        except DomainError as exc:
            _add_domain_error(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The fee decision is saved."))
            missing = decision.explanation.get("missing_months") or []
            if missing:
                messages.warning(request, _("The income of %(count)s of the 12 months is missing: the decision "
                                            "counts them as no income.") % {"count": len(missing)})
            return redirect("billing:fee_detail", pk=decision.pk)
    log_read(actor, [programme], via="web:fee-decide")  # the person's name and the months of income on record
    return render(request, "billing/fee_decide.html", {
        "form": form, "programme": programme,
        **queries.income_coverage(programme, (form.cleaned_data.get("decided_on") if form.is_bound and form.is_valid()
                                              else None) or timezone.localdate()),
    }, status=422 if form.errors else 200)


def _iso_months(values: list) -> list:
    out = []
    for value in values:
        try:
            out.append(parse_date(str(value), iso_only=True))
        except DateFormatError:
            continue
    return out


@login_required
def fee_detail(request, pk: int):
    actor = _actor(request)
    decision = queries.get_fee_decision_for(actor, pk)
    log_read(actor, [decision], via="web:fee-decision")
    application = decision.programme.application
    try:  # the application date stored in the explanation (ISO), when there is one
        stored = parse_date(str(decision.explanation.get("application_date") or ""), iso_only=True)
    except DateFormatError:
        stored = None
    applied = stored or (application.received_on if application is not None else decision.decided_on)
    return render(request, "billing/fee_detail.html", {
        "missing_months": _iso_months(decision.explanation.get("missing_months") or []),
        "d": decision, "text": rules.describe(decision.explanation), "applied_on": applied,
        # without an application the income is counted back from the decision date (as do_decide_fee does)
        "applied_by_decision": application is None,
    })


@login_required
def fee_print(request, pk: int, fmt: str):
    actor = _actor(request)
    decision = queries.get_fee_decision_for(actor, pk)
    log_read(actor, [decision], via="print:fee-decision")
    return printing.fee_decision_response(decision, fmt, actor=actor)


# --- charges, balances, a person's account ------------------------------------------------------------------------

@login_required
def charges(request):
    actor, org = actor_and_org(request, Perm.VIEW_BILLING)
    today = timezone.localdate()
    form = ChargesForm(request.POST or request.GET or None, initial={"month": today.replace(day=1)})
    month = form.cleaned_data["month"] if form.is_valid() else today.replace(day=1)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.do_compute_charges(org, month, actor=actor)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("Charges computed: %(created)s new, %(updated)s changed, %(unchanged)s "
                                        "unchanged.") % result)
            return redirect(f"{request.path}?month={month:%Y-%m}")
    qs = queries.charges_for(actor, org.pk, month)
    # 100 rows a page, as the balances (issue 18: a centre's month is ≈1 400 charges; the totals stay the month's).
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    log_read(actor, rows, via="web:charges", many=True)
    return render(request, "billing/charges.html", {
        "form": form, "month": month, "month_value": f"{month:%Y-%m}", "charges": rows, "page": page,
        "totals": queries.charge_totals(qs),
        "can_edit": actor.can(Perm.EDIT_BILLING, org.pk),
    }, status=422 if form.errors and request.method == "POST" else 200)


@login_required
def balances(request):
    actor, org = actor_and_org(request, Perm.VIEW_BILLING)
    which = request.GET.get("which", "")
    page = Paginator(queries.balances_for(actor, org.pk, which), 100).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:balances", many=True)
    return render(request, "billing/balances.html", {"page": page, "which": which})


@login_required
def person(request, pk: int):
    actor = _actor(request)
    recipient = queries.get_billing_recipient(actor, pk)
    log_read(actor, [recipient], via="web:billing-person")
    can_edit = actor.can(Perm.EDIT_BILLING, recipient.organisation_id)
    return render(request, "billing/person.html", {
        "r": recipient, "charges": recipient.charges.all(), "payments": recipient.payments.all(),
        "decisions": recipient.fee_decisions.select_related("programme"),
        "incomes": queries.income_records_for(actor, recipient), "balance": queries.balance_of(recipient),
        "can_edit": can_edit, "can_add_income": can_edit or actor.can(Perm.EDIT_CASEWORK, recipient.organisation_id),
        "programmes": queries.programmes_of(recipient) if can_edit else [],
        "mismatches": queries.fee_mismatches_of(recipient, timezone.localdate()),
    })


@login_required
def payment_add(request, pk: int):
    actor = _actor(request, Perm.EDIT_BILLING)
    recipient = queries.get_billing_recipient(actor, pk, Perm.EDIT_BILLING)
    form = PaymentForm(request.POST or None, recipient=recipient)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_payment(recipient, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("billing:person", pk=recipient.pk)
    log_read(actor, [recipient], via="web:payment")
    return render(request, "billing/form.html", {"form": form, "r": recipient, "title": _("Payment received")},
                  status=422 if form.errors else 200)


def _income_actor(request):
    """Billing staff and casework staff (specialists, department heads) record income (as do_add_income)."""
    actor = get_actor(request)
    if not queries.may_record_income(actor):
        raise PermissionDenied
    return actor


def _income_back(actor, recipient) -> str:
    """Where to return after an income change: the billing page for those who see it, else the income page."""
    if queries.billing_recipients(actor).filter(pk=recipient.pk).exists():
        return reverse("billing:person", args=[recipient.pk])
    return reverse("billing:income_add", args=[recipient.pk])


@login_required
def income_add(request, pk: int):
    actor = _income_actor(request)
    recipient = queries.get_income_recipient(actor, pk)
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_income(recipient, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Income recorded."))
            return redirect(_income_back(actor, recipient))
    back = _income_back(actor, recipient)
    log_read(actor, [recipient], via="web:income")  # the person's income records
    return render(request, "billing/form.html", {
        "form": form, "r": recipient, "title": _("Income"), "incomes": queries.income_records_for(actor, recipient),
        "back": back if back != request.path else reverse("recipient_detail", args=[recipient.pk]),
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def income_delete(request, pk: int, record_pk: int):
    actor = _income_actor(request)
    recipient = queries.get_income_recipient(actor, pk)
    record = get_object_or_404(queries.income_records_for(actor, recipient), pk=record_pk)
    actions.do_delete_income(record, actor=actor)
    messages.success(request, _("Deleted."))
    return redirect(_income_back(actor, recipient))


@login_required
def receipt(request, pk: int, fmt: str):
    actor = _actor(request)
    charge = queries.get_charge_for(actor, pk)
    log_read(actor, [charge], via="print:receipt")
    return printing.receipt_response(charge, fmt, actor=actor)


# --- configurable data --------------------------------------------------------------------------------------------

def _global_object(model):
    return lambda actor, pk, perm: get_object_or_404(model, pk=pk)


minimums = Crud(
    name="billing:minimums", title=gettext_lazy("Subsistence minimums"), form_class=SubsistenceMinimumForm,
    view_perm=Perm.MANAGE_RULES, edit_perm=Perm.MANAGE_RULES,
    list_query=lambda actor, org: SubsistenceMinimum.objects.all(),
    get_object=_global_object(SubsistenceMinimum),
    create=lambda org, data, actor: actions.do_save_subsistence_minimum(None, data, actor=actor),
    update=lambda obj, data, actor: actions.do_save_subsistence_minimum(obj, data, actor=actor),
    search=lambda qs, q: qs.filter(region__icontains=q),
    columns=[Column(gettext_lazy("Region"), lambda m: m.region or _("(default)"), link=True),
             Column(gettext_lazy("Year"), lambda m: str(m.year)),  # a year is never grouped
             Column(gettext_lazy("Group"), lambda m: m.get_group_display()),
             Column(gettext_lazy("Amount"), lambda m: m.amount)],
    form_kwargs=lambda org: {},
)

fee_rules = Crud(
    name="billing:rules", title=gettext_lazy("Fee rules"), form_class=FeeRulesForm,
    view_perm=Perm.MANAGE_RULES, edit_perm=Perm.MANAGE_RULES,
    list_query=lambda actor, org: FeeRules.objects.prefetch_related("free_categories"),
    get_object=_global_object(FeeRules),
    create=lambda org, data, actor: actions.do_save_fee_rules(None, data, actor=actor),
    update=lambda obj, data, actor: actions.do_save_fee_rules(obj, data, actor=actor),
    columns=[Column(gettext_lazy("Region"), lambda r: r.region or _("(default)"), link=True),
             Column(gettext_lazy("Valid from"), lambda r: r.valid_from),
             Column(gettext_lazy("Threshold coefficient"), lambda r: r.coefficient),
             Column(gettext_lazy("Categories served free"),
                    lambda r: ", ".join(c.label for c in r.free_categories.all()))],
    form_kwargs=lambda org: {},
)

differentiated = Crud(
    name="billing:differentiated", title=gettext_lazy("Differentiated payment (Ukraine)"),
    form_class=DifferentiatedPaymentForm, view_perm=Perm.MANAGE_RULES, edit_perm=Perm.MANAGE_RULES,
    list_query=lambda actor, org: DifferentiatedPayment.objects.all(),
    get_object=_global_object(DifferentiatedPayment),
    create=lambda org, data, actor: actions.do_save_differentiated_payment(None, data, actor=actor),
    update=lambda obj, data, actor: actions.do_save_differentiated_payment(obj, data, actor=actor),
    columns=[Column(gettext_lazy("Region"), lambda r: r.region or _("(default)"), link=True),
             Column(gettext_lazy("Valid from"), lambda r: r.valid_from),
             Column(gettext_lazy("Differentiated percentage (unconfirmed)"), lambda r: r.percentage)],
    form_kwargs=lambda org: {},
)


def crud_urls(crud: Crud, short: str) -> list:
    return [
        path(f"{short}/", login_required(crud.list_view), name=short),
        path(f"{short}/list/", login_required(crud.list_view), name=f"{short}_list"),
        path(f"{short}/new/", login_required(crud.create_view), name=f"{short}_create"),
        path(f"{short}/<int:pk>/", login_required(crud.edit_view), name=f"{short}_edit"),
    ]
