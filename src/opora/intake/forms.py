from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.core.forms import DateInput, OrgForm
from opora.core.reference import Channel, Form
from opora.intake import questionnaire
from opora.intake.models import Application, ApplicationStatus, Assessment, CareLevelScale
from opora.lib import snils as snils_lib
from opora.org.models import Department, Employee, Organisation
from opora.people.forms import keep_identity_field_of_jurisdiction
from opora.people.models import Recipient
from opora.people.validators import validate_snils


class ApplicationForm(OrgForm):
    class Meta:
        model = Application
        fields = ["number", "received_on", "channel", "applicant_name", "requested_form", "department", "request"]
        widgets = {"request": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Leave empty to number automatically (year-sequence).")
        qs = self.fields["department"].queryset.exclude(kind="administration")  # type: ignore[attr-defined]
        if departments is not None:
            qs = qs.filter(pk__in=departments)
        self.fields["department"].queryset = qs  # type: ignore[attr-defined]

    def _post_clean(self):
        # The action validates the whole application (the person and the deadline are set there).
        pass


class NewPersonForm(OrgForm):
    """The data of a person not yet registered; saved through people's do_create_recipient."""

    snils = forms.CharField(label=_("SNILS"), max_length=14, required=False,
                            help_text=_("11 digits, e.g. 112-233-445 95"))
    confirm_duplicate = forms.BooleanField(label=_("This is a different person: register anyway"), required=False)

    class Meta:
        model = Recipient
        fields = ["last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "rntrc", "address", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_identity_field_of_jurisdiction(self)

    def clean_snils(self) -> str:
        value = snils_lib.compact(self.cleaned_data.get("snils", ""))
        validate_snils(value)
        return value

    def _post_clean(self):
        pass

    def domain_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", "—"), ("open", _("Awaiting a decision")), *ApplicationStatus.choices])
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices])
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation).exclude(kind="administration")


class AssessmentForm(forms.ModelForm):
    """The act of examination, and one radio group per question of the questionnaire (fields q_<code>)."""

    class Meta:
        model = Assessment
        fields = ["examined_on", "examiner", "housing", "household", "conclusion"]
        widgets = {"examined_on": DateInput(), "housing": forms.Textarea(attrs={"rows": 3}),
                   "household": forms.Textarea(attrs={"rows": 3}), "conclusion": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiner"].queryset = Employee.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, dismissed_on__isnull=True)
        for item in questionnaire.ITEMS:
            self.fields[f"q_{item.code}"] = forms.TypedChoiceField(
                label=item.label, coerce=int, widget=forms.RadioSelect,
                choices=[(o.value, f"{o.value} — {o.label}") for o in item.options])

    def _post_clean(self):
        pass

    @property
    def act_fields(self):
        return [self[name] for name in self.Meta.fields]

    @property
    def question_fields(self):
        return [self[f"q_{item.code}"] for item in questionnaire.ITEMS]

    def answers(self) -> dict[str, int]:
        return {item.code: self.cleaned_data.get(f"q_{item.code}") for item in questionnaire.ITEMS}  # type: ignore[misc]

    def act_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (ApplicationStatus.RECOGNISED, ApplicationStatus.RECOGNISED.label),
        (ApplicationStatus.REFUSED, ApplicationStatus.REFUSED.label)])
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form of service"), required=False, choices=[("", "—"), *Form.choices])
    reason = forms.CharField(label=_("Reason for refusal"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    no_assessment_reason = forms.CharField(
        label=_("Why decided without an assessment"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for urgent help granted without a needs assessment (442-ФЗ art. 21)."))


class CareLevelScaleForm(forms.ModelForm):
    class Meta:
        model = CareLevelScale
        fields = ["region", "valid_from", "level", "min_score", "max_score", "weekly_hours"]
        widgets = {"valid_from": DateInput()}
