"""Forms of the money screens. Choices are the organisation's (OrgForm) and, for aid, the actor's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.core.forms import DateInput, OrgForm
from opora.money.models import Aid, BudgetLine, Campaign, Fund, FundReceipt, Spending
from opora.money.reference import AssistanceKind
from opora.people.fields import use_picker


class FundForm(OrgForm):
    class Meta:
        model = Fund
        fields = ["code", "name", "source"]


class ReceiptForm(forms.ModelForm):
    class Meta:
        model = FundReceipt
        fields = ["date", "amount", "kind", "note"]
        widgets = {"date": DateInput()}


class CampaignForm(OrgForm):
    class Meta:
        model = Campaign
        fields = ["code", "name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class AidForm(OrgForm):
    """Aid to a person or a family; the person and family choices are those the actor may record aid for."""

    class Meta:
        model = Aid
        fields = ["fund", "kind", "date", "amount", "quantity", "recipient", "family", "campaign", "note"]
        widgets = {"date": DateInput(), "amount": forms.TextInput(attrs={"inputmode": "decimal"}),
                   "quantity": forms.NumberInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args: Any, recipients: Any = None, families: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if recipients is not None:
            self.fields["recipient"].queryset = recipients  # type: ignore[attr-defined]
        if families is not None:
            self.fields["family"].queryset = families  # type: ignore[attr-defined]
        use_picker(self, "recipient", "people-aid")  # searched, not a drop-down of everyone (people/fields.py)
        use_picker(self, "family", "families-aid")

    def _post_clean(self) -> None:
        # The action checks the rules (both/neither, amount, date) with the same messages; the model's own
        # full_clean runs there too.
        pass


class BudgetLineForm(OrgForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "month", "fund", "code", "name", "approved"]


class SpendingForm(OrgForm):
    class Meta:
        model = Spending
        fields = ["date", "fund", "code", "amount"]
        widgets = {"date": DateInput()}


class AidFilter(forms.Form):
    fund = forms.ModelChoiceField(Fund.objects.none(), label=_("Fund"), required=False, to_field_name="code")
    kind = forms.ChoiceField(label=_("Kind of aid"), required=False,
                             choices=[("", _("All kinds"))] + list(AssistanceKind.choices))
    campaign = forms.ModelChoiceField(Campaign.objects.none(), label=_("Campaign"), required=False,
                                      to_field_name="code")
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = Campaign.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation)
