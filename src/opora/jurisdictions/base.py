"""The Jurisdiction object and the look-up by organisation."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from opora.lib.errors import DomainError

# A default catalogue row: code, name, type, list, unit, time norm in minutes, tariff (in the currency) as text.
ServiceRow = tuple[str, str, str, str, str, int | None, str]


@dataclass(frozen=True)
class Jurisdiction:
    """The rules and default reference data of one country's law."""

    code: str  # "ru", "ua" — the values of org.models.Jurisdiction
    law: str  # the law the casework follows
    currency: str  # ISO 4217: "RUB", "UAH"
    currency_name: Promise  # "roubles", "hryvnias" (translated, plural, as in «Amount, roubles»)
    currency_short: str  # «руб.», «грн»: printed after an amount in the organisation's own documents
    language: str  # the language of the organisation's documents: "ru", "uk"
    calendar_country: str  # the `holidays` package's country code
    identity_field: str  # the person's identity number field: "snils" (Russia) or "rntrc" (Ukraine)
    identity_name: Promise  # «SNILS», «RNOKPP (taxpayer number)»
    # compact identity number → the compact number, or DomainError naming `identity_field`
    validate_identity: Callable[[str], str]
    fee_rule: str  # "442-FZ" (art. 31–32) or "KMU-429" (the resolution of 01.06.2020 № 429)
    department_kinds: tuple[str, ...]  # codes of core.reference.DepartmentKind this law knows
    default_services: tuple[ServiceRow, ...]
    budget_classifier: str  # «КОСГУ», «КЕКВ»
    budget_codes: Mapping[str, str]  # code → name; empty: any code is accepted
    service_code_pattern: re.Pattern[str] | None = None  # how a service is coded (None: freely)

    def check_budget_code(self, code: str, field: str = "code") -> str:
        """The code if the classifier holds it (or the jurisdiction keeps no list), else a DomainError."""
        from django.utils.translation import gettext as _

        code = (code or "").strip()
        if self.budget_codes and code not in self.budget_codes:
            raise DomainError(_("%(code)s is not a code of the budget classifier %(classifier)s.")
                              % {"code": code, "classifier": self.budget_classifier}, field=field)
        return code

    def check_service_code(self, code: str, field: str = "code") -> str:
        """A service's code as this law codes services (Ukraine: the classifier of social services, 015.1)."""
        from django.utils.translation import gettext as _

        code = (code or "").strip()
        if self.service_code_pattern is not None and not self.service_code_pattern.fullmatch(code):
            raise DomainError(_("A service of a Ukrainian organisation is coded by the classifier of social "
                                "services (NNN.N, e.g. 015.1): %(code)s is not such a code.") % {"code": code},
                              field=field)
        return code


_REGISTRY: dict[str, Jurisdiction] = {}


def register(jurisdiction: Jurisdiction) -> Jurisdiction:
    _REGISTRY[jurisdiction.code] = jurisdiction
    return jurisdiction


def get(code: str) -> Jurisdiction:
    """The jurisdiction of a code ("ru", "ua"); an unknown code is a KeyError."""
    _load()
    return _REGISTRY[code]


def all_jurisdictions() -> list[Jurisdiction]:
    _load()
    return list(_REGISTRY.values())


def jurisdiction_for(organisation: Any) -> Jurisdiction:
    """The jurisdiction of an organisation (anything with a `jurisdiction` code), of a code, or Russia for None."""
    if organisation is None:
        return get("ru")
    code = organisation if isinstance(organisation, str) else getattr(organisation, "jurisdiction", "ru")
    return get(code or "ru")


_KNOWN = 2  # ru, ua


def _load() -> None:
    # every jurisdiction, even when one module was imported (and registered) before the first look-up
    if len(_REGISTRY) < _KNOWN:
        from opora.jurisdictions import ru, ua  # noqa: F401  (each registers itself; each imports this module)
