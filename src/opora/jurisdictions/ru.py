"""Russia: Federal Law 442-ФЗ (domain/RULES.md, "Russia")."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opora.jurisdictions.base import Jurisdiction, register
from opora.jurisdictions.ru_services import DEFAULT_SERVICES
from opora.lib import snils as snils_lib
from opora.lib.errors import DomainError


def validate_snils(value: str) -> str:
    """A SNILS in its compact form, or a DomainError on the field `snils`."""
    try:
        return snils_lib.validate(value)
    except snils_lib.SnilsError as exc:
        if exc.code == "format":
            raise DomainError(gettext("SNILS must have 11 digits: XXX-XXX-XXX YY."), field="snils") from exc
        raise DomainError(gettext("SNILS checksum does not match: check the number."), field="snils") from exc


RUSSIA = register(Jurisdiction(
    code="ru",
    law="442-ФЗ",
    currency="RUB",
    currency_name=_("roubles"),
    currency_short="руб.",
    language="ru",
    calendar_country="RU",
    identity_field="snils",
    identity_name=_("SNILS"),
    validate_identity=validate_snils,
    fee_rule="442-FZ",
    department_kinds=("home_care", "urgent", "day_stay", "social_adaptation", "family_children", "rehabilitation",
                      "homeless", "administration"),
    default_services=tuple(DEFAULT_SERVICES),
    budget_classifier="КОСГУ",
    budget_codes={},  # КОСГУ is long and regional practice varies: any code is accepted
))
