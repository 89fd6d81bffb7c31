"""The files of the exchange format (docs: /work/shared/EXCHANGE.md) and their columns, in import order."""

from __future__ import annotations

# file name → (required columns, optional columns)
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "organisation": (("code", "name"), ("region", "address", "founder")),
    "departments": (("code", "name", "kind"), ()),
    "workers": (("tab_no", "full_name", "position", "department_code", "hired_on"), ("dismissed_on",)),
    "recipients": (("external_id", "last_name", "first_name", "sex", "birth_date"),
                   ("patronymic", "snils", "settlement", "sector", "categories")),
    "enrolments": (("recipient_id", "department_code", "form", "admitted_on"),
                   ("discharged_on", "discharge_reason", "worker_tab_no")),
    # tariff_from: an Opora extension (the tariff's start; several rows of one code carry its history)
    "services": (("code", "name", "type", "list", "unit", "tariff"), ("time_norm_min", "tariff_from")),
    "deliveries": (("recipient_id", "department_code", "service_code", "date"),
                   ("quantity", "worker_tab_no", "amount")),
    "assignment": (("department_code", "year", "services_plan", "recipients_plan"), ()),
    # Part 2, services beyond casework (issue 13; opora.exchange.activities)
    "groups": (("code", "name", "kind"), ("department_code", "start", "end")),
    "group_members": (("group_code", "recipient_id"), ("joined_on", "left_on")),
    "sessions": (("group_code", "date", "attendance"), ("topic",)),
    "events": (("code", "date", "name", "kind", "participants"), ("department_code",)),
    "taxi_trips": (("recipient_id", "date", "destination", "amount"), ("out_of_district", "km", "worker_tab_no")),
}

FILES: tuple[str, ...] = tuple(COLUMNS)

# A cell holding several codes separates them with this.
MULTI = "|"
