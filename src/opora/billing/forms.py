from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.billing.models import (
    Charge,
    DifferentiatedPayment,
    FeeRules,
    IncomeRecord,
    PaymentReceived,
    SubsistenceMinimum,
)
from opora.core.fields import MonthField
from opora.core.forms import DateInput
from opora.core.reference import Form
from opora.people.models import Category


def money_field(label, **kwargs) -> forms.DecimalField:
    """An amount shown as every page writes it («19 573,23», lib/formats); «19573.23» is still accepted."""
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, localize=True, **kwargs)


class CalculatorForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of service"), choices=Form.choices, initial=Form.HOME)
    income_per_capita = money_field(_("Average monthly income per capita"), min_value=Decimal("0"))
    subsistence_minimum = money_field(_("Subsistence minimum"), min_value=Decimal("0.01"))
    coefficient = forms.DecimalField(label=_("Threshold coefficient"), max_digits=4, decimal_places=2,
                                     min_value=Decimal("1.5"), initial=Decimal("1.50"), localize=True)
    programme_cost = money_field(_("Monthly cost of the programme"), min_value=Decimal("0"))
    categories = forms.ModelMultipleChoiceField(label=_("Categories"), queryset=Category.objects.all(),
                                                to_field_name="code", required=False,
                                                widget=forms.CheckboxSelectMultiple)
    # Ukraine (КМУ resolution 429): the differentiated percentage; empty takes the configured one (or the
    # placeholder). The rule checks 0–100 and names this field.
    percentage = forms.DecimalField(label=_("Differentiated percentage (unconfirmed)"), max_digits=6,
                                    decimal_places=2, required=False,
                                    help_text=_("Empty: the percentage configured for the region."))

    def __init__(self, *args, fee_rule: str = "442-FZ", **kwargs):
        super().__init__(*args, **kwargs)
        # each law asks only for its own figures: the threshold coefficient (Russia), the percentage (Ukraine)
        del self.fields["coefficient" if fee_rule == "KMU-429" else "percentage"]


class FeeDecideForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), initial=timezone.localdate)
    household_size = forms.IntegerField(label=_("Household members"), min_value=1, max_value=50, required=False,
                                        help_text=_("Leave empty to count the person and their household's members."))


class IncomeForm(forms.ModelForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = IncomeRecord
        fields = ["month", "member_name", "source", "amount"]


class PaymentForm(forms.ModelForm):
    class Meta:
        model = PaymentReceived
        fields = ["paid_on", "amount", "method", "document", "charge"]
        widgets = {"paid_on": DateInput()}
        localized_fields = ["amount"]  # «19 573,23» as every page writes it; «19573.23» is still accepted

    def __init__(self, *args, recipient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["charge"].queryset = Charge.objects.filter(recipient=recipient)  # type: ignore[attr-defined]
        self.fields["charge"].label = _("For the charge")
        self.fields["paid_on"].initial = timezone.localdate

    def _post_clean(self):  # validation happens in the action, which names the field
        pass


class ChargesForm(forms.Form):
    month = MonthField(label=_("Month"))


class SubsistenceMinimumForm(forms.ModelForm):
    class Meta:
        model = SubsistenceMinimum
        fields = ["region", "year", "group", "amount"]


class FeeRulesForm(forms.ModelForm):
    class Meta:
        model = FeeRules
        fields = ["region", "valid_from", "coefficient", "free_categories"]
        widgets = {"valid_from": DateInput(), "free_categories": forms.CheckboxSelectMultiple}


class DifferentiatedPaymentForm(forms.ModelForm):
    class Meta:
        model = DifferentiatedPayment
        fields = ["region", "valid_from", "percentage"]
        widgets = {"valid_from": DateInput()}
