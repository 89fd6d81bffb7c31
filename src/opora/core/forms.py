"""Form plumbing shared by every app: a date widget and the model form of one organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import FieldDoesNotExist

if TYPE_CHECKING:
    from opora.org.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _belongs_to_organisation(model: type | None) -> bool:
    """A model whose rows carry their organisation (every domain row does; reference lists do not)."""
    if model is None or not hasattr(model, "_meta"):
        return False
    try:
        model._meta.get_field("organisation")
    except FieldDoesNotExist:
        return False
    return True


class OrgForm(forms.ModelForm):
    """A model form whose choices are limited to one organisation.

    Every choice field over rows that carry an organisation (departments, settlements, staff, people,
    families, services …) offers only that organisation's rows; fields named `*_on` or `*_date` get a
    date picker.
    """

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and _belongs_to_organisation(queryset.model):
                field.queryset = queryset.filter(organisation=organisation)  # type: ignore[attr-defined]
            if name.endswith("_on") or name.endswith("_date"):
                field.widget = DateInput()

    def _post_clean(self) -> None:
        # Model validation sees the organisation the record belongs to; the action validates again.
        if hasattr(self.instance, "organisation_id"):
            self.instance.organisation = self.organisation
        super()._post_clean()  # type: ignore[misc]  # a private Django hook that django-stubs does not declare
