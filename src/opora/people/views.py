"""People: the recipient list and card, families. Thin: parse, call queries/actions, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import choice_records, log_read
from opora.audit.queries import access_history
from opora.core.context import actor_and_org, apply_errors
from opora.lib.dates import DateFormatError, parse_date
from opora.people import actions, export, fields, queries
from opora.people.forms import (
    ConsentForm,
    DischargeForm,
    EnrolmentForm,
    FamilyForm,
    FamilyMemberForm,
    RecipientFilterForm,
    RecipientForm,
    RepresentativeForm,
)


def _filtered_recipients(request, actor, org):
    form = RecipientFilterForm(request.GET or None, organisation=org)
    qs = queries.recipients_for(actor)
    if form.is_valid():
        data = form.cleaned_data
        qs = queries.search_recipients(qs, data["q"])
        qs = queries.filter_recipients(
            qs, organisation_id=org.pk, department_id=data["department"].pk if data["department"] else None,
            category=data["category"].code if data["category"] else None, sector=data["sector"] or None,
            status=data["status"] or None,
        )
    else:
        qs = queries.filter_recipients(qs, organisation_id=org.pk)
    return form, qs


@login_required
def pick(request, scope: str):
    """The search of a person or family picker (people/fields.py): at most PICK_LIMIT matches of the picker's scope
    in the current organisation, as buttons to choose from; every record shown is audited (one INSERT)."""
    if scope not in fields.PICK_SCOPES:
        raise Http404
    actor, org = actor_and_org(request, fields.PICK_SCOPES[scope].perm)
    # the box's name is "<field>__q" (people/fields.py SEARCH_SUFFIX); "q" answers too
    text = next((v for k, v in request.GET.items() if k == "q" or k.endswith(fields.SEARCH_SUFFIX)), "").strip()
    found = fields.search(scope, actor, org.pk, text)
    shown = found[:fields.PICK_LIMIT]
    log_read(actor, shown, via=f"web:pick-{scope}", many=True)
    return render(request, "people/_pick_choices.html", {
        "choices": [{"record": r, "label": fields.label_of(r)} for r in shown],
        "more": len(found) > len(shown), "limit": fields.PICK_LIMIT, "kind": fields.PICK_SCOPES[scope].kind,
        "short": len(text) < fields.PICK_MIN_CHARS, "min_chars": fields.PICK_MIN_CHARS})


@login_required
def recipient_list(request):
    actor, org = actor_and_org(request, Perm.VIEW_PEOPLE)
    form, qs = _filtered_recipients(request, actor, org)
    if request.GET.get("export") == "xlsx":
        return export.recipients_xlsx(queries.for_list(qs), actor=actor, organisation=org)
    page = Paginator(queries.for_list(qs), 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:people", many=True)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "can_edit": actor.can(Perm.EDIT_PEOPLE, org.pk)}
    template = "people/_recipient_rows.html" if request.headers.get("HX-Request") else "people/recipient_list.html"
    return render(request, template, context)


@login_required
def recipient_detail(request, pk: int):
    actor = get_actor(request)
    recipient = queries.recipient_card(actor, pk)
    actions.do_view_recipient(recipient, actor=actor)
    history = None
    if actor.can(Perm.VIEW_ACCESS_HISTORY, recipient.organisation_id):
        history = access_history(recipient, limit=50)
    # The household's members only when the family itself is in scope (one member in scope does not open it).
    in_scope = recipient.family_id is not None and queries.families_for(actor).filter(pk=recipient.family_id).exists()
    return render(request, "people/recipient_detail.html", {
        "r": recipient, "history": history, "can_edit": actor.can(Perm.EDIT_PEOPLE, recipient.organisation_id),
        "family_in_scope": in_scope,
    })


def _save_recipient(request, form, save):
    if form.is_valid():
        try:
            recipient = save(form)
        except ValidationError as exc:
            apply_errors(form, exc)
            if getattr(exc, "code", None) == "possible_duplicate":
                form.fields["confirm_duplicate"].widget.attrs["autofocus"] = True
                form.show_confirm = True
        else:
            messages.success(request, _("Saved."))
            return redirect("recipient_detail", pk=recipient.pk)
    return None


@login_required
def recipient_create(request):
    actor, org = actor_and_org(request, Perm.EDIT_PEOPLE)
    form = RecipientForm(request.POST or None, organisation=org, actor=actor)
    if request.method == "POST":
        response = _save_recipient(request, form, lambda f: actions.do_create_recipient(
            org, f.domain_data(), categories=f.cleaned_data["categories"], actor=actor,
            confirm_duplicate=f.cleaned_data["confirm_duplicate"]))
        if response:
            return response
    log_read(actor, [], via="web:person-new", listed=choice_records(form))  # the families of its drop-down
    return render(request, "people/recipient_form.html", {"form": form})


@login_required
def recipient_edit(request, pk: int):
    actor = get_actor(request)
    recipient = queries.get_recipient_for(actor, pk, Perm.EDIT_PEOPLE)
    form = RecipientForm(request.POST or None, instance=recipient, organisation=recipient.organisation,
                         actor=actor)
    if request.method == "POST":
        response = _save_recipient(request, form, lambda f: actions.do_update_recipient(
            queries.get_recipient_for(actor, pk, Perm.EDIT_PEOPLE), f.domain_data(),
            categories=f.cleaned_data["categories"], actor=actor,
            confirm_duplicate=f.cleaned_data["confirm_duplicate"]))
        if response:
            return response
    log_read(actor, [recipient], via="web:person-edit", listed=choice_records(form))
    return render(request, "people/recipient_form.html", {"form": form, "r": recipient})


def _sub_form(request, pk, form_class, save, title, form_kwargs):
    """A small form that adds something to a person's card (enrolment, consent, representative)."""
    actor = get_actor(request)
    recipient = queries.get_recipient_for(actor, pk, Perm.EDIT_PEOPLE)
    form = form_class(request.POST or None, **form_kwargs(recipient))
    if request.method == "POST" and form.is_valid():
        try:
            save(recipient, form.cleaned_data, actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("recipient_detail", pk=recipient.pk)
    return render(request, "people/sub_form.html", {"form": form, "r": recipient, "title": title})


@login_required
def enrol(request, pk: int):
    return _sub_form(request, pk, EnrolmentForm,
                     lambda r, data, actor: actions.do_enrol(r, data, actor=actor), _("Admit to service"),
                     form_kwargs=lambda r: {"organisation": r.organisation, "actor": get_actor(request)})


@login_required
def consent_add(request, pk: int):
    return _sub_form(request, pk, ConsentForm,
                     lambda r, data, actor: actions.do_add_consent(r, data, actor=actor),
                     _("Consent to personal data processing"), form_kwargs=lambda r: {})


@login_required
def representative_add(request, pk: int):
    return _sub_form(request, pk, RepresentativeForm,
                     lambda r, data, actor: actions.do_add_representative(r, data, actor=actor),
                     _("Legal representative"), form_kwargs=lambda r: {})


@login_required
def discharge(request, pk: int):
    actor = get_actor(request)
    enrolment = queries.get_enrolment_for(actor, pk)
    recipient = enrolment.recipient
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_discharge(enrolment, discharged_on=form.cleaned_data["discharged_on"],
                                 reason=form.cleaned_data["discharge_reason"], actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Discharged."))
            return redirect("recipient_detail", pk=recipient.pk)
    return render(request, "people/sub_form.html", {
        "form": form, "r": recipient, "title": _("Discharge from %(department)s") % {
            "department": enrolment.department.name}})


@login_required
def family_list(request):
    actor, org = actor_and_org(request, Perm.VIEW_PEOPLE)
    qs = queries.search_families(queries.families_for(actor).filter(organisation=org), request.GET.get("q", ""))
    try:  # the social register on a date (issue 14); an unreadable date shows every family, as an empty one does
        on_register = parse_date(request.GET["on_register"], short=True) if request.GET.get("on_register") else None
    except DateFormatError:
        on_register = None
    if on_register is not None:
        qs = queries.on_family_register(qs, on_register)
    page = Paginator(qs.prefetch_related("categories", "members").select_related("settlement"), 50).get_page(
        request.GET.get("page"))
    log_read(actor, page.object_list, via="web:families", many=True)
    return render(request, "people/family_list.html", {
        "page": page, "q": request.GET.get("q", ""), "on_register": on_register,
        "query": urlencode({k: v for k, v in (("q", request.GET.get("q", "")), ("on_register", on_register and
                                                                                  on_register.isoformat())) if v}),
        "can_edit": actor.can(Perm.EDIT_PEOPLE, org.pk)})


@login_required
def family_detail(request, pk: int):
    actor = get_actor(request)
    family = queries.get_family_for(actor, pk)
    visible = list(queries.recipients_for(actor).filter(family=family))
    log_read(actor, [family, *visible], via="web:family")
    return render(request, "people/family_detail.html", {
        "family": family, "recipients": visible, "member_form": FamilyMemberForm(),
        "can_edit": actor.can(Perm.EDIT_PEOPLE, family.organisation_id)})


@login_required
def family_create(request):
    actor, org = actor_and_org(request, Perm.EDIT_PEOPLE)
    form = FamilyForm(request.POST or None, organisation=org, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "categories"}
        try:
            family = actions.do_create_family(org, data, categories=form.cleaned_data["categories"], actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("family_detail", pk=family.pk)
    log_read(actor, [], via="web:family-new", listed=choice_records(form))
    return render(request, "people/family_form.html", {"form": form})


@login_required
def family_edit(request, pk: int):
    actor = get_actor(request)
    family = queries.get_family_for(actor, pk, Perm.EDIT_PEOPLE)
    form = FamilyForm(request.POST or None, instance=family, organisation=family.organisation, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "categories"}
        try:
            actions.do_update_family(queries.get_family_for(actor, pk, Perm.EDIT_PEOPLE), data,
                                     categories=form.cleaned_data["categories"], actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("family_detail", pk=family.pk)
    log_read(actor, [family], via="web:family-edit", listed=choice_records(form))
    return render(request, "people/family_form.html", {"form": form, "family": family})


@login_required
@require_POST
def family_member_add(request, pk: int):
    actor = get_actor(request)
    family = queries.get_family_for(actor, pk, Perm.EDIT_PEOPLE)
    form = FamilyMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_family_member(family, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        visible = queries.recipients_for(actor).filter(family=family)
        return render(request, "people/family_detail.html", {
            "family": family, "recipients": visible, "member_form": form, "can_edit": True}, status=422)
    return redirect("family_detail", pk=family.pk)


@login_required
@require_POST
def family_member_remove(request, pk: int, member_pk: int):
    actor = get_actor(request)
    family = queries.get_family_for(actor, pk, Perm.EDIT_PEOPLE)
    member = get_object_or_404(family.members, pk=member_pk)
    actions.do_remove_family_member(member, actor=actor)
    return redirect("family_detail", pk=family.pk)
