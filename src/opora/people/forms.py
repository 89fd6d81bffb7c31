from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.core.forms import DateInput, OrgForm
from opora.core.reference import DischargeReason, Sector
from opora.jurisdictions import jurisdiction_for
from opora.lib import snils as snils_lib
from opora.lib.errors import DomainError
from opora.org.models import Department, Organisation
from opora.people import queries
from opora.people.fields import use_picker
from opora.people.models import (
    Category,
    Consent,
    Enrolment,
    Family,
    FamilyMember,
    Recipient,
    RecipientStatus,
    Representative,
)
from opora.people.validators import validate_snils


def _limit(form: forms.ModelForm, actor: Actor | None, organisation: Organisation,
           choices: Mapping[str, Callable[..., QuerySet]]) -> None:
    """Offer only what the actor may link to (the same scoped queries the actions check), plus the current value."""
    if actor is None:
        return
    for name, query in choices.items():
        if name not in form.fields:
            continue
        allowed = query(actor, organisation.pk)
        current = getattr(form.instance, f"{name}_id", None) if form.instance.pk else None
        field = form.fields[name]
        qs = field.queryset  # type: ignore[attr-defined]
        field.queryset = qs.filter(Q(pk__in=allowed.values("pk")) | Q(pk=current))  # type: ignore[attr-defined]


def keep_identity_field_of_jurisdiction(form: OrgForm) -> None:
    """A person's form asks for the identity number of the organisation's jurisdiction only: the SNILS in Russia,
    the RNOKPP in Ukraine (a number of the other kind is refused by the model, naming the field)."""
    law = jurisdiction_for(form.organisation)
    form.fields.pop("rntrc" if law.identity_field == "snils" else "snils", None)
    if "rntrc" in form.fields:
        form.fields["rntrc"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def check_rntrc(value: str) -> None:
        try:
            if value:
                law.validate_identity(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    if "rntrc" in form.fields:
        form.fields["rntrc"].validators.append(check_rntrc)


_RECIPIENT_LINKS: dict[str, Callable[..., QuerySet]] = {
    "family": queries.writable_families, "registered_department": queries.writable_departments}


class RecipientForm(OrgForm):
    snils = forms.CharField(label=_("SNILS"), max_length=14, required=False,
                            help_text=_("11 digits, e.g. 112-233-445 95"))
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.filter(for_families=False), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_duplicate = forms.BooleanField(
        label=_("This is a different person: register anyway"), required=False
    )

    class Meta:
        model = Recipient
        fields = [
            "last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "rntrc", "settlement", "sector",
            "address", "phone", "phone_extra", "disability_group", "family", "registered_department",
        ]

    def __init__(self, *args, actor: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self, actor, self.organisation, _RECIPIENT_LINKS)
        use_picker(self, "family", "families-edit")  # searched, not a drop-down of every family (people/fields.py)
        keep_identity_field_of_jurisdiction(self)
        self.fields["categories"].queryset = Category.objects.filter(for_families=False)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial.setdefault("snils", self.instance.snils_display)
            self.initial.setdefault("categories", list(self.instance.categories.all()))

    def clean_snils(self) -> str:
        value = snils_lib.compact(self.cleaned_data.get("snils", ""))
        validate_snils(value)
        return value


    def domain_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        return data


class EnrolmentForm(OrgForm):
    class Meta:
        model = Enrolment
        fields = ["department", "form", "admitted_on", "worker"]

    def __init__(self, *args, actor: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self, actor, self.organisation, {"department": queries.writable_departments,
                                                "worker": queries.writable_workers})
        self.fields["worker"].queryset = self.fields["worker"].queryset.filter(dismissed_on__isnull=True)  # type: ignore[attr-defined]
        self.fields["department"].queryset = self.fields["department"].queryset.exclude(kind="administration")  # type: ignore[attr-defined]


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), widget=DateInput())
    discharge_reason = forms.ChoiceField(label=_("Discharge reason"),
                                         choices=DischargeReason.choices)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["given_on", "scope", "document", "withdrawn_on"]
        widgets = {"given_on": DateInput(), "withdrawn_on": DateInput()}


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = ["full_name", "kind", "document", "phone"]


class FamilyForm(OrgForm):
    categories = forms.ModelMultipleChoiceField(
        label=_("Family categories"), queryset=Category.objects.filter(for_families=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Family
        fields = ["name", "settlement", "address", "registered_department", "notes",
                  # the social register (issue 14)
                  "sector", "children", "registered_on", "deregistered_on", "deregistration_reason"]

    def __init__(self, *args, actor: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _limit(self, actor, self.organisation, {"registered_department": queries.writable_departments})
        self.fields["categories"].queryset = Category.objects.filter(for_families=True)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial.setdefault("categories", list(self.instance.categories.all()))


class FamilyMemberForm(forms.ModelForm):
    class Meta:
        model = FamilyMember
        fields = ["full_name", "birth_date", "relation"]
        widgets = {"birth_date": DateInput()}


class RecipientFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False,
                                      to_field_name="code")
    sector = forms.ChoiceField(label=_("Sector"), required=False,
                               choices=[("", "—"), *Sector.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *RecipientStatus.choices])

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation).exclude(  # type: ignore[attr-defined]
            kind="administration")
