"""`opora export`: an organisation's data written back in the exchange format, so that importing the
directory into an empty database reproduces it.

CSV files are UTF-8 with a BOM (Excel then reads Cyrillic correctly) separated by `;`; dates are
YYYY-MM-DD, money has a decimal point; a text a spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`) is
written with a leading apostrophe, which the import takes off (lib/xlsx.csv_cell). XLSX cells are always text.
The services file holds one row per tariff with its start in `tariff_from` (an Opora extension of the format),
so the tariff history travels; a recipient without an external id is written as `opora-<id>`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import transaction

from opora.audit.models import AuditEvent, EventType
from opora.catalogue.models import Service, Tariff
from opora.delivery.models import Delivery
from opora.exchange import activities, applications, fieldwork, outreach, quality
from opora.exchange import money as money_files
from opora.exchange import plans as exchange_plans
from opora.exchange.spec import COLUMNS, MULTI
from opora.lib import xlsx
from opora.org.models import AssignmentPlan, Department, Employee, Organisation
from opora.people.models import Enrolment, Recipient

FORMATS = ("csv", "xlsx")

# The columns of each file in the order of the format's description (and of the rows written below).
HEADERS: dict[str, list[str]] = {
    "organisation": ["code", "name", "region", "address", "founder"],
    "departments": ["code", "name", "kind"],
    "workers": ["tab_no", "full_name", "position", "department_code", "hired_on", "dismissed_on"],
    "recipients": ["external_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils",
                   "settlement", "sector", "categories"],
    "enrolments": ["recipient_id", "department_code", "form", "admitted_on", "discharged_on", "discharge_reason",
                   "worker_tab_no"],
    "services": ["code", "name", "type", "list", "unit", "tariff", "time_norm_min", "tariff_from", "innovative"],
    "deliveries": ["recipient_id", "department_code", "service_code", "date", "quantity", "worker_tab_no", "amount",
                   "online"],
    "assignment": ["department_code", "year", "services_plan", "recipients_plan"],
    "plans": exchange_plans.PLANS_HEADER,
    "plan_items": exchange_plans.ITEMS_HEADER,
    "applications": applications.HEADER,
}
HEADERS.update(money_files.HEADERS)
HEADERS.update(fieldwork.HEADERS)  # families, family_members, visits, release_notices (issue 14)
HEADERS.update(quality.HEADERS)
HEADERS["enrolments"].append("shift_code")  # exchange/outreach.py: the join columns and files
HEADERS["deliveries"].append("trip_code")
HEADERS.update({"shifts": outreach.SHIFTS_HEADER, "brigade_trips": outreach.TRIPS_HEADER})
# Written for a Ukrainian organisation only (Writer.write's `extra`): its jurisdiction and its people's RNOKPP.
UA_ONLY: dict[str, tuple[str, ...]] = {"organisation": ("jurisdiction",), "recipients": ("rntrc",)}
assert all(sorted(h + list(UA_ONLY.get(n, ()))) == sorted(COLUMNS[n][0] + COLUMNS[n][1]) for n, h in HEADERS.items())


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class Writer:
    def __init__(self, directory: Path, fmt: str):
        self.directory, self.fmt = directory, fmt

    def write(self, name: str, rows: Iterable[Iterable[Any]], extra: tuple[str, ...] = ()) -> int:
        """`extra`: optional columns written after the usual ones (a Ukrainian organisation's jurisdiction, RNOKPP)."""
        header = (HEADERS.get(name) or list(COLUMNS[name][0] + COLUMNS[name][1])) + list(extra)
        count = 0
        if self.fmt == "xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            sheet = book.create_sheet(name)
            sheet.append(xlsx.row(sheet, header))
            for row in rows:
                sheet.append(xlsx.row(sheet, [_text(v) for v in row]))  # every string as text, never a formula
                count += 1
            book.save(self.directory / f"{name}.xlsx")
            return count
        with open(self.directory / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, delimiter=";")
            out.writerow(header)
            for row in rows:
                out.writerow([xlsx.csv_cell(_text(v)) for v in row])  # formula-like text with an apostrophe
                count += 1
        return count


def export_directory(organisation: Organisation, directory: Path, *, fmt: str = "csv", actor=None) -> dict[str, int]:
    """Write the files of the organisation into `directory`; return the number of rows per file."""
    """Write the nine files of the organisation into `directory`; return the number of rows per file."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    directory.mkdir(parents=True, exist_ok=True)
    org = organisation
    w = Writer(directory, fmt)
    counts: dict[str, int] = {}
    dept = dict(Department.objects.filter(organisation=org).values_list("id", "code"))
    tab = dict(Employee.objects.filter(organisation=org).values_list("id", "tab_no"))
    ext = {pk: e or f"opora-{pk}" for pk, e in Recipient.objects.filter(organisation=org)
           .values_list("id", "external_id")}
    svc = dict(Service.objects.filter(organisation=org).values_list("id", "code"))

    ua = org.jurisdiction != "ru"  # a Ukrainian organisation: its jurisdiction and its people's RNOKPP are written
    counts["organisation"] = w.write("organisation", [[org.code, org.name, org.region, org.address, org.founder,
                                                       *([org.jurisdiction] if ua else [])]],
                                     extra=UA_ONLY["organisation"] if ua else ())
    counts["departments"] = w.write("departments", Department.objects.filter(organisation=org).order_by("code")
                                    .values_list("code", "name", "kind"))
    counts["workers"] = w.write("workers", (
        [t, " ".join(p for p in (last, first, patronymic) if p), position, dept[d], hired, dismissed, ]
        for t, last, first, patronymic, position, d, hired, dismissed in Employee.objects.filter(organisation=org)
        .order_by("tab_no").values_list("tab_no", "last_name", "first_name", "patronymic", "position",
                                        "department_id", "hired_on", "dismissed_on")))
    categories: dict[int, list[str]] = {}
    for rid, code in Recipient.categories.through.objects.filter(recipient__organisation=org).values_list(
            "recipient_id", "category__code"):
        categories.setdefault(rid, []).append(code)
    counts["recipients"] = w.write("recipients", (
        [ext[pk], last, first, patronymic, sex, birth, snils, settlement or "", sector,
         MULTI.join(sorted(categories.get(pk, []))), *([rntrc] if ua else [])]
        for pk, last, first, patronymic, sex, birth, snils, settlement, sector, rntrc in Recipient.objects.filter(
            organisation=org).order_by("id").values_list("id", "last_name", "first_name", "patronymic", "sex",
                                                         "birth_date", "snils", "settlement__name", "sector",
                                                         "rntrc")), extra=UA_ONLY["recipients"] if ua else ())
    shift_of = outreach.shift_codes(org.pk)
    counts["enrolments"] = w.write("enrolments", (
        [ext[r], dept[d], form, admitted, discharged, reason, tab.get(worker, ""), shift_of.get(pk, "")]
        for pk, r, d, form, admitted, discharged, reason, worker in Enrolment.objects.filter(organisation=org)
        .order_by("recipient_id", "department_id", "admitted_on").values_list(
            "id", "recipient_id", "department_id", "form", "admitted_on", "discharged_on", "discharge_reason",
            "worker_id")))
    prices: dict[int, list[tuple[Any, Any]]] = {}
    for sid, valid_from, price in Tariff.objects.filter(service__organisation=org).order_by(
            "service_id", "valid_from").values_list("service_id", "valid_from", "price"):
        prices.setdefault(sid, []).append((valid_from, price))
    counts["services"] = w.write("services", (
        [code, name, type_, list_, unit, f"{price:.2f}", norm, valid_from, int(innovative)]
        for pk, code, name, type_, list_, unit, norm, innovative in Service.objects.filter(organisation=org)
        .order_by("code").values_list("id", "code", "name", "type", "list", "unit", "time_norm_min", "innovative")
        for valid_from, price in prices.get(pk) or [(None, 0)]))
    counts["deliveries"] = w.write("deliveries", _deliveries(org, ext, dept, svc, tab))
    counts["assignment"] = w.write("assignment", (
        [dept[d], year, services, people] for d, year, services, people in AssignmentPlan.objects.filter(
            organisation=org).order_by("department_id", "year").values_list(
            "department_id", "year", "services_plan", "recipients_plan")))
    counts.update(money_files.export(org, w.write, ext))
    counts.update(exchange_plans.export(w, org))
    for name, rows in fieldwork.export_rows(org, ext, tab):  # issue 14
        counts[name] = w.write(name, rows)
    counts.update(quality.export(org, w, dept, tab, ext))  # quality and staff development (EXCHANGE.md Part 2)
    counts["applications"] = w.write("applications", applications.export_rows(org.pk, ext, dept))
    counts.update(activities.export(org, w, ext, dept))  # issue 13: groups, members, sessions, events
    counts.update(outreach.export(org, w, dept))  # issue 13: day-stay shifts, brigade trips
    with transaction.atomic():
        AuditEvent.objects.create(organisation=org, actor_id=getattr(actor, "user_id", None),
                                  event_type=EventType.EXPORTED, object_type="export", object_id=org.code,
                                  object_repr=str(directory.name)[:300], changes=counts)
    return counts


def _deliveries(org: Organisation, ext: dict, dept: dict, svc: dict, tab: dict) -> Iterator[list[Any]]:
    """The journal in an order that keeps identical lines in the order of their `seq` (the import numbers
    identical lines by their position in the file), with the optional columns `online` (issue 17) and `trip_code`
    (exchange/outreach.py: only the lines delivered on a brigade trip carry one)."""
    rows = Delivery.objects.filter(organisation=org).order_by(
        "date", "recipient_id", "department_id", "service_id", "worker_id", "seq").values_list(
        "id", "recipient_id", "department_id", "service_id", "date", "quantity", "worker_id", "amount", "online")
    trip_of = outreach.trip_codes(org.pk)
    iso: dict[Any, str] = {}
    for pk, r, d, s, day, quantity, worker, amount, online in rows.iterator(chunk_size=20000):
        text = iso.get(day)
        if text is None:
            text = iso[day] = day.isoformat()
        yield [ext[r], dept[d], svc[s], text, quantity, tab[worker] if worker else "", f"{amount:.2f}", int(online),
               trip_of.get(pk, "")]
