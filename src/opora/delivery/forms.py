"""Forms of the journal pages. They parse input only; the checks live in actions.py."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.catalogue.models import Service
from opora.core.fields import MonthField
from opora.core.forms import DateInput
from opora.core.reference import ServiceList
from opora.org.models import Department, Employee, Organisation


class JournalFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False,
                                        empty_label=_("All departments"))
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=Employee.objects.none(), required=False,
                                    empty_label=_("All workers"))
    recipient = forms.IntegerField(label=_("Person (number)"), required=False, widget=forms.HiddenInput)
    list = forms.ChoiceField(label=_("List"), required=False,
                             choices=[("", _("Basic and additional")), *ServiceList.choices])

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)  # type: ignore
        self.fields["worker"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, position="social_worker")


class LineForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"))  # at least 1: delivery/rules.py says so, as everywhere
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=Employee.objects.none(), required=False)
    over_volume_reason = forms.CharField(label=_("Reason for exceeding the programme"), max_length=300,
                                         required=False)
    online = forms.BooleanField(label=_("Delivered online (remotely)"), required=False)  # issue 17

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True)
        self.fields["worker"].queryset = Employee.objects.filter(organisation=organisation)  # type: ignore


class UrgentActForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    worker = forms.ModelChoiceField(label=_("Employee"), queryset=Employee.objects.none(), required=False)
    situation = forms.CharField(label=_("Situation (why urgent help is needed)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(organisation=organisation, is_active=True)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        urgent = departments.filter(kind="urgent").first()
        if urgent is not None:
            self.fields["department"].initial = urgent.pk
        self.fields["date"].initial = datetime.date.today()
        self.fields["worker"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, dismissed_on__isnull=True)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed by the recipient on"), widget=DateInput())


def quantity_of(value: str | None) -> int | None:
    """A quantity cell: empty → None, a whole number ≥ 0 → it, anything else → -1 (reported as an error)."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() else -1
