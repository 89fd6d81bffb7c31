from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.lib import snils as snils_lib


def validate_snils(value: str) -> None:
    if not value:
        return
    try:
        snils_lib.validate(value)
    except snils_lib.SnilsError as exc:
        if exc.code == "format":
            raise ValidationError(_("SNILS must have 11 digits: XXX-XXX-XXX YY."), code="snils_format") from exc
        raise ValidationError(_("SNILS checksum does not match: check the number."), code="snils_checksum") from exc


def validate_not_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")


def validate_birth_date(value: datetime.date) -> None:
    validate_not_future(value)
    if value and value.year < 1890:
        raise ValidationError(_("The birth date is too far in the past."), code="birth_date_too_old")
