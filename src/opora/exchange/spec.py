"""The files of the exchange format (docs: /work/shared/EXCHANGE.md) and their columns, in import order."""

from __future__ import annotations

from opora.exchange.quality_columns import COLUMNS as QUALITY_COLUMNS

# file name → (required columns, optional columns)
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # jurisdiction: ru (the default) or ua (EXCHANGE.md, "The Ukrainian edition")
    "organisation": (("code", "name"), ("region", "address", "founder", "jurisdiction")),
    "departments": (("code", "name", "kind"), ()),
    "workers": (("tab_no", "full_name", "position", "department_code", "hired_on"), ("dismissed_on",)),
    "recipients": (("external_id", "last_name", "first_name", "sex", "birth_date"),
                   ("patronymic", "snils", "settlement", "sector", "categories", "rntrc")),  # rntrc: Ukraine
    "enrolments": (("recipient_id", "department_code", "form", "admitted_on"),
                   ("discharged_on", "discharge_reason", "worker_tab_no")),
    # tariff_from: an Opora extension (the tariff's start; several rows of one code carry its history)
    "services": (("code", "name", "type", "list", "unit", "tariff"), ("time_norm_min", "tariff_from")),
    "deliveries": (("recipient_id", "department_code", "service_code", "date"),
                   ("quantity", "worker_tab_no", "amount")),
    "assignment": (("department_code", "year", "services_plan", "recipients_plan"), ()),
    # Money (EXCHANGE.md Part 2; opora.exchange.money)
    "funds": (("code", "name", "source"), ()),
    "fund_receipts": (("fund_code", "date", "amount"), ("kind", "note")),
    "campaigns": (("code", "name"), ("start", "end")),
    "aid": (("fund_code", "kind", "date", "amount"),
            ("recipient_id", "family_id", "quantity", "campaign_code", "note")),
    "budget": (("year", "month", "fund", "code", "approved"), ("name",)),
    "spending": (("date", "fund", "code", "amount"), ()),
    "plans": (("code", "title", "kind", "year"), ()),
    "plan_items": (("plan_code", "number", "section", "text"),
                   ("deadline", "responsible", "mark", "indicator", "params", "target", "period")),
    # issue 14 (EXCHANGE.md Part 2): the families' register and field work, read by exchange/fieldwork.py
    "families": (("external_id", "name"), ("settlement", "sector", "categories", "children", "registered_on",
                                            "deregistered_on", "deregistration_reason")),
    "family_members": (("family_id", "recipient_id"), ("relation",)),
    "visits": (("date", "kind"), ("family_id", "recipient_id", "settlement", "worker_tab_no", "people", "outcome")),
    "release_notices": (("received_on", "full_name", "birth_date", "release_date", "outcome"),
                        ("settlement", "institution", "checked_on", "recipient_id")),
    "applications": (("recipient_id", "received_on", "form"),
                     ("channel", "department_code", "decision", "decided_on")),  # exchange/applications.py
    # Part 2, services beyond casework (issue 13; opora.exchange.activities)
    "groups": (("code", "name", "kind"), ("department_code", "start", "end")),
    "group_members": (("group_code", "recipient_id"), ("joined_on", "left_on")),
    "sessions": (("group_code", "date", "attendance"), ("topic",)),
    "events": (("code", "date", "name", "kind", "participants"), ("department_code",)),
    "taxi_trips": (("recipient_id", "date", "destination", "amount"), ("out_of_district", "km", "worker_tab_no")),
    # the rental point and volunteers (issue 13; opora.exchange.activities); rentals.due_on (the expected return)
    # and rentals.worker_tab_no are Opora extensions
    "rental_items": (("code", "name", "kind"), ("inventory_no",)),
    "rentals": (("item_code", "recipient_id", "issued_on"), ("returned_on", "amount", "due_on", "worker_tab_no")),
    "volunteers": (("code", "full_name"), ("kind", "joined_on")),
    "volunteer_work": (("volunteer_code", "date"), ("hours", "recipient_id", "activity")),
}
# day-stay shifts and the mobile brigade (EXCHANGE.md Part 2; opora.exchange.outreach); capacity: an Opora extension
COLUMNS["shifts"] = (("code", "department_code", "start", "end"), ("capacity",))
COLUMNS["brigade_trips"] = (("code", "date", "settlement"), ("members", "purpose"))
COLUMNS["enrolments"] = (COLUMNS["enrolments"][0], (*COLUMNS["enrolments"][1], "shift_code"))
COLUMNS["deliveries"] = (COLUMNS["deliveries"][0], (*COLUMNS["deliveries"][1], "trip_code"))
COLUMNS.update(QUALITY_COLUMNS)  # quality and staff development (EXCHANGE.md Part 2; exchange/quality.py)
# issue 17 (EXCHANGE.md Part 2, "The Ukrainian edition"): optional 0/1 columns of Part 1's files
COLUMNS["services"] = (COLUMNS["services"][0], (*COLUMNS["services"][1], "innovative"))
COLUMNS["deliveries"] = (COLUMNS["deliveries"][0], (*COLUMNS["deliveries"][1], "online"))

FILES: tuple[str, ...] = tuple(COLUMNS)

# A cell holding several codes separates them with this.
MULTI = "|"
