from __future__ import annotations

from django import forms

from opora.catalogue.models import Service, Tariff
from opora.core.forms import DateInput, OrgForm


class ServiceForm(OrgForm):
    class Meta:
        model = Service
        fields = ["code", "name", "type", "list", "unit", "time_norm_min", "is_active", "innovative"]


class TariffForm(forms.ModelForm):
    class Meta:
        model = Tariff
        fields = ["valid_from", "price"]
        widgets = {"valid_from": DateInput()}
