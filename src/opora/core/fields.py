"""Form fields shared by the apps' forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.lib.dates import DateFormatError, month_start, parse_month


class MonthInput(forms.DateInput):
    """The browser's month picker; the value is written ``YYYY-MM``."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, cleaned to its first day: ``2020-03`` (also ``2020-03-15`` or ``03.2020``) → date(2020, 3, 1)."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return month_start(value)
        try:
            return parse_month(str(value))
        except DateFormatError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
