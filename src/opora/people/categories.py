"""The categories of recipients and families (people.Category): a global reference list.

Seen with Perm.VIEW_DASHBOARD, changed with Perm.MANAGE_ORG. The page is a Crud under /catalogue/categories/
(its URL and menu place predate this module); `install_default_categories` fills the default list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.actions import create_object, require, update_object
from opora.core.crud import Column, Crud
from opora.core.reference import DEFAULT_CATEGORIES
from opora.people.models import Category


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
