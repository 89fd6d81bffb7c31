"""Plan pages: the list, a plan with its items and marks for a period, the item and mark editors with a picker of
indicators and a preview of the values (HTMX). Thin: the queries read, the actions write."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.core.context import actor_and_org
from opora.core.crud import confirm_delete
from opora.indicators.format import format_value
from opora.indicators.registry import all_indicators, get_indicator
from opora.lib.errors import DomainError
from opora.lib.periods import PERIOD_CODES, Period, PeriodError
from opora.plans import rules
from opora.plans.actions import ItemData, do_copy_plan, do_create_plan, do_delete_plan, do_save_item, do_save_mark
from opora.plans.forms import CopyForm, ItemForm, MarkForm, PlanForm
from opora.plans.models import Plan, PlanMark
from opora.plans.queries import Values, due_without_mark_for, execution, get_item_for, get_plan_for, plans_for


def _period(plan: Plan, code: str) -> Period:
    today = timezone.localdate()
    if not code:
        code = f"q{(today.month - 1) // 3 + 1}" if today.year == plan.year else "year"
    try:
        return Period.from_code(plan.year, code)
    except PeriodError:
        return Period.year_of(plan.year)


def _periods(plan: Plan) -> list[tuple[str, str]]:
    return [(c, Period.from_code(plan.year, c).label()) for c in PERIOD_CODES]


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_DASHBOARD)
    can_edit = actor.can(Perm.MANAGE_ORG, org.pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            plan = do_create_plan(org, actor=actor, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return HttpResponseRedirect(reverse("workplans:detail", args=[plan.pk]))
    return render(request, "plans/plan_list.html", {"plans": plans_for(actor, org.pk), "form": form,
                                                    "can_edit": can_edit})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor, _org = actor_and_org(request, Perm.VIEW_DASHBOARD)
    plan = get_plan_for(actor, pk)
    period = _period(plan, request.GET.get("period", ""))
    can_edit = actor.can(Perm.MANAGE_ORG, plan.organisation_id)
    copy_form = CopyForm(request.POST or None, initial={"year": plan.year + 1})
    if request.method == "POST" and can_edit and copy_form.is_valid():
        try:
            new = do_copy_plan(plan, actor=actor, **copy_form.cleaned_data)
        except DomainError as exc:
            copy_form.add_error(exc.field if exc.field in copy_form.fields else None, exc.message)
        else:
            messages.success(request, _("The plan was copied."))
            return HttpResponseRedirect(reverse("workplans:detail", args=[new.pk]))
    rows = execution(plan, period.start, period.end)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "rows": rows, "period": period, "periods": _periods(plan), "can_edit": can_edit,
        "copy_form": copy_form, "formats": ("docx", "xlsx", "pdf", "html", "json"),
        "organisation_code": plan.organisation.code})


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step, then the plan, its items and their marks are deleted (audited)."""
    actor = get_actor(request)
    plan = get_plan_for(actor, pk, Perm.MANAGE_ORG)
    holds = {"items": plan.items.count(), "marks": PlanMark.objects.filter(item__plan=plan).count()}
    return confirm_delete(
        request, plan, lambda: do_delete_plan(plan, actor=actor),
        question=_("Delete the plan «%(code)s»?") % {"code": plan.code},
        summary=f"{plan.title} · {plan.get_kind_display()} · {plan.year}",
        holds=_("Its %(items)s items and %(marks)s execution marks of periods are deleted with it. This cannot be "
                "undone; the audit log keeps the plan.") % holds,
        done=_("The plan «%(code)s» was deleted.") % {"code": plan.code}, then=reverse("workplans:list"),
        back=reverse("workplans:detail", args=[plan.pk]), back_label=plan.title)


def _item_data(data: dict[str, Any]) -> ItemData:
    return ItemData(number=data["number"], text=data["text"], section=data["section"] or "",
                    deadline=data["deadline"] or "", responsible=data["responsible"] or "", mark=data["mark"] or "",
                    indicator=data["indicator"] or "", params=rules.parse_params(data["params"] or ""),
                    target=data["target"])


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    actor, _org = actor_and_org(request, Perm.MANAGE_ORG)
    plan = get_plan_for(actor, pk, Perm.MANAGE_ORG)
    item = get_item_for(actor, item_pk, Perm.MANAGE_ORG) if item_pk else None
    if item is not None and item.plan_id != plan.pk:
        raise Http404("no such item in this plan")
    initial = {}
    if item is not None:
        initial = {f: getattr(item, f) for f in ("number", "section", "text", "deadline", "responsible", "mark",
                                                 "indicator", "target")}
        initial["params"] = rules.format_params(item.params)
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_item(plan, _item_data(form.cleaned_data), item=item, actor=actor)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return HttpResponseRedirect(reverse("workplans:detail", args=[plan.pk]))
    return render(request, "plans/item_form.html", {
        "plan": plan, "item": item, "form": form, "periods": _periods(plan), "period": _period(plan, ""),
        "indicators": all_indicators()})


