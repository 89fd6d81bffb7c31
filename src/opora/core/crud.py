"""List / create / edit / delete pages for the organisation's reference data, from one description each.

Each Crud names its form, its scoped query and its actions; the views stay thin and alike. The delete step
(confirm_delete) serves the other apps' delete pages too: one confirmation page, one refusal, one flash.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.audit.log import choice_records, log_event, log_read
from opora.audit.models import EventType
from opora.core.context import actor_and_org, apply_errors
from opora.documents.http import xlsx_response
from opora.lib import formats, xlsx
from opora.lib.errors import DomainError

if TYPE_CHECKING:
    from opora.org.models import Organisation



def shown(value: Any) -> Any:
    """A list cell as every page writes it (lib/formats.py): dates ``30.09.2008``, numbers grouped."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.date):
        return formats.day(value)
    if isinstance(value, Decimal):
        return formats.number(value)
    if isinstance(value, int):
        return formats.integer(value)
    return value


def confirm_delete(request: HttpRequest, obj: Any, delete: Callable[[], Any], *, question: str, then: str,
                   back: str | None = None, back_label: str | None = None, summary: str = "", holds: str = "",
                   done: str | None = None) -> HttpResponse:
    """The delete step of a page (UI.md: a consequential act asks first), on one template, crud/delete.html.

    GET asks ``question`` and shows what will be deleted (``summary``: the record in a line) and what goes with
    it (``holds``; by default that it cannot be undone and the audit log keeps it). POST runs ``delete``, the
    app's audited do_delete_* action, flashes ``done`` and goes to ``then``; when the action refuses (a
    DomainError or ValidationError naming what depends on the record) nothing is deleted and the page answers
    422 with the refusal instead of the Delete button. ``back`` (default ``then``) is where Cancel leads.
    """
    error = ""
    if request.method == "POST":
        try:
            delete()
        except DomainError as exc:
            error = exc.message
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done or _("Deleted."))
            return redirect(then)
    return render(request, "crud/delete.html", {
        "question": question, "summary": summary, "error": error, "kind": obj._meta.model_name,
        "holds": holds or _("This cannot be undone; the audit log keeps what was deleted."),
        "back": back or then, "back_label": back_label or _("Back"),
    }, status=422 if error else 200)


@dataclass
class Column:
    label: Any
    value: Callable[[Any], Any]
    link: bool = False


