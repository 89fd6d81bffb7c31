from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.activities.models import BrigadeTrip, Event, Group, RentalItem, Shift, Volunteer
from opora.activities.rules import Destination
from opora.core.forms import DateInput, OrgForm
from opora.core.reference import DepartmentKind
from opora.lib.formats import day
from opora.people.fields import RecipientChoiceField


class GroupForm(OrgForm):
    class Meta:
        model = Group
        fields = ["code", "name", "kind", "department", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class EventForm(OrgForm):
    class Meta:
        model = Event
        fields = ["code", "date", "name", "kind", "department", "participants"]
        widgets = {"date": DateInput(), "participants": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})}


class MemberForm(forms.Form):
    recipient = RecipientChoiceField(label=_("Person"))  # searched, not a drop-down of everyone (people/fields.py)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    attendance = forms.IntegerField(label=_("Came"), min_value=0, widget=forms.NumberInput(
        attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0}))
    topic = forms.CharField(label=_("Topic"), required=False, max_length=500)


class TripForm(forms.Form):
    recipient = RecipientChoiceField(label=_("Person"))  # searched, not a drop-down of everyone (people/fields.py)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    destination = forms.ChoiceField(label=_("Destination"), choices=Destination.choices)
    out_of_district = forms.BooleanField(label=_("Outside the district"), required=False)
    km = forms.DecimalField(label=_("Kilometres"), required=False, min_value=0, decimal_places=1,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amount = forms.DecimalField(label=_("Amount (empty: by the tariff)"), required=False, min_value=0,
                                decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
class RentalItemForm(OrgForm):
    class Meta:
        model = RentalItem
        fields = ["code", "name", "kind", "inventory_no"]


class IssueForm(forms.Form):
    """The issue of an item (a phone: one column)."""

    item: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Item"), queryset=None)  # type: ignore[arg-type]
    recipient = RecipientChoiceField(label=_("Person"))  # searched, not a drop-down of everyone (people/fields.py)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    due_on = forms.DateField(label=_("Expected return"), required=False, widget=DateInput(),
                             help_text=_("Past this date and not returned, the rental is overdue."))
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=0, decimal_places=2,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: Any, items: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount (empty: unchanged)"), required=False, min_value=0,
                                decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class VolunteerForm(OrgForm):
    class Meta:
        model = Volunteer
        fields = ["code", "full_name", "kind", "joined_on"]
        widgets = {"joined_on": DateInput()}


class VolunteerWorkForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=2, widget=forms.TextInput(
        attrs={"inputmode": "decimal"}))
    recipient = RecipientChoiceField(label=_("Person helped"), required=False)
    activity = forms.CharField(label=_("What was done"), required=False, max_length=500)

    def __init__(self, *args: Any, recipients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]
# ---- day-stay shifts and the mobile brigade -----------------------------------------------------------------------
class ShiftForm(OrgForm):
    class Meta:
        model = Shift
        fields = ["code", "department", "start", "end", "capacity"]
        widgets = {"start": DateInput(), "end": DateInput(),
                   "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = field.queryset.filter(kind=DepartmentKind.DAY_STAY)  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    enrolment: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Enrolment"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrolment"]
        field.queryset = enrolments  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{e.recipient.full_name} · {day(e.admitted_on)}"  # type: ignore[attr-defined]


class BrigadeTripForm(OrgForm):
    class Meta:
        model = BrigadeTrip
        fields = ["code", "date", "settlement", "members", "purpose"]
        widgets = {"date": DateInput(), "members": forms.CheckboxSelectMultiple()}


class AttachLinesForm(forms.Form):
    deliveries: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(  # type: ignore[type-arg]
        label=_("Journal lines of the trip's date"), queryset=None, widget=forms.CheckboxSelectMultiple())  # type: ignore[arg-type]

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deliveries"]
        field.queryset = lines  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda d: f"{d.recipient.full_name} · {d.service.code} {d.service.name} · {d.quantity}")
