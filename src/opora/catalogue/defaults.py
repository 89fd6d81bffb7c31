"""The default Russian catalogue: kept in the jurisdictions layer (opora.jurisdictions.ru_services)."""

from opora.jurisdictions.ru_services import DEFAULT_SERVICES, DEFAULT_TARIFF_DATE

__all__ = ["DEFAULT_SERVICES", "DEFAULT_TARIFF_DATE"]
