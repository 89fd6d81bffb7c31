from __future__ import annotations

from django import forms

from opora.core.forms import DateInput, OrgForm
from opora.org.models import CalendarDay, Department, Employee, Organisation, Settlement


class DepartmentForm(OrgForm):
    class Meta:
        model = Department
        fields = ["code", "name", "kind", "is_active"]


class SettlementForm(OrgForm):
    class Meta:
        model = Settlement
        fields = ["name", "default_sector"]


class EmployeeForm(OrgForm):
    class Meta:
        model = Employee
        fields = ["tab_no", "last_name", "first_name", "patronymic", "position", "department", "hired_on",
                  "dismissed_on"]


class OrganisationForm(OrgForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "region", "address", "founder", "jurisdiction"]


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["jurisdiction", "region", "date", "is_working", "name"]
        widgets = {"date": DateInput()}