@dataclass
class Crud:
    name: str
    title: Any
    form_class: type
    view_perm: str
    edit_perm: str
    list_query: Callable[[Actor, Organisation], Any]
    get_object: Callable[[Actor, int, str], Any]
    create: Callable[[Organisation, dict, Actor], Any]
    update: Callable[[Any, dict, Actor], Any]
    columns: list[Column]
    search: Callable[[Any, str], Any] | None = None
    form_kwargs: Callable[[Any], dict] = field(default=lambda org: {"organisation": org})
    detail_template: str | None = None
    detail_context: Callable[[Any, Actor], dict] | None = None
    list_template: str = "crud/list.html"
    list_context: Callable[[Any, Actor, Organisation], dict] | None = None
    #: the rows are people (staff): audit each list page and card read (audit.log.log_read)
    audit_reads: bool = False
    #: the list's order when the database cannot give it (service codes in natural order: 1.2 before 1.10)
    sort_key: Callable[[Any], Any] | None = None
    #: the list may be exported (``?export=xlsx``: every row the search finds, the columns of the page, audited)
    #: to a file named ``<export_name>-YYYY-MM-DD.xlsx``
    export_name: str | None = None
    #: the delete step (confirm_delete), for who has edit_perm in the record's organisation: the app's audited
    #: do_delete_* action, the page's question and the record in a line
    delete: Callable[[Any, Actor], Any] | None = None
    delete_question: Any = None
    delete_summary: Callable[[Any], str] | None = None
    #: the form takes ``actor=`` too (its choices scoped to the actor: a complaint's person, people/fields.py)
    form_actor: bool = False

    def _form(self, request, org, actor: Actor, **kwargs: Any):
        extra = {"actor": actor} if self.form_actor else {}
        return self.form_class(request.POST or None, **kwargs, **self.form_kwargs(org), **extra)

    def list_view(self, request):
        actor, org = actor_and_org(request, self.view_perm)
        qs = self.list_query(actor, org)
        q = request.GET.get("q", "")
        if self.search and q:
            qs = self.search(qs, q)
        if self.sort_key is not None:
            qs = sorted(qs, key=self.sort_key)
        if self.export_name and request.GET.get("export") == "xlsx":
            return self.export(qs, actor, org)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        if self.audit_reads:
            log_read(actor, page.object_list, via=f"web:{self.name}", many=True)
        rows = [(obj, [(shown(c.value(obj)), c.link) for c in self.columns]) for obj in page]
        extra = self.list_context(request, actor, org) if self.list_context else {}
        return render(request, self.list_template, {
            "crud": self, "page": page, "rows": rows, "q": q, "can_edit": actor.can(self.edit_perm, org.pk), **extra,
        })

    def export(self, qs: Any, actor: Actor, org: Organisation):
        """The list as XLSX (lib/xlsx.list_workbook, laid out as the reports' tables): the columns of the page, the
        values as they are (dates as dates); one audit row names how many rows were exported."""
        rows = ([c.value(obj) for c in self.columns] for obj in qs)
        data, count = xlsx.list_workbook(str(self.title), [str(c.label) for c in self.columns], rows)
        log_event(actor=actor, event_type=EventType.EXPORTED, obj=org, organisation_id=org.pk,
                  changes={self.name: [None, count]})
        return xlsx_response(data, self.export_name or self.name)

    def _save(self, request, form, save, org):
        if request.method == "POST" and form.is_valid():
            try:
                obj = save(form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse(f"{self.name}_edit", args=[obj.pk]))
        return None

    def create_view(self, request):
        actor, org = actor_and_org(request, self.edit_perm)
        form = self._form(request, org, actor)
        response = self._save(request, form, lambda data: self.create(org, data, actor), org)
        if response:
            return response
        # What its choices show of people, families and staff (a complaint's chosen person) is recorded as listed.
        log_read(actor, [], via=f"web:{self.name}-new", listed=choice_records(form))
        return render(request, "crud/form.html", {"crud": self, "form": form})

    def edit_view(self, request, pk: int):
        actor = get_actor(request)
        obj = self.get_object(actor, pk, self.view_perm)
        can_edit = actor.can(self.edit_perm, getattr(obj, "organisation_id", None))
        org = getattr(obj, "organisation", None)
        form = self._form(request, org, actor, instance=obj)
        if not can_edit:
            for f in form.fields.values():
                f.disabled = True
        if request.method == "POST" and can_edit:
            fresh = self.get_object(actor, pk, self.edit_perm)
            response = self._save(request, form, lambda data: self.update(fresh, data, actor), org)
            if response:
                return response
        # The record (a person's, when audit_reads) opened and the people its choices show listed, in one INSERT.
        log_read(actor, [obj] if self.audit_reads else [], via=f"web:{self.name}", listed=choice_records(form))
        extra = self.detail_context(obj, actor) if self.detail_context else {}
        return render(request, self.detail_template or "crud/form.html",
                      {"crud": self, "form": form, "object": obj, "can_edit": can_edit, **extra})

    def delete_view(self, request, pk: int):
        actor = get_actor(request)
        obj = self.get_object(actor, pk, self.edit_perm)
        if self.delete is None or not actor.can(self.edit_perm, getattr(obj, "organisation_id", None)):
            raise PermissionDenied
        delete = self.delete
        question = str(self.delete_question) if self.delete_question else _("Delete %(what)s?") % {"what": obj}
        return confirm_delete(
            request, obj, lambda: delete(obj, actor), question=question,
            summary=self.delete_summary(obj) if self.delete_summary else str(obj),
            then=reverse(f"{self.name}_list"), back=reverse(f"{self.name}_edit", args=[obj.pk]),
            back_label=str(self.title))

    def urls(self) -> list:
        return [
            path(f"{self.name}/", login_required(self.list_view), name=f"{self.name}_list"),
            path(f"{self.name}/new/", login_required(self.create_view), name=f"{self.name}_create"),
            path(f"{self.name}/<int:pk>/", login_required(self.edit_view), name=f"{self.name}_edit"),
            *([path(f"{self.name}/<int:pk>/delete/", login_required(self.delete_view), name=f"{self.name}_delete")]
              if self.delete is not None else []),
        ]