@login_required
def mark_edit(request: HttpRequest, item_pk: int) -> HttpResponse:
    actor, _org = actor_and_org(request, Perm.MANAGE_ORG)
    item = get_item_for(actor, item_pk, Perm.MANAGE_ORG)
    plan = item.plan
    period = _period(plan, request.GET.get("period", ""))
    own = PlanMark.objects.filter(item=item, start=period.start, end=period.end).first()
    form = MarkForm(request.POST or None, initial={"text": own.text if own else item.mark})
    if request.method == "POST" and form.is_valid():
        try:
            do_save_mark(item, period.start, period.end, form.cleaned_data["text"], actor=actor)
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            return HttpResponseRedirect(reverse("workplans:detail", args=[plan.pk]) + f"?period={period.code}")
    return render(request, "plans/mark_form.html", {
        "plan": plan, "item": item, "form": form, "period": period, "periods": _periods(plan),
        "indicators": all_indicators()})


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the mark as it will read for the period, or the first problem with its position."""
    actor, _org = actor_and_org(request, Perm.VIEW_DASHBOARD)
    plan = get_plan_for(actor, pk)
    period = _period(plan, request.GET.get("period", ""))
    text = request.GET.get("mark") or request.GET.get("text") or ""
    try:
        rules.check_mark(text, {i.name: frozenset(i.params) for i in all_indicators()})
        rendered, error = Values(plan.organisation_id, period.start, period.end).render(text), ""
    except DomainError as exc:
        rendered, error = "", exc.message
    return render(request, "plans/_preview.html", {"rendered": rendered, "error": error, "period": period})


@login_required
def picker(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the picker of indicators: the chosen indicator's parameters, the placeholder they make and its value
    for the period; with ``insert`` the mark's field comes back with the placeholder appended."""
    actor, _org = actor_and_org(request, Perm.VIEW_DASHBOARD)
    plan = get_plan_for(actor, pk)
    period = _period(plan, request.GET.get("period", ""))
    name = request.GET.get("indicator_pick", "")
    chosen = None
    placeholder = value = error = ""
    fields: list[dict[str, Any]] = []
    try:
        chosen = get_indicator(name) if name else None
    except DomainError as exc:
        error = exc.message
    if chosen is not None:
        params = {}
        for key, spec in chosen.params.items():
            given = request.GET.get(f"p_{key}", "").strip()
            fields.append({"name": key, "help": spec.help, "choices": spec.choices, "value": given})
            if given:
                params[key] = given
        placeholder = "{{ " + " ".join([chosen.name, *(f"{k}={v}" for k, v in params.items())]) + " }}"
        try:
            value = format_value(chosen.compute([plan.organisation_id], period.start, period.end, params),
                                 chosen.unit)
        except DomainError as exc:
            error = exc.message
    if request.GET.get("insert") and placeholder and not error:
        field = "text" if "text" in request.GET else "mark"  # the period's mark editor names its field "text"
        mark = request.GET.get(field, "")
        return render(request, "plans/_mark_field.html", {
            "name": field, "text": (mark + (" " if mark and not mark.endswith(" ") else "") + placeholder)})
    return render(request, "plans/_picker.html", {
        "plan": plan, "period": period, "indicators": all_indicators(), "chosen": chosen, "fields": fields,
        "placeholder": placeholder, "value": value, "error": error})


def due_items_context(actor: Any, organisation_id: int, today: datetime.date) -> dict[str, Any]:
    """For the dashboard's include: the actor's items due this quarter without a mark, and two figures of the month
    so far quoted from the registry of indicators (the same numbers a plan's mark would show)."""
    quarter = Period.quarter_of(today.year, (today.month - 1) // 3 + 1)
    month_start = today.replace(day=1)
    figures = [(get_indicator(name).title, format_value(get_indicator(name).compute([organisation_id], month_start,
                                                                                    today), get_indicator(name).unit))
               for name in ("services", "income")]
    return {"plan_items_due": due_without_mark_for(actor, organisation_id, quarter.start, quarter.end),
            "plan_items_period": quarter, "month_figures": figures}
