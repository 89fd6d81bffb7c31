"""The categories of recipients and families (people.Category): a global reference list; and the groups of
categories the reports' "by category" tables count (people.CategoryGroup, /catalogue/category_groups/).

Seen with Perm.VIEW_DASHBOARD, changed with Perm.MANAGE_ORG. The page is a Crud under /catalogue/categories/
(its URL and menu place predate this module); `install_default_categories` fills the default list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.actions import create_object, require, update_object
from opora.core.crud import Column, Crud
from opora.core.reference import DEFAULT_CATEGORIES
from opora.lib.errors import DomainError
from opora.people.models import Category, CategoryGroup


class CategoryForm(forms.ModelForm):
    def __init__(self, *args: Any, organisation: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    class Meta:
        model = Category
        fields = ["code", "name", "for_families", "sort"]


# --- actions -----------------------------------------------------------------------------------------------------

def do_create_category(data: Mapping[str, Any], *, actor: Actor, organisation_id: int) -> Category:
    require(actor, Perm.MANAGE_ORG, organisation_id)
    return create_object(Category(**data), actor=actor)


def do_update_category(category: Category, data: Mapping[str, Any], *, actor: Actor,
                       organisation_id: int | None) -> Category:
    require(actor, Perm.MANAGE_ORG, organisation_id)
    return update_object(category, data, actor=actor)


def install_default_categories() -> int:
    """The default categories of domain/REFERENCE.md; existing rows are left as they are."""
    existing = set(Category.objects.values_list("code", flat=True))
    rows = [
        Category(code=code, for_families=for_families, sort=i)
        for i, (code, (_label, for_families)) in enumerate(DEFAULT_CATEGORIES.items())
        if code not in existing
    ]
    Category.objects.bulk_create(rows)
    return len(rows)


# --- the page ----------------------------------------------------------------------------------------------------

categories = Crud(
    name="categories", title=gettext_lazy("Categories"), form_class=CategoryForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: Category.objects.all(),
    get_object=lambda actor, pk, perm: get_object_or_404(Category, pk=pk),
    create=lambda org, data, actor: do_create_category(data, actor=actor, organisation_id=org.pk),
    update=lambda obj, data, actor: do_update_category(
        obj, data, actor=actor, organisation_id=next(
            (g.organisation_id for g in actor.grants_with(Perm.MANAGE_ORG)), None)),
    columns=[Column(gettext_lazy("Code"), lambda c: c.code, link=True),
             Column(gettext_lazy("Name"), lambda c: c.label),
             Column(gettext_lazy("Applies to families"), lambda c: c.for_families)],
)


# --- groups of categories (the lines of the reports' "by category" tables) ----------------------------------------

class CategoryGroupForm(forms.ModelForm):
    def __init__(self, *args: Any, organisation: object = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        parent.queryset = CategoryGroup.objects.filter(parent__isnull=True).exclude(pk=self.instance.pk or 0)

    class Meta:
        model = CategoryGroup
        fields = ["code", "name", "parent", "categories", "rest", "sort"]
        widgets = {"categories": forms.CheckboxSelectMultiple}


def _check_group(group: CategoryGroup, categories: Any) -> None:
    """One level of "of them": a group within a group has no groups within it; the rest has no categories."""
    if group.parent_id is not None:
        if group.parent_id == group.pk or (group.pk and group.children.exists()):
            raise DomainError(_("A group with groups within it cannot itself be within a group."),
                              field="parent")
        if CategoryGroup.objects.filter(pk=group.parent_id, parent__isnull=False).exists():
            raise DomainError(_("Choose a top-level group."), field="parent")
    if group.rest and (group.parent_id is not None or list(categories)):
        raise DomainError(_("The group of everyone else has no categories and no parent."), field="rest")


def do_create_category_group(data: Mapping[str, Any], *, actor: Actor, organisation_id: int | None
                             ) -> CategoryGroup:
    require(actor, Perm.MANAGE_ORG, organisation_id)
    values = dict(data)
    categories = list(values.pop("categories", []) or [])
    group = CategoryGroup(**values)
    _check_group(group, categories)
    return create_object(group, actor=actor, m2m={"categories": categories})


def do_update_category_group(group: CategoryGroup, data: Mapping[str, Any], *, actor: Actor,
                             organisation_id: int | None) -> CategoryGroup:
    require(actor, Perm.MANAGE_ORG, organisation_id)
    values = dict(data)
    categories = list(values.pop("categories", []) or [])
    probe = CategoryGroup(pk=group.pk, **{**{f: getattr(group, f) for f in ("code", "name", "parent_id", "rest",
                                                                            "sort")}, **values})
    _check_group(probe, categories)
    return update_object(group, values, actor=actor, m2m={"categories": categories})


def _on_form(action: Any) -> Any:
    """The page shows a broken rule on its field: a DomainError becomes the form's ValidationError."""
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except DomainError as exc:
            raise ValidationError({exc.field: exc.message} if exc.field else exc.message) from exc
    return run


def _manager_org(actor: Actor) -> int | None:
    return next((g.organisation_id for g in actor.grants_with(Perm.MANAGE_ORG)), None)


category_groups = Crud(
    name="category_groups", title=gettext_lazy("Groups of categories in the reports"),
    form_class=CategoryGroupForm, view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=lambda actor, org: CategoryGroup.objects.select_related("parent").prefetch_related("categories"),
    get_object=lambda actor, pk, perm: get_object_or_404(CategoryGroup, pk=pk),
    create=lambda org, data, actor: _on_form(do_create_category_group)(data, actor=actor, organisation_id=org.pk),
    update=lambda obj, data, actor: _on_form(do_update_category_group)(obj, data, actor=actor,
                                                                       organisation_id=_manager_org(actor)),
    columns=[Column(gettext_lazy("Code"), lambda g: g.code, link=True),
             Column(gettext_lazy("Name"), lambda g: g.label),
             Column(gettext_lazy("of them, within the group"), lambda g: g.parent.label if g.parent else ""),
             Column(gettext_lazy("Categories"), lambda g: ", ".join(c.label for c in g.categories.all())
                    if not g.rest else str(gettext_lazy("everyone else")))],
)
