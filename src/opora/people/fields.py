"""Choosing a person or a family in a form by searching, not from a drop-down of everyone in scope.

``RecipientChoiceField`` / ``FamilyChoiceField`` (a ModelChoiceField each) render ``PickerInput``: a search box
that asks the endpoint ``people_pick`` (people/views.py ``pick``) with htmx as the user types (two letters of a
surname, a SNILS or RNOKPP prefix, a birth date), a hidden input holding the chosen id, and the list of at most
``PICK_LIMIT`` matches to choose from (opora.js moves through it with the keyboard). No list of the actor's
whole scope is rendered, so opening the form shows, and audits, only the chosen record.

Each field names a ``PickScope`` (``PICK_SCOPES``): which people the endpoint searches and, through
``scoped()``, which the form accepts: the same scoped query (people/queries.py) for both. A submitted id outside
the field's queryset is refused with the same error as an id that does not exist, naming the field.

Use: ``use_picker(form, "recipient", "people")`` in a form's ``__init__`` after its queryset is set (the label,
``required`` and the queryset are kept), or declare the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.people import queries
from opora.people.models import Family, Recipient

#: the most matches the search answers with (and audits)
PICK_LIMIT = 20
#: the fewest characters searched for
PICK_MIN_CHARS = 2
#: the search box's name is the field's name and this (the endpoint reads it as the text searched)
SEARCH_SUFFIX = "__q"
#: marks a text typed but not picked (never an id)
TYPED = "?"


@dataclass(frozen=True)
class PickScope:
    """Who a picker offers: ``kind`` ("recipient" or "family"), the permission the endpoint asks for in the current
    organisation, and the scoped query (actor, organisation id) → queryset."""

    kind: str
    perm: str
    query: Callable[[Actor, int], QuerySet[Any]]


PICK_SCOPES: dict[str, PickScope] = {
    # the people the actor sees (taxi trips, the rental point, volunteers' work, groups, notices, complaints)
    "people": PickScope("recipient", Perm.VIEW_PEOPLE,
                        lambda actor, org: queries.recipients_for(actor).filter(organisation_id=org)),
    # the people and families the actor may edit (a visit; a person's family)
    "people-edit": PickScope("recipient", Perm.EDIT_PEOPLE,
                             lambda actor, org: queries.recipients_for(actor, Perm.EDIT_PEOPLE).filter(
                                 organisation_id=org)),
    "families-edit": PickScope("family", Perm.EDIT_PEOPLE,
                               lambda actor, org: queries.writable_families(actor, org, Perm.EDIT_PEOPLE)),
    # the people and families the actor may record aid for
    "people-aid": PickScope("recipient", Perm.RECORD_AID,
                            lambda actor, org: queries.recipients_for(actor, Perm.RECORD_AID).filter(
                                organisation_id=org)),
    "families-aid": PickScope("family", Perm.RECORD_AID,
                              lambda actor, org: queries.families_for(actor, Perm.RECORD_AID).filter(
                                  organisation_id=org)),
}


def scoped(scope: str, actor: Actor, organisation_id: int) -> QuerySet[Any]:
    """The records a picker of ``scope`` offers the actor in an organisation (the form's queryset)."""
    return PICK_SCOPES[scope].query(actor, organisation_id)


def search(scope: str, actor: Actor, organisation_id: int, text: str) -> list[Model]:
    """The endpoint's answer: the records of the scope matching ``text`` (the people list's search: name parts,
    SNILS/RNOKPP prefix, birth date; a family by its name), at most PICK_LIMIT + 1 (the one more says that there
    are more than shown; the caller shows PICK_LIMIT); nothing for fewer than PICK_MIN_CHARS."""
    text = (text or "").strip()
    if len(text) < PICK_MIN_CHARS:
        return []
    qs = scoped(scope, actor, organisation_id)
    if PICK_SCOPES[scope].kind == "family":
        return list(queries.search_families(qs, text).order_by("name", "id")[:PICK_LIMIT + 1])
    return list(queries.search_recipients(qs, text).order_by("search_name", "birth_date", "id")[:PICK_LIMIT + 1])


def label_of(record: Model | None) -> str:
    """How a chosen record is named in the search box: a person with the birth date, a family by its name."""
    if record is None:
        return ""
    if isinstance(record, Recipient):
        born = record.birth_date.strftime("%d.%m.%Y") if record.birth_date else ""
        return f"{record.full_name}, {born}" if born else record.full_name
    return str(record)


class PickerInput(forms.Widget):
    """A search box, a hidden input with the chosen id and the list of matches (templates/people/_picker.html)."""

    template_name = "people/_picker.html"

    def __init__(self, scope: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.scope = scope

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        # the project's templates (the form renderer looks in the apps' and Django's only)
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """The chosen id; when none was picked but a text was typed into the box, that text marked with TYPED (not
        an id: the field refuses it, naming the field, and the box shows the text again)."""
        value = data.get(name)
        typed = (data.get(f"{name}{SEARCH_SUFFIX}") or "").strip()
        if value in (None, "") and typed:
            return TYPED + typed
        return value

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}{SEARCH_SUFFIX}" not in data

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_search" if id_ else id_

    def format_value(self, value: Any) -> str:
        if isinstance(value, Model):
            value = value.pk
        return "" if value in (None, "") else str(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        field = getattr(getattr(self, "choices", None), "field", None)  # ModelChoiceField sets its iterator here
        typed = isinstance(value, str) and value.startswith(TYPED)
        chosen = field.chosen(value) if isinstance(field, PickerMixin) and not typed else None
        kind = PICK_SCOPES[self.scope].kind
        context["widget"]["value"] = "" if typed else context["widget"]["value"]
        context["picker"] = {
            "url": reverse("people_pick", args=[self.scope]),
            "label": value[len(TYPED):] if typed else label_of(chosen),
            "search_name": f"{name}{SEARCH_SUFFIX}",
            "kind": kind,
            "placeholder": _("Surname, SNILS or birth date") if kind == "recipient" else _("Family name"),
            "min_chars": PICK_MIN_CHARS,
        }
        return context


class PickerMixin:
    """What the two fields share: the widget, the error naming the field, the chosen record (one SELECT)."""

    label: Any
    nobody: Any = _("%(field)s: there is no such person among those you may choose; search and pick one from "
                    "the list.")

    _chosen: tuple[str, QuerySet[Any], Model | None] | None = None

    def chosen(self, value: Any) -> Model | None:
        """The record of the submitted or initial id when the field's (scoped) queryset holds it, else None."""
        if isinstance(value, Model):
            value = value.pk
        key = "" if value in (None, "") else str(value)
        queryset: QuerySet[Any] = self.queryset  # type: ignore[attr-defined]  # the ModelChoiceField's
        if self._chosen is not None and self._chosen[0] == key and self._chosen[1] is queryset:
            return self._chosen[2]  # the form's audit and its rendering share one SELECT
        record = None
        if key.isdigit():
            record = queryset.filter(pk=int(key)).first()
        self._chosen = (key, queryset, record)
        return record

    def shown_records(self, value: Any) -> list[Model]:
        """What the form shows of this field's records: the chosen one (audit.log.choice_records)."""
        record = self.chosen(value)
        return [record] if record is not None else []

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:  # type: ignore[attr-defined]
            return None
        record = self.chosen(value)
        if record is None:  # unknown, not a number, or outside the actor's scope: one answer
            raise forms.ValidationError(self.nobody, code="invalid_choice", params={"field": self.label})
        return record


class RecipientChoiceField(PickerMixin, forms.ModelChoiceField):
    """A person chosen by searching (see the module's docstring)."""

    def __init__(self, *, scope: str = "people", queryset: QuerySet[Recipient] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Person"))
        self.scope = scope
        super().__init__(queryset=queryset if queryset is not None else Recipient.objects.none(),
                         widget=PickerInput(scope), **kwargs)


class FamilyChoiceField(PickerMixin, forms.ModelChoiceField):
    """A family chosen by searching (see the module's docstring)."""

    nobody = _("%(field)s: there is no such family among those you may choose; search and pick one from the list.")

    def __init__(self, *, scope: str = "families-edit", queryset: QuerySet[Family] | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Family"))
        self.scope = scope
        super().__init__(queryset=queryset if queryset is not None else Family.objects.none(),
                         widget=PickerInput(scope), **kwargs)


def use_picker(form: forms.BaseForm, name: str, scope: str, queryset: QuerySet[Any] | None = None,
               keep: int | None = None) -> None:
    """Replace a form's drop-down ``name`` by a picker of ``scope``, keeping its label, ``required``, help text,
    disabled state and queryset (or ``queryset``); ``keep``: an id accepted besides (the current value of a record
    being edited, which a wider-scoped user may have set)."""
    old = form.fields[name]
    qs = queryset if queryset is not None else old.queryset  # type: ignore[attr-defined]
    if keep is not None:
        qs = qs.model.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk=keep))
    cls = FamilyChoiceField if PICK_SCOPES[scope].kind == "family" else RecipientChoiceField
    field = cls(scope=scope, queryset=qs, label=old.label, required=old.required, help_text=old.help_text,
                disabled=old.disabled)
    form.fields[name] = field
