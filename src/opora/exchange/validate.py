"""Reading and checking every row of an exchange directory before anything is written.

The result is a `Plan`: the rows of each file, parsed and checked against each other and against
what the target organisation already holds, still keyed by their codes (ids are resolved when the
plan is written, by opora.exchange.load). Every problem is collected as `file:line: column: message`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opora.catalogue.defaults import DEFAULT_TARIFF_DATE
from opora.catalogue.models import Service, Tariff
from opora.core.reference import (
    DepartmentKind,
    DischargeReason,
    Form,
    Position,
    Sector,
    ServiceList,
    ServiceType,
    Sex,
)
from opora.delivery import bulk, rules
from opora.exchange import activities, applications, fieldwork, outreach, quality
from opora.exchange import money as money_files
from opora.exchange import plans as exchange_plans
from opora.exchange.reader import FileRefused, Table, find_file, read_table
from opora.exchange.spec import COLUMNS, FILES, MULTI
from opora.jurisdictions import jurisdiction_for
from opora.lib import snils as snils_lib
from opora.lib.dates import DateFormatError, parse_date
from opora.lib.errors import DomainError
from opora.lib.formats import day as fmt_day
from opora.org.models import Department, Employee, Jurisdiction, Organisation
from opora.people.models import Category, Enrolment, Recipient

# The tariff of the services file is the price in force from this date (the catalogue's default date).
TARIFF_VALID_FROM = DEFAULT_TARIFF_DATE

PROBLEMS_PER_FILE = 1000

# wraps the rows of a table (pairs of line and cells, or cells) in a progress bar
Progress = Callable[[Table, Iterator[Any]], Iterator[Any]]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.line:  # a problem of the whole file
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.column}: {self.message}" if self.column else \
            f"{self.file}:{self.line}: {self.message}"


class Problems:
    """Every problem, at most PROBLEMS_PER_FILE shown per file (the rest are counted)."""

    def __init__(self) -> None:
        self.shown: list[Problem] = []
        self.per_file: Counter[str] = Counter()

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.per_file[file] += 1
        if self.per_file[file] <= PROBLEMS_PER_FILE:
            self.shown.append(Problem(file, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.per_file)

    def __len__(self) -> int:
        return sum(self.per_file.values())

    def lines(self) -> list[str]:
        out = [str(p) for p in self.shown]
        for file, count in self.per_file.items():
            if count > PROBLEMS_PER_FILE:
                out.append(_("%(file)s: %(count)s more problems not shown.")
                           % {"file": file, "count": count - PROBLEMS_PER_FILE})
        return out


# A recipient without an external id is exported as `opora-<id>` (their id in the exporting database).
OWN_ID_PREFIX = "opora-"


@dataclass
class Existing:
    """What the target organisation already holds, by code (empty for a new organisation)."""

    departments: dict[str, str] = field(default_factory=dict)  # code → kind
    department_rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, id)
    names: dict[int, str] = field(default_factory=dict)  # a person's id → full name
    service_rows: dict[str, tuple[str, str, bool, int]] = field(default_factory=dict)  # code → (name, type, active, id)
    worker_ids: dict[str, int] = field(default_factory=dict)  # tab_no → id
    organisation_id: int | None = None
    workers: set[str] = field(default_factory=set)  # tab_no
    recipients: dict[str, int] = field(default_factory=dict)  # external_id → id
    people: dict[int, tuple[str | None, str]] = field(default_factory=dict)  # id → (external_id, compact SNILS)
    snils: dict[str, int] = field(default_factory=dict)  # compact SNILS → id
    services: dict[str, str] = field(default_factory=dict)  # code → list
    tariffs: dict[str, list[tuple[datetime.date, Decimal]]] = field(default_factory=dict)  # code → (from, price)
    enrolments: dict[tuple[int, str, datetime.date], datetime.date | None] = field(default_factory=dict)  # by id
    categories: set[str] = field(default_factory=set)

    def own_id(self, ref: str) -> int | None:
        """The person a reference of the form `opora-<id>` names: the person with that id in this organisation,
        provided they have no external id (else their external id would have been exported)."""
        if not ref.startswith(OWN_ID_PREFIX) or not ref[len(OWN_ID_PREFIX):].isdigit():
            return None
        pk = int(ref[len(OWN_ID_PREFIX):])
        person = self.people.get(pk)
        return pk if person is not None and not person[0] else None

    def resolve(self, ref: str) -> int | None:
        """The existing person a recipient_id names: by external id, else by the `opora-<id>` form."""
        pk = self.recipients.get(ref)
        return pk if pk is not None else self.own_id(ref)


def load_existing(organisation_code: str) -> Existing:
    ex = Existing(categories=set(Category.objects.values_list("code", flat=True)))
    org = Organisation.objects.filter(code=organisation_code).first()
    if org is None:
        return ex
    ex.organisation_id = org.pk
    for pk, code, name, kind in Department.objects.filter(organisation=org).values_list("id", "code", "name", "kind"):
        ex.departments[code] = kind
        ex.department_rows[code] = (name, pk)
    ex.worker_ids = dict(Employee.objects.filter(organisation=org).values_list("tab_no", "id"))
    ex.workers = set(ex.worker_ids)
    for pk, ext, number, last, first, patronymic in Recipient.objects.filter(organisation=org).values_list(
            "id", "external_id", "snils", "last_name", "first_name", "patronymic"):
        ex.people[pk] = (ext, number)
        ex.names[pk] = " ".join(p for p in (last, first, patronymic) if p)
        if ext:
            ex.recipients[ext] = pk
        if number:
            ex.snils[number] = pk
    for pk, code, name, kind, lst, active in Service.objects.filter(organisation=org).values_list(
            "id", "code", "name", "type", "list", "is_active"):
        ex.services[code] = lst
        ex.service_rows[code] = (name, kind, active, pk)
    for code, valid_from, price in Tariff.objects.filter(service__organisation=org).values_list(
            "service__code", "valid_from", "price"):
        ex.tariffs.setdefault(code, []).append((valid_from, price))
    for rid, dept, admitted, discharged in Enrolment.objects.filter(organisation=org).values_list(
            "recipient_id", "department__code", "admitted_on", "discharged_on"):
        ex.enrolments[(rid, dept, admitted)] = discharged
    return ex


@dataclass
class Plan:
    """The checked rows, keyed by their codes. Each dict's values are the model's field values."""

    organisation_code: str = ""
    organisation: dict[str, Any] | None = None
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    workers: dict[str, dict[str, Any]] = field(default_factory=dict)
    recipients: dict[str, dict[str, Any]] = field(default_factory=dict)  # by the file's external_id
    # every recipient_id of the files that names a person already in the organisation → that person's id
    # (by external id, by the `opora-<id>` form, or, for rows of the recipients file, by SNILS)
    people: dict[str, int] = field(default_factory=dict)
    enrolments: dict[tuple[str, str, datetime.date], dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (recipient_id, department_code, service_code, date, worker_tab_no or "", quantity, list, tariff, amount,
    #  urgent: the line goes on an act of urgent services)
    deliveries: list[tuple] = field(default_factory=list)
    # issue 17: the positions in `deliveries` of the lines marked online; None when the file has no column `online`
    online_deliveries: set[int] | None = None
    assignment: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    quality: Any = None  # quality.bulk.QualityRows (exchange/quality.py)
    quality_refs: Any = None
    applications: dict[tuple[str, datetime.date, str], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # file name → the file's name on disk
    money: Any = None  # opora.exchange.money.MoneyPlan
    plans: list[Any] = field(default_factory=list)  # plans.actions.PlanData (exchange/plans.py)
    fieldwork: Any = None  # exchange/fieldwork.py's FieldworkPlan (families, members, visits, release notices)
    activities: Any = None  # exchange.activities.ActivitiesPlan (issue 13)
    # day-stay shifts and the mobile brigade (exchange/outreach.py): the rows carrying a shift or trip code
    enrolment_shifts: dict[tuple[str, str, datetime.date], tuple[str, int]] = field(default_factory=dict)
    delivery_trips: list[tuple[int, str, int]] = field(default_factory=list)  # (index in deliveries, code, line)
    outreach: Any = None  # exchange.outreach.OutreachPlan
    warnings: list[Problem] = field(default_factory=list)  # imported anyway, shown with file and line (aid overspent)


class BadValue(ValueError):
    pass


def _codes(choices) -> set[str]:
    return {str(v) for v in choices.values}


class Validator:
    def __init__(self, directory: Path, organisation_code: str | None, progress: Progress | None = None):
        self.directory = directory
        self.requested_code = organisation_code
        self.problems = Problems()
        self.plan = Plan()
        self.today = timezone.localdate()
        self.progress = progress
        self._dates: dict[str, datetime.date | str] = {}
        self._tariffs: dict[tuple[Any, datetime.date], Decimal | None] = {}
        self.tables: dict[str, Table] = {}

    # ---- cells ----------------------------------------------------------------------------------
    def date(self, text: str) -> datetime.date:
        """A date in YYYY-MM-DD or DD.MM.YYYY, not in the future (cached: a journal has few distinct dates)."""
        cached = self._dates.get(text)
        if cached is None:
            cached = self._parse_date(text)
            self._dates[text] = cached
        if isinstance(cached, str):
            raise BadValue(cached)
        return cached

    def _parse_date(self, text: str, *, future: bool = False) -> datetime.date | str:
        try:
            day = parse_date(text)
        except DateFormatError:
            return _("«%(value)s» is not a date (expected YYYY-MM-DD or DD.MM.YYYY).") % {"value": text}
        if day > self.today and not future:
            return rules.future_date_message()
        return day

    @staticmethod
    def integer(text: str, minimum: int = 0) -> int:
        t = text.replace(" ", "").replace("\u00a0", "")
        if not t.isdigit():
            raise BadValue(_("«%(value)s» is not a whole number.") % {"value": text})
        value = int(t)
        if value < minimum:
            raise BadValue(_("The number must be at least %(minimum)s.") % {"minimum": minimum})
        return value

    @staticmethod
    def money(text: str) -> Decimal:
        t = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            value = Decimal(t)
        except InvalidOperation:
            raise BadValue(_("«%(value)s» is not a number.") % {"value": text}) from None
        if not value.is_finite():
            raise BadValue(_("«%(value)s» is not a number.") % {"value": text})
        if value < 0:
            raise BadValue(_("The amount cannot be negative."))
        return value.quantize(Decimal("0.01"))

    # ---- files ----------------------------------------------------------------------------------
    def open_tables(self) -> None:
        """Find the files and check their headers: a missing required or an unknown column is an error."""
        for name in FILES:
            path = find_file(self.directory, name)
            if path is None:
                continue
            try:
                table = read_table(path)
            except FileRefused as exc:  # a file that cannot be read at all: named, the next one is still checked
                self.problems.add(exc.file, exc.line, exc.column, exc.message)
                continue
            self.tables[name] = table
            self.plan.files[name] = table.name
            required, optional = COLUMNS[name]
            seen: set[str] = set()
            for column in table.header:
                if column not in required and column not in optional:
                    self.problems.add(table.name, 1, column or "?", _("Unknown column."))
                elif column in seen:
                    self.problems.add(table.name, 1, column, _("The column appears twice."))
                seen.add(column)
            for column in required:
                if column not in seen:
                    self.problems.add(table.name, 1, column, _("A required column is missing."))

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of a file as {column: stripped cell}; every column of the spec is present."""
        table = self.tables.get(name)
        if table is None:
            return
        required, optional = COLUMNS[name]
        header = table.header
        width = len(header)
        blank = dict.fromkeys(required + optional, "")
        source = self.progress(table, table.rows) if self.progress else table.rows
        for line, cells in source:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                self.problems.add(table.name, line, str(width + 1), _("The row has more cells than the header."))
                continue
            row = blank.copy()
            row.update(zip(header, map(str.strip, cells), strict=False))
            yield line, row

    def run(self) -> Plan:
        try:
            return self._run()
        except FileRefused as exc:  # a file found bad while its rows are read (a cell too long, a NUL, damage)
            self.problems.add(exc.file, exc.line, exc.column, exc.message)
            return self.plan

    def _run(self) -> Plan:
        self.open_tables()
        if self.problems:
            return self.plan
        self.organisation()
        if self.problems:
            return self.plan
        self.existing = load_existing(self.plan.organisation_code)
        self.departments()
        self.workers()
        self.recipients()
        self.enrolments()
        self.services()
        self.deliveries()
        self.assignment()
        money_files.validate(self)
        exchange_plans.validate(self)
        fieldwork.validate(self)  # families, family_members, visits, release_notices (issue 14)
        quality.validate(self)  # quality and staff development (EXCHANGE.md Part 2)
        applications.validate(self)
        activities.validate(self)
        outreach.validate(self)  # day-stay shifts, brigade trips and their join columns
        return self.plan

    # ---- helpers for rows -----------------------------------------------------------------------
    def _required(self, file: str, line: int, row: dict[str, str], columns: tuple[str, ...]) -> bool:
        ok = True
        for column in columns:
            if not row[column]:
                self.problems.add(file, line, column, _("A value is required."))
                ok = False
        return ok

    def _code(self, file: str, line: int, row: dict[str, str], column: str, allowed: set[str] | dict,
              message: str) -> bool:
        value = row[column]
        if value and value not in allowed:
            self.problems.add(file, line, column, message % {"code": value})
            return False
        return True

    def _date(self, file: str, line: int, row: dict[str, str], column: str) -> datetime.date | None:
        if not row[column]:
            return None
        try:
            return self.date(row[column])
        except BadValue as exc:
            self.problems.add(file, line, column, str(exc))
            return None

    def _duplicate(self, file: str, line: int, column: str, value: str, first_line: int) -> None:
        self.problems.add(file, line, column, _("Duplicate «%(value)s»: already on line %(line)s.")
                          % {"value": value, "line": first_line})

    # ---- organisation ---------------------------------------------------------------------------
    def organisation(self) -> None:
        rows = list(self.rows("organisation"))
        name = self.plan.files.get("organisation", "organisation.csv")
        if len(rows) > 1:
            self.problems.add(name, rows[1][0], "code", _("The organisation file must hold exactly one row."))
        if rows:
            line, row = rows[0]
            if self._required(name, line, row, COLUMNS["organisation"][0]):
                self.plan.organisation = {k: row[k] for k in ("name", "region", "address", "founder")}
                self.plan.organisation_code = self.requested_code or row["code"]
                jurisdiction = row.get("jurisdiction", "")
                if jurisdiction and jurisdiction not in _codes(Jurisdiction):
                    self.problems.add(name, line, "jurisdiction", _("Unknown jurisdiction «%(code)s» (expected ru or "
                                                                    "ua).") % {"code": jurisdiction})
                elif jurisdiction:  # an empty cell keeps the organisation's jurisdiction
                    self.plan.organisation["jurisdiction"] = jurisdiction
        elif self.requested_code:
            self.plan.organisation_code = self.requested_code
        if not self.plan.organisation_code and not self.problems:
            self.problems.add(name, 1, "code", _("Name the organisation: give --organisation CODE or an "
                                                 "organisation file."))
        elif (self.plan.organisation is None and self.plan.organisation_code
              and not Organisation.objects.filter(code=self.plan.organisation_code).exists()):
            self.problems.add(name, 1, "code", _("Unknown organisation «%(code)s»: import its organisation "
                                                 "file first.") % {"code": self.plan.organisation_code})
        # the law the rows are checked by: the file's jurisdiction, else the organisation's, else Russia
        code = (self.plan.organisation or {}).get("jurisdiction") or Organisation.objects.filter(
            code=self.plan.organisation_code).values_list("jurisdiction", flat=True).first()
        self.law = jurisdiction_for(code or "ru")

    # ---- departments ----------------------------------------------------------------------------
    def departments(self) -> None:
        file = self.plan.files.get("departments", "")
        kinds = _codes(DepartmentKind)
        lines: dict[str, int] = {}
        for line, row in self.rows("departments"):
            ok = self._required(file, line, row, COLUMNS["departments"][0])
            ok &= self._code(file, line, row, "kind", kinds, _("Unknown department kind «%(code)s»."))
            if row["kind"] in kinds and row["kind"] not in self.law.department_kinds:
                self.problems.add(file, line, "kind", _("This kind of department is not used under the "
                                                        "organisation's law."))
                ok = False
            code = row["code"]
            if code in lines:
                self._duplicate(file, line, "code", code, lines[code])
                continue
            lines[code] = line
            if ok:
                self.plan.departments[code] = {"name": row["name"], "kind": row["kind"]}
        self.department_kinds = dict(self.existing.departments)
        self.department_kinds.update({c: r["kind"] for c, r in self.plan.departments.items()})
        # a department whose row failed is still "known" (its own error is enough)
        for code in lines:
            self.department_kinds.setdefault(code, "")

    # ---- workers --------------------------------------------------------------------------------
    def workers(self) -> None:
        file = self.plan.files.get("workers", "")
        positions = _codes(Position)
        lines: dict[str, int] = {}
        for line, row in self.rows("workers"):
            ok = self._required(file, line, row, COLUMNS["workers"][0])
            ok &= self._code(file, line, row, "position", positions, _("Unknown position «%(code)s»."))
            ok &= self._code(file, line, row, "department_code", self.department_kinds,
                             _("Unknown department «%(code)s»."))
            hired = self._date(file, line, row, "hired_on")
            dismissed = self._date(file, line, row, "dismissed_on")
            ok &= hired is not None and (dismissed is not None or not row["dismissed_on"])
            if hired and dismissed and dismissed < hired:
                self.problems.add(file, line, "dismissed_on", _("The dismissal date cannot be before the hiring date."))
                ok = False
            parts = row["full_name"].split()
            if row["full_name"] and len(parts) < 2:
                self.problems.add(file, line, "full_name", _("Give at least the last and the first name."))
                ok = False
            tab_no = row["tab_no"]
            if tab_no in lines:
                self._duplicate(file, line, "tab_no", tab_no, lines[tab_no])
                continue
            lines[tab_no] = line
            if ok:
                self.plan.workers[tab_no] = {
                    "last_name": parts[0], "first_name": parts[1], "patronymic": " ".join(parts[2:]),
                    "position": row["position"], "department_code": row["department_code"],
                    "hired_on": hired, "dismissed_on": dismissed,
                }
        self.known_workers = self.existing.workers | set(lines)

    # ---- recipients -----------------------------------------------------------------------------
    def recipients(self) -> None:
        file = self.plan.files.get("recipients", "")
        sexes, sectors, categories = _codes(Sex), _codes(Sector), self.existing.categories
        lines: dict[str, int] = {}
        snils_lines: dict[str, int] = {}
        rntrc_lines: dict[str, int] = {}
        matched_lines: dict[int, int] = {}  # registered person → the line that describes them
        for line, row in self.rows("recipients"):
            ok = self._required(file, line, row, COLUMNS["recipients"][0])
            ok &= self._code(file, line, row, "sex", sexes, _("Unknown sex «%(code)s» (expected M or F)."))
            ok &= self._code(file, line, row, "sector", sectors, _("Unknown sector «%(code)s»."))
            birth = self._date(file, line, row, "birth_date")
            if birth is not None and birth.year < 1890:
                self.problems.add(file, line, "birth_date", _("The birth date is too far in the past."))
                ok = False
            ok &= birth is not None
            codes = [c.strip() for c in row["categories"].split(MULTI) if c.strip()]
            for code in codes:
                if code not in categories:
                    self.problems.add(file, line, "categories", _("Unknown category «%(code)s».") % {"code": code})
                    ok = False
            ext = row["external_id"]
            number = ""
            rntrc = ""
            if self.law.identity_field == "rntrc":
                if row["snils"]:
                    self.problems.add(file, line, "snils", _("A SNILS is a Russian number: a person of a Ukrainian "
                                                             "organisation has an RNOKPP instead (column rntrc)."))
                    ok = False
                if row.get("rntrc"):
                    try:
                        rntrc = self.law.validate_identity(row["rntrc"])
                    except DomainError as exc:
                        self.problems.add(file, line, "rntrc", exc.message)
                        ok = False
                    else:
                        if rntrc in rntrc_lines:
                            self._duplicate(file, line, "rntrc", row["rntrc"], rntrc_lines[rntrc])
                            ok = False
                        rntrc_lines.setdefault(rntrc, line)
            elif row.get("rntrc"):
                self.problems.add(file, line, "rntrc", _("An RNOKPP is the number of a person of a Ukrainian "
                                                         "organisation: a person here has a SNILS."))
                ok = False
            if row["snils"] and self.law.identity_field == "snils":
                try:
                    number = snils_lib.validate(row["snils"])
                except snils_lib.SnilsError as exc:
                    self.problems.add(file, line, "snils", _("SNILS must have 11 digits: XXX-XXX-XXX YY.")
                                      if exc.code == "format" else
                                      _("SNILS checksum does not match: check the number."))
                    ok = False
            if ext in lines:
                self._duplicate(file, line, "external_id", ext, lines[ext])
                continue
            lines[ext] = line
            if number:
                if number in snils_lines:
                    self._duplicate(file, line, "snils", row["snils"], snils_lines[number])
                    ok = False
                else:
                    snils_lines[number] = line
            pk = self.match_recipient(ext, number)
            if pk is not None:
                if pk in matched_lines:
                    self.problems.add(file, line, "external_id", _("This row names the same registered person as "
                                                                   "line %(line)s.") % {"line": matched_lines[pk]})
                    ok = False
                else:
                    matched_lines[pk] = line
                    self.plan.people[ext] = pk
            holder = self.existing.snils.get(number) if number else None
            if holder is not None and holder != pk:
                self.problems.add(file, line, "snils", _("A person with this SNILS is already registered "
                                                         "under another id «%(id)s».")
                                  % {"id": self.existing.people[holder][0] or f"{OWN_ID_PREFIX}{holder}"})
                ok = False
            if ok:
                self.plan.recipients[ext] = {
                    "last_name": row["last_name"], "first_name": row["first_name"], "patronymic": row["patronymic"],
                    "sex": row["sex"], "birth_date": birth, "snils": number, "rntrc": rntrc,
                    "settlement": row["settlement"],
                    "sector": row["sector"], "categories": tuple(sorted(set(codes))),
                }
        # recipient_id → the person: an existing person's id, or the external id of a person the file adds
        self.person: dict[str, int | str] = dict(self.existing.recipients)
        self.person.update({ext: self.plan.people.get(ext, ext) for ext in lines})

    def match_recipient(self, ext: str, number: str) -> int | None:
        """The registered person a row of the recipients file describes: the one with its external id; else, for
        the `opora-<id>` form of an export, that person (unless both SNILS are known and differ); else the one
        with its SNILS. None: a new person."""
        ex = self.existing
        pk = ex.recipients.get(ext)
        if pk is None:
            pk = ex.own_id(ext)
            if pk is not None and number and ex.people[pk][1] and ex.people[pk][1] != number:
                pk = None
        if pk is None and number:
            pk = ex.snils.get(number)
        return pk

    def known_person(self, ref: str) -> int | str | None:
        """The person a recipient_id of the enrolments or the journal names (None: unknown)."""
        person = self.person.get(ref)
        if person is None:
            pk = self.existing.own_id(ref)
            if pk is not None:
                self.person[ref] = person = self.plan.people[ref] = pk
        return person

    # ---- enrolments -----------------------------------------------------------------------------
    def enrolments(self) -> None:
        file = self.plan.files.get("enrolments", "")
        forms, reasons = _codes(Form), _codes(DischargeReason)
        lines: dict[tuple, int] = {}
        for line, row in self.rows("enrolments"):
            ok = self._required(file, line, row, COLUMNS["enrolments"][0])
            person = self.known_person(row["recipient_id"]) if row["recipient_id"] else None
            if row["recipient_id"] and person is None:
                self.problems.add(file, line, "recipient_id", _("Unknown recipient «%(code)s».")
                                  % {"code": row["recipient_id"]})
                ok = False
            ok &= self._code(file, line, row, "department_code", self.department_kinds,
                             _("Unknown department «%(code)s»."))
            ok &= self._code(file, line, row, "form", forms, _("Unknown form of service «%(code)s»."))
            ok &= self._code(file, line, row, "discharge_reason", reasons, _("Unknown discharge reason «%(code)s»."))
            ok &= self._code(file, line, row, "worker_tab_no", self.known_workers, _("Unknown worker «%(code)s»."))
            admitted = self._date(file, line, row, "admitted_on")
            discharged = self._date(file, line, row, "discharged_on")
            ok &= admitted is not None and (discharged is not None or not row["discharged_on"])
            if admitted and discharged and discharged < admitted:
                self.problems.add(file, line, "discharged_on",
                                  _("The discharge date cannot be before the admission date."))
                ok = False
            if discharged and not row["discharge_reason"]:
                self.problems.add(file, line, "discharge_reason", _("Choose the reason for discharge."))
                ok = False
            if row["discharge_reason"] and not row["discharged_on"]:
                self.problems.add(file, line, "discharged_on", _("Enter the discharge date."))
                ok = False
            if admitted is None:
                continue
            key = (row["recipient_id"], row["department_code"], admitted)
            same = (person if person is not None else row["recipient_id"], row["department_code"], admitted)
            if same in lines:
                # an enrolment is matched by person, department and admission date: two rows would be one
                self.problems.add(file, line, "admitted_on", _(
                    "This row repeats the enrolment on line %(line)s: the same recipient «%(recipient)s», "
                    "department «%(department)s» and admission date %(date)s. Merge the two rows or correct "
                    "the date.") % {"line": lines[same], "recipient": row["recipient_id"],
                                    "department": row["department_code"], "date": fmt_day(admitted)})
                continue
            lines[same] = line
            if ok:
                self.plan.enrolments[key] = {
                    "form": row["form"], "discharged_on": discharged, "discharge_reason": row["discharge_reason"],
                    "worker_tab_no": row["worker_tab_no"],
                }
                if row["shift_code"]:
                    self.plan.enrolment_shifts[key] = (row["shift_code"], line)
        # Periods of service by (person, department), for checking the journal.
        periods: dict[tuple[int | str, str], list[tuple[datetime.date, datetime.date]]] = {}
        far = datetime.date.max
        merged: dict[tuple[int | str, str, datetime.date], datetime.date | None] = {
            (pk, dept, admitted): discharged for (pk, dept, admitted), discharged in self.existing.enrolments.items()}
        merged.update({(self.person[ref], dept, admitted): v["discharged_on"]
                       for (ref, dept, admitted), v in self.plan.enrolments.items()})
        for (ext, dept, admitted), discharged in merged.items():
            periods.setdefault((ext, dept), []).append((admitted, discharged or far))
        self.periods = periods

    # ---- services -------------------------------------------------------------------------------
    def services(self) -> None:
        """One row per service; with the optional column `tariff_from` (an Opora extension of the format), one row
        per tariff: the rows of one code carry its tariffs from their dates and must agree on everything else.
        Without it (or with the cell empty) the tariff is in force from TARIFF_VALID_FROM."""
        file = self.plan.files.get("services", "")
        types, lists = _codes(ServiceType), _codes(ServiceList)
        history = "tariff_from" in (self.tables["services"].header if "services" in self.tables else [])
        lines: dict[str, int] = {}
        first: dict[str, dict[str, str]] = {}  # code → its first row
        tariff_lines: dict[tuple[str, datetime.date], int] = {}
        same = ("name", "type", "list", "unit", "time_norm_min", "innovative")
        innovative = "innovative" in (self.tables["services"].header if "services" in self.tables else [])
        for line, row in self.rows("services"):
            ok = self._required(file, line, row, COLUMNS["services"][0])
            ok &= self._code(file, line, row, "type", types, _("Unknown type of service «%(code)s»."))
            ok &= self._code(file, line, row, "list", lists, _("Unknown list «%(code)s» (expected basic or "
                                                                "additional)."))
            tariff = norm = None
            try:
                tariff = self.money(row["tariff"]) if row["tariff"] else None
            except BadValue as exc:
                self.problems.add(file, line, "tariff", str(exc))
                ok = False
            try:
                norm = self.integer(row["time_norm_min"]) if row["time_norm_min"] else None
            except BadValue as exc:
                self.problems.add(file, line, "time_norm_min", str(exc))
                ok = False
            if row["innovative"] not in ("", "0", "1"):  # issue 17
                self.problems.add(file, line, "innovative", _("Expected 0 or 1."))
                ok = False
            valid_from = TARIFF_VALID_FROM
            if row["tariff_from"]:
                parsed = self._parse_date(row["tariff_from"], future=True)
                if isinstance(parsed, str):
                    self.problems.add(file, line, "tariff_from", parsed)
                    ok = False
                else:
                    valid_from = parsed
            code = row["code"]
            if code:
                try:
                    self.law.check_service_code(code)
                except DomainError as exc:
                    self.problems.add(file, line, "code", exc.message)
                    ok = False
            if code in lines:
                if not history:
                    self._duplicate(file, line, "code", code, lines[code])
                    continue
                for column in same:
                    if row[column] != first[code][column]:
                        self.problems.add(file, line, column, _(
                            "Differs from line %(line)s of the same service «%(code)s»: the rows of one service "
                            "may differ only in the tariff and its date.") % {"line": lines[code], "code": code})
                        ok = False
            else:
                lines[code] = line
                first[code] = row
            if (code, valid_from) in tariff_lines:
                self.problems.add(file, line, "tariff_from", _(
                    "The service «%(code)s» already has a tariff from %(date)s on line %(line)s.")
                    % {"code": code, "date": fmt_day(valid_from), "line": tariff_lines[(code, valid_from)]})
                continue
            tariff_lines[(code, valid_from)] = line
            if ok:
                service = self.plan.services.setdefault(code, {
                    "name": row["name"], "type": row["type"], "list": row["list"], "unit": row["unit"],
                    "time_norm_min": norm, "tariffs": {}})
                if innovative:  # without the column, a service keeps its mark
                    service["innovative"] = row["innovative"] == "1"
                service["tariffs"][valid_from] = tariff
        # The list and the tariffs of every known service, as the journal will copy them: the file's tariffs
        # replace those of the same dates, the others stay.
        self.service_list = dict(self.existing.services)
        tariffs = {code: sorted(t) for code, t in self.existing.tariffs.items()}
        for code, s in self.plan.services.items():
            self.service_list[code] = s["list"]
            merged = dict(tariffs.get(code, []))
            merged.update(s["tariffs"])
            tariffs[code] = sorted(merged.items())
        for code in lines:
            self.service_list.setdefault(code, "")
        self.service_tariffs = tariffs

    def tariff_on(self, code: Any, day: datetime.date) -> Decimal | None:
        """The tariff in force on the day; before the first tariff, the first one (history: the services file
        gives one price without a date unless it has `tariff_from`); None without any."""
        key = (code, day)
        if key in self._tariffs:
            return self._tariffs[key]
        tariffs = self.service_tariffs.get(code) or []
        price = tariffs[0][1] if tariffs else None
        for valid_from, p in tariffs:
            if valid_from <= day:
                price = p
            else:
                break
        self._tariffs[key] = price
        return price

    # ---- deliveries -----------------------------------------------------------------------------
    def journal_context(self) -> bulk.Context:
        """The look-ups of the journal's rules (delivery/bulk.py), the file's rows merged with the database's."""
        ex, plan = self.existing, self.plan
        people: dict[Any, tuple[str, int | None]] = {pk: (name, pk) for pk, name in ex.names.items()}
        for ext, r in plan.recipients.items():
            key = self.person.get(ext, ext)
            name = " ".join(p for p in (r["last_name"], r["first_name"], r["patronymic"]) if p)
            people[key] = (name, key if isinstance(key, int) else None)
        departments: dict[Any, tuple[str, str, int | None]] = {
            code: (name, ex.departments[code], pk) for code, (name, pk) in ex.department_rows.items()}
        for code, d in plan.departments.items():
            departments[code] = (d["name"], d["kind"], departments.get(code, ("", "", None))[2])
        services: dict[Any, bulk.ServiceInfo] = {
            code: bulk.ServiceInfo(name, kind, ex.services[code], active, pk)
            for code, (name, kind, active, pk) in ex.service_rows.items()}
        for code, sv in plan.services.items():
            old = services.get(code)
            services[code] = bulk.ServiceInfo(sv["name"], sv["type"], sv["list"], old.active if old else True,
                                              old.id if old else None)
        enrolments: dict[tuple[Any, Any], list[tuple[datetime.date, datetime.date | None]]] = {
            key: [(admitted, None if discharged == datetime.date.max else discharged)
                  for admitted, discharged in spans] for key, spans in self.periods.items()}
        programmes = (bulk.load_programmes(ex.organisation_id) if ex.organisation_id is not None
                      else bulk.Programmes())
        return bulk.Context(today=self.today, people=people, departments=departments, services=services,
                            enrolments=enrolments, tariff=self.tariff_on, workers=dict(ex.worker_ids),
                            programmes=programmes, history=True, creates_urgent_acts=True)

    def deliveries(self) -> None:
        """The journal: each row's cells parsed here, then checked by the journal's own rules (delivery/bulk.py,
        with the messages of the web form), in history mode (see docs/architecture.md)."""
        table = self.tables.get("deliveries")
        if table is None:
            return
        file = table.name
        add = self.problems.add
        person, kinds, services, workers = (self.person, self.department_kinds, self.service_list, self.known_workers)
        checker = bulk.Checker(self.journal_context())
        check, Row = checker.check, bulk.Row
        pending_lines: list[int] = []  # the file's lines of the rows whose volume `finish` checks
        refused = rules.Refusal
        columns_of = {"recipient": "recipient_id", "department": "department_code", "service": "service_code",
                      "worker": "worker_tab_no", "date": "date", "quantity": "quantity"}
        dates = self._dates
        date_type = datetime.date
        append = self.plan.deliveries.append
        # Half a million lines: the cells are read by position, and a valid row costs a few dict look-ups.
        columns = ("recipient_id", "department_code", "service_code", "date", "worker_tab_no", "quantity", "amount")
        width = len(table.header)
        get = itemgetter(*(table.header.index(c) if c in table.header else width for c in columns))
        strip = str.strip
        # the file's line is asked (`where()`) only for a problem
        source, where = table.cells, table.line
        trip_at = table.header.index("trip_code") if "trip_code" in table.header else None  # exchange/outreach.py
        trips, deliveries = self.plan.delivery_trips, self.plan.deliveries
        # issue 17: the optional column `online` (0/1), read only when the file has it
        online_at = table.header.index("online") if "online" in table.header else None
        online_rows = self.plan.online_deliveries = set() if online_at is not None else None
        deliveries = self.plan.deliveries
        online = False
        if self.progress:
            source = self.progress(table, source)
        for cells in source:
            if len(cells) != width:
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    add(file, where(), str(width + 1), _("The row has more cells than the header."))
                    continue
                cells = (cells + [""] * width)[:width]
            cells.append("")
            ext, dept, code, date_text, tab, quantity_text, amount_text = map(strip, get(cells))
            if not (ext and dept and code and date_text):
                if not "".join(cells).strip():
                    continue  # a blank row
                ok = self._required(file, where(), {"recipient_id": ext, "department_code": dept,
                                                    "service_code": code, "date": date_text}, COLUMNS["deliveries"][0])
            else:
                ok = True
            cached = dates.get(date_text)
            day: datetime.date | None = (cached if cached.__class__ is date_type  # type: ignore[assignment]
                                         else self._delivery_date(file, where(), date_text))
            ok = ok and day is not None
            if ext and ext not in person and self.known_person(ext) is None:
                add(file, where(), "recipient_id", _("Unknown recipient «%(code)s».") % {"code": ext})
                ok = False
            if dept and dept not in kinds:
                add(file, where(), "department_code", _("Unknown department «%(code)s».") % {"code": dept})
                ok = False
            if code and code not in services:
                add(file, where(), "service_code", _("Unknown service «%(code)s».") % {"code": code})
                ok = False
            if tab and tab not in workers:
                add(file, where(), "worker_tab_no", _("Unknown worker «%(code)s».") % {"code": tab})
                ok = False
            quantity = 1
            if quantity_text and quantity_text != "1":
                try:
                    quantity = self.integer(quantity_text)
                except BadValue as exc:
                    add(file, where(), "quantity", str(exc))
                    ok = False
            amount = None
            if amount_text:
                try:
                    amount = self.money(amount_text)
                except BadValue as exc:
                    add(file, where(), "amount", str(exc))
                    ok = False
            if online_at is not None:
                flag = cells[online_at].strip()
                online = flag == "1"
                if flag not in ("", "0", "1"):
                    add(file, where(), "online", _("Expected 0 or 1."))
                    ok = False
            if not ok or day is None:
                continue
            if dept not in checker.context.departments or code not in checker.context.services:
                continue  # its row in the departments or services file failed: that problem is reported there
            result = check(Row(person[ext], dept, code, day, quantity, tab or None))
            if result.__class__ is refused:
                add(file, where(), columns_of[result.field], result.message)  # type: ignore[union-attr]
                continue
            lst, tariff, computed, urgent, _seq, pending = result  # type: ignore[misc]
            if pending:
                pending_lines.append(where())
            # the file's amount is what was charged (history); without it, the rules' price
            append((ext, dept, code, day, tab, quantity, lst, tariff, computed if amount is None else amount, urgent))
            if trip_at is not None and cells[trip_at].strip():
                trips.append((len(deliveries) - 1, cells[trip_at].strip(), where()))
            if online:
                online_rows.add(len(deliveries) - 1)  # type: ignore[union-attr]
        for index, refusal in checker.finish():  # the programmes' volumes, once every row is known
            add(file, pending_lines[index], columns_of[refusal.field], refusal.message)

    def _delivery_date(self, file: str, line: int, text: str) -> datetime.date | None:
        """The journal line's date, or None with the problem recorded (an empty cell is left to the required check)."""
        if not text:
            return None
        try:
            return self.date(text)
        except BadValue as exc:
            self.problems.add(file, line, "date", str(exc))
            return None

    # ---- assignment -----------------------------------------------------------------------------
    def assignment(self) -> None:
        file = self.plan.files.get("assignment", "")
        lines: dict[tuple[str, int], int] = {}
        for line, row in self.rows("assignment"):
            ok = self._required(file, line, row, COLUMNS["assignment"][0])
            ok &= self._code(file, line, row, "department_code", self.department_kinds,
                             _("Unknown department «%(code)s»."))
            values: dict[str, int] = {}
            for column in ("year", "services_plan", "recipients_plan"):
                if row[column]:
                    try:
                        values[column] = self.integer(row[column])
                    except BadValue as exc:
                        self.problems.add(file, line, column, str(exc))
                        ok = False
            year = values.get("year")
            if year is not None and not 1990 <= year <= self.today.year + 1:
                self.problems.add(file, line, "year", _("The year %(year)s is out of range.") % {"year": year})
                ok = False
            if year is None:
                continue
            key = (row["department_code"], year)
            if key in lines:
                self._duplicate(file, line, "year", str(year), lines[key])
                continue
            lines[key] = line
            if ok:
                self.plan.assignment[key] = {"services_plan": values["services_plan"],
                                             "recipients_plan": values["recipients_plan"]}


def validate_directory(directory: Path, organisation_code: str | None = None,
                       progress: Progress | None = None) -> tuple[Plan, Problems]:
    validator = Validator(directory, organisation_code, progress)
    plan = validator.run()
    return plan, validator.problems
