"""Forms of the programmes pages: plain forms whose cleaned data goes to the actions (which validate again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.catalogue.models import Service
from opora.core.forms import DateInput
from opora.core.reference import DischargeReason, Form, ServiceList
from opora.org.models import Department, Employee, Organisation
from opora.programmes.models import Payment, ProgrammeStatus, VolumePeriod

FORMS = [(v, label) for v, label in Form.choices if v != Form.URGENT]


class ProgrammeForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=40, required=False,
                             help_text=_("Leave empty to number it automatically."))
    drawn_up_on = forms.DateField(label=_("drawn up on"), required=False, widget=DateInput())
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("valid to"), widget=DateInput(), help_text=_("At most 3 years."))
    form = forms.ChoiceField(label=_("form of service"), choices=FORMS)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none())
    provider = forms.CharField(label=_("provider"), max_length=300, required=False)
    review_on = forms.DateField(label=_("review date"), required=False, widget=DateInput())
    care_level = forms.IntegerField(label=_("level of care need"), min_value=0, max_value=5, required=False)
    weekly_hours = forms.IntegerField(label=_("package, hours a week"), min_value=0, max_value=168, required=False)
    days_per_week = forms.IntegerField(label=_("days a week"), min_value=0, max_value=7, required=False)
    visits_per_day = forms.IntegerField(label=_("visits a day"), min_value=0, max_value=10, required=False)
    support_measures = forms.CharField(label=_("social support measures"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation: Organisation, number_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True)
        if not number_editable:
            del self.fields["number"]


class ItemForm(forms.Form):
    service = forms.ModelChoiceField(label=_("service"), queryset=Service.objects.none(), required=False)
    volume = forms.IntegerField(label=_("volume"), min_value=1, required=False)
    period = forms.ChoiceField(label=_("per"), choices=VolumePeriod.choices, initial=VolumePeriod.MONTH)
    periodicity = forms.CharField(label=_("periodicity"), max_length=200, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, list=ServiceList.BASIC, is_active=True).order_by("code")


def item_formset(data, *, organisation: Organisation, initial: list[dict] | None = None, empty_rows: int = 4):
    initial = initial or []
    formset_class = forms.formset_factory(ItemForm, extra=empty_rows)
    return formset_class(data, initial=initial, prefix="items", form_kwargs={"organisation": organisation})


def items_from(formset) -> list[dict]:
    """The filled rows of the services table (rows without a service are skipped)."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data.get("service") is not None]


class ProgrammeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[("", _("All"))] + ProgrammeStatus.choices,
                               required=False)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none(), required=False,
                                        empty_label=_("All"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ContractForm(forms.Form):
    number = forms.CharField(label=_("number"), max_length=40, required=False,
                             help_text=_("Leave empty to number it automatically."))
    signed_on = forms.DateField(label=_("signed on"), required=False, widget=DateInput())
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("valid to"), required=False, widget=DateInput())
    payment = forms.ChoiceField(label=_("payment terms"), choices=[("", "—"), *Payment.choices], required=False,
                                help_text=_("Taken from the latest fee decision on the programme when there is one."))
    monthly_fee = forms.DecimalField(label=_("monthly fee"), min_value=0, max_digits=10, decimal_places=2,
                                     required=False)
    worker = forms.ModelChoiceField(label=_("social worker"), queryset=Employee.objects.none(), required=False)
    signatory = forms.CharField(label=_("signed for the provider by"), max_length=300, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, dismissed_on__isnull=True, position="social_worker")


class AmendmentForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), required=False, widget=DateInput())
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DateInput())
    description = forms.CharField(label=_("what changes"), widget=forms.Textarea(attrs={"rows": 3}))
    payment = forms.ChoiceField(label=_("payment terms"), choices=[("", "—"), *Payment.choices], required=False)
    monthly_fee = forms.DecimalField(label=_("monthly fee"), min_value=0, max_digits=10, decimal_places=2,
                                     required=False)
    fee_decision: forms.ModelChoiceField = forms.ModelChoiceField(label=_("fee decision"),
                                                                  queryset=Service.objects.none(), required=False)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        # The person's fee decisions, through the relation: programmes do not import billing.
        self.fields["fee_decision"].queryset = contract.recipient.fee_decisions.all()  # type: ignore[attr-defined]


class TerminateForm(forms.Form):
    """The ground has no default and the date none either: the user chooses both (issue 11)."""

    terminated_on = forms.DateField(label=_("terminated on"), widget=DateInput(),
                                    help_text=_("The last day of service: not before the contract starts, not in "
                                                "the future."))
    reason = forms.ChoiceField(label=_("reason for termination"), choices=[("", "—"), *DischargeReason.choices])


class UndoTerminationForm(forms.Form):
    reason = forms.CharField(label=_("why the termination is undone"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))
