"""Monthly and yearly aggregates of the journal: kept equal to a recount of delivery.Delivery on every write.

Five tables (delivery/models.py):
- ServiceMonth: (department, service, month, list) → quantity, amount, lines;
- RecipientMonth: (department, recipient, month) → quantity, amount;
- RecipientServiceMonth: (department, recipient, month, service) → quantity, amount — recounted with
  RecipientMonth under the same recipient key (the distinct people of a service or a type, issue 10);
- RecipientYear: (department, recipient, year) → quantity, amount, and RecipientServiceYear: (department, recipient,
  year, service) → quantity, amount — the sums of the person's RecipientMonth and RecipientServiceMonth rows of the
  calendar year, recounted from them right after them for every recipient key of that year (a year's distinct
  people of a department, a kind, a service without hashing twelve months each, issue 18).

A *key* names the rows a journal line counts in: its service key (department, service, month) and its
recipient key (department, recipient, month). Every write path of the journal calls `refresh_lines` (or
`refresh_keys`) for the keys it touched, in the same transaction, before and after an edit that moves a
line; the bulk writer (delivery.bulk.write_lines: import, demo) calls `refresh_organisation`, or, for the months
that held no line before its insert, `store_counted` with the months counted from its rows by `count_lines` (then
the yearly rows of their years recounted from the months in SQL). A refresh is a recount in SQL (delete the key's
rows, INSERT … SELECT … GROUP BY from the journal) and a count replaces whole months from every line they hold,
never an increment, so either can only make the aggregates more right (the yearly rows are recounted from the
person's months just recounted: the year's sum of a recount; `opora aggregates --check` compares them with the
journal too). On PostgreSQL a refresh takes a transaction-level advisory lock per (department, year): two
transactions recording into the same department and year recount one after the other, so the second one sees the
first one's lines (the year, not the month: both recount the person's yearly rows). `refresh_organisation` and
`store_counted` take the same locks for the organisation's departments.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from opora.delivery.models import (
    Delivery,
    RecipientMonth,
    RecipientServiceMonth,
    RecipientServiceYear,
    RecipientYear,
    ServiceMonth,
)
from opora.lib.dates import month_end, month_start, months_between

ServiceKey = tuple[int, int, datetime.date]  # department, service, month (first day)
RecipientKey = tuple[int, int, datetime.date]  # department, recipient, month
LOCK_CLASS = 0x0A66  # the high bits of the advisory lock keys taken here


@dataclass
class Keys:
    services: set[ServiceKey]
    recipients: set[RecipientKey]

    @classmethod
    def empty(cls) -> Keys:
        return cls(set(), set())

    def add(self, line: Any) -> Keys:
        """Add the keys of a journal line (a Delivery, or anything with the same attributes)."""
        month = month_start(line.date)
        self.services.add((line.department_id, line.service_id, month))
        self.recipients.add((line.department_id, line.recipient_id, month))
        return self


def covered_by_months(start: datetime.date, end: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether the monthly aggregates answer exactly for the period start–end: it starts on a 1st and ends on a
    month's last day, or runs to today or later (no line of the journal is dated after today: delivery/rules.py
    `check_date`, for every way in), so the month it ends in holds no day after its end. The one rule for every
    reader that chooses between the aggregates and the journal (reports, indicators, dashboards)."""
    today = today or timezone.localdate()
    return start.day == 1 and (end == month_end(end) or end >= today)


def keys_of(*lines: Any) -> Keys:
    keys = Keys.empty()
    for line in lines:
        if line is not None and line.date is not None:
            keys.add(line)
    return keys


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _lock(pairs: Iterable[tuple[int, int]]) -> None:
    """PostgreSQL: serialise recounts of the same (department, year) until the end of the transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for department_id, year in sorted(set(pairs)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(LOCK_CLASS << 48) | (department_id << 20) | year])


SERVICE_COLUMNS = ("organisation_id", "department_id", "service_id", "month", "list", "quantity", "amount", "lines")
RECIPIENT_COLUMNS = ("organisation_id", "department_id", "recipient_id", "month", "quantity", "amount")
RECIPIENT_SERVICE_COLUMNS = ("organisation_id", "department_id", "recipient_id", "service_id", "month", "quantity",
                             "amount")
RECIPIENT_YEAR_COLUMNS = ("organisation_id", "department_id", "recipient_id", "year", "quantity", "amount")
RECIPIENT_SERVICE_YEAR_COLUMNS = ("organisation_id", "department_id", "recipient_id", "service_id", "year",
                                  "quantity", "amount")


def _insert_services_sql(where: str) -> str:
    journal = _table(Delivery)
    columns = ", ".join(_q(c) for c in SERVICE_COLUMNS)
    return (f"INSERT INTO {_table(ServiceMonth)} ({columns}) "
            f"SELECT d.organisation_id, d.department_id, d.service_id, %s, d.{_q('list')}, SUM(d.quantity), "
            f"SUM(d.amount), COUNT(*) FROM {journal} d WHERE {where} "
            f"GROUP BY d.organisation_id, d.department_id, d.service_id, d.{_q('list')}")


def _insert_recipients_sql(where: str) -> str:
    journal = _table(Delivery)
    columns = ", ".join(_q(c) for c in RECIPIENT_COLUMNS)
    return (f"INSERT INTO {_table(RecipientMonth)} ({columns}) "
            f"SELECT d.organisation_id, d.department_id, d.recipient_id, %s, SUM(d.quantity), SUM(d.amount) "
            f"FROM {journal} d WHERE {where} GROUP BY d.organisation_id, d.department_id, d.recipient_id")


def _insert_recipient_services_sql(where: str) -> str:
    journal = _table(Delivery)
    columns = ", ".join(_q(c) for c in RECIPIENT_SERVICE_COLUMNS)
    return (f"INSERT INTO {_table(RecipientServiceMonth)} ({columns}) "
            f"SELECT d.organisation_id, d.department_id, d.recipient_id, d.service_id, %s, SUM(d.quantity), "
            f"SUM(d.amount) FROM {journal} d WHERE {where} "
            f"GROUP BY d.organisation_id, d.department_id, d.recipient_id, d.service_id")


#: The yearly tables and the monthly table each is summed from, with the key columns they keep.
YEARLY = ((RecipientYear, RecipientMonth, ("organisation_id", "department_id", "recipient_id")),
          (RecipientServiceYear, RecipientServiceMonth, ("organisation_id", "department_id", "recipient_id",
                                                         "service_id")))


def _insert_years_sql(model: type[models.Model], months: type[models.Model], keys: tuple[str, ...],
                      where: str) -> str:
    """A yearly table's rows as the sums of its monthly table's rows of the year (`where` on the months' table `m`;
    the year, its first and its last month are the first three parameters)."""
    columns = ", ".join(_q(c) for c in (*keys, "year", "quantity", "amount"))
    grouped = ", ".join(f"m.{c}" for c in keys)
    return (f"INSERT INTO {_table(model)} ({columns}) SELECT {grouped}, %s, SUM(m.quantity), SUM(m.amount) "
            f"FROM {_table(months)} m WHERE m.{_q('month')} BETWEEN %s AND %s AND {where} GROUP BY {grouped}")


def _year_bounds(year: int) -> list[Any]:
    """The first parameters of the yearly INSERT: the year, its first and its last month."""
    return [year, _date(datetime.date(year, 1, 1)), _date(datetime.date(year, 12, 1))]


def _date(value: datetime.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


@transaction.atomic(savepoint=False)  # inside the write's transaction: a failure here fails the write
def refresh_keys(keys: Keys) -> None:
    """Recount the given keys from the journal (delete their rows, insert the recount)."""
    if not keys.services and not keys.recipients:
        return
    _lock([(d, m.year) for d, _s, m in keys.services] + [(d, m.year) for d, _r, m in keys.recipients])
    with connection.cursor() as cursor:
        services_sql = _insert_services_sql("d.department_id = %s AND d.service_id = %s AND d.date BETWEEN %s AND %s")
        for department_id, service_id, month in sorted(keys.services):
            cursor.execute(f"DELETE FROM {_table(ServiceMonth)} WHERE department_id = %s AND service_id = %s "
                           f"AND {_q('month')} = %s", [department_id, service_id, _date(month)])
            cursor.execute(services_sql, [_date(month), department_id, service_id, _date(month),
                                          _date(month_end(month))])
        # A person's lines of a month (tens) through the person's index: the unary + keeps SQLite's planner from the
        # department's month of lines (thousands; 20 ms a recount on the centre demo), which its sampled statistics
        # take for fewer. PostgreSQL plans by its own statistics: the + changes nothing there.
        recipients_sql = _insert_recipients_sql(
            "+d.department_id = %s AND d.recipient_id = %s AND d.date BETWEEN %s AND %s")
        by_service_sql = _insert_recipient_services_sql(
            "+d.department_id = %s AND d.recipient_id = %s AND d.date BETWEEN %s AND %s")
        for department_id, recipient_id, month in sorted(keys.recipients):
            for model, sql in ((RecipientMonth, recipients_sql), (RecipientServiceMonth, by_service_sql)):
                cursor.execute(f"DELETE FROM {_table(model)} WHERE department_id = %s AND recipient_id = %s "
                               f"AND {_q('month')} = %s", [department_id, recipient_id, _date(month)])
                cursor.execute(sql, [_date(month), department_id, recipient_id, _date(month),
                                     _date(month_end(month))])
        # the person's yearly rows, from their months just recounted
        for yearly, months, columns in YEARLY:
            years_sql = _insert_years_sql(yearly, months, columns, "m.department_id = %s AND m.recipient_id = %s")
            for department_id, recipient_id, year in sorted({(d, r, m.year) for d, r, m in keys.recipients}):
                cursor.execute(f"DELETE FROM {_table(yearly)} WHERE department_id = %s AND recipient_id = %s "
                               f"AND {_q('year')} = %s", [department_id, recipient_id, year])
                cursor.execute(years_sql, [*_year_bounds(year), department_id, recipient_id])


def refresh_lines(*lines: Any) -> None:
    """Recount the keys of these journal lines (as they are now, or as they were before an edit)."""
    refresh_keys(keys_of(*lines))


def journal_months(organisation_id: int) -> list[datetime.date]:
    """Every month that has journal lines or aggregate rows in the organisation."""
    months: set[datetime.date] = set()
    for model, field in ((Delivery, "date"), (ServiceMonth, "month"), (RecipientMonth, "month"),
                         (RecipientServiceMonth, "month")):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN({_q(field)}), MAX({_q(field)}) FROM {_table(model)} "
                           f"WHERE organisation_id = %s", [organisation_id])
            low, high = cursor.fetchone()
        if low is not None:
            low, high = (datetime.date.fromisoformat(str(v)[:10]) for v in (low, high))
            months.update(months_between(low, high))
    return sorted(months)


def yearly_months(organisation_id: int) -> list[datetime.date]:
    """Every month of the years that have yearly rows in the organisation (kept apart from `journal_months`, which
    the migration that made the person-service-months calls before the yearly table exists)."""
    months: list[datetime.date] = []
    for model, _months, _keys in YEARLY:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MIN({_q('year')}), MAX({_q('year')}) FROM {_table(model)} "
                           f"WHERE organisation_id = %s", [organisation_id])
            first, last = cursor.fetchone()
        if first is not None:
            months += months_between(datetime.date(first, 1, 1), datetime.date(last, 12, 1))
    return months


@transaction.atomic
def refresh_organisation(organisation_id: int, months: Iterable[datetime.date] | None = None) -> None:
    """Recount whole months of an organisation (every month of its journal when `months` is None).

    For bulk writers (the exchange import, the demo): one DELETE and one INSERT … SELECT per table and month, then
    per yearly table and year touched one DELETE and one INSERT … SELECT from the year's months.
    """
    wanted = sorted({month_start(m) for m in (months if months is not None else [
        *journal_months(organisation_id), *yearly_months(organisation_id)])})
    if not wanted:
        return
    years = sorted({m.year for m in wanted})
    _lock_organisation(organisation_id, years)
    services_sql = _insert_services_sql("d.organisation_id = %s AND d.date BETWEEN %s AND %s")
    recipients_sql = _insert_recipients_sql("d.organisation_id = %s AND d.date BETWEEN %s AND %s")
    by_service_sql = _insert_recipient_services_sql("d.organisation_id = %s AND d.date BETWEEN %s AND %s")
    with connection.cursor() as cursor:
        for month in wanted:
            bounds = [_date(month), _date(month_end(month))]
            for model, sql in ((ServiceMonth, services_sql), (RecipientMonth, recipients_sql),
                               (RecipientServiceMonth, by_service_sql)):
                cursor.execute(f"DELETE FROM {_table(model)} WHERE organisation_id = %s AND {_q('month')} = %s",
                               [organisation_id, _date(month)])
                cursor.execute(sql, [_date(month), organisation_id, *bounds])
        _refresh_years(cursor, organisation_id, years)


def _lock_organisation(organisation_id: int, years: Iterable[int]) -> None:
    """PostgreSQL: the organisation's bulk recount, and the (department, year) locks of its departments."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(LOCK_CLASS << 48) | (1 << 47) | organisation_id])
            cursor.execute("SELECT id FROM org_department WHERE organisation_id = %s", [organisation_id])
            departments = [row[0] for row in cursor.fetchall()]
        _lock([(d, y) for d in departments for y in years])


def _refresh_years(cursor: Any, organisation_id: int, years: Iterable[int]) -> None:
    """Per yearly table and year one DELETE and one INSERT … SELECT from the year's months (already right)."""
    for yearly, months_model, columns in YEARLY:
        years_sql = _insert_years_sql(yearly, months_model, columns, "m.organisation_id = %s")
        for year in years:
            cursor.execute(f"DELETE FROM {_table(yearly)} WHERE organisation_id = %s AND {_q('year')} = %s",
                           [organisation_id, year])
            cursor.execute(years_sql, [*_year_bounds(year), organisation_id])


# --- counting lines in memory (bulk writers) ------------------------------------------------------------------

def count_lines(organisation_id: int, lines: Iterable[Sequence[Any]]) -> tuple[
        dict[tuple, list], dict[tuple, list], dict[tuple, list]]:
    """The three aggregates of journal lines, counted in Python: the one rule of what a month holds, for the bulk
    writer (delivery.bulk.write_lines counts the rows it inserts into months that held no line) and for the checks
    (`recount`). A line is (department, service, recipient, date, list, quantity, amount); the date a date or its
    ISO text, the amount a Decimal, an int or its text. Returns {key: [quantity, amount, lines]} keyed
    (organisation, department, service, month, list); {key: [quantity, amount]} keyed (organisation, department,
    recipient, month); and {key: [quantity, amount]} keyed (organisation, department, recipient, service, month),
    as the SQL recounts of refresh_organisation group them."""
    months: dict[Any, datetime.date] = {}
    amounts: dict[Any, Decimal] = {}
    groups: dict[tuple, list] = {}  # (department, service, recipient, month, list) → [quantity, amount, lines]
    get = groups.get
    for dept, service, recipient, day, lst, quantity, amount in lines:
        month = months.get(day)
        if month is None:
            month = months[day] = (day.replace(day=1) if isinstance(day, datetime.date)
                                   else datetime.date.fromisoformat(str(day)[:10]).replace(day=1))
        value = amounts.get(amount)
        if value is None:
            value = amounts[amount] = Decimal(amount)
        key = (dept, service, recipient, month, lst)
        group = get(key)
        if group is None:
            groups[key] = [quantity, value, 1]
        else:
            group[0] += quantity
            group[1] += value
            group[2] += 1
    services: dict[tuple, list] = {}
    recipients: dict[tuple, list] = {}
    by_service: dict[tuple, list] = {}
    for (dept, service, recipient, month, lst), (quantity, value, count) in groups.items():
        keyed: tuple[tuple[dict[tuple, list], tuple], ...] = (
            (services, (organisation_id, dept, service, month, lst)),
            (recipients, (organisation_id, dept, recipient, month)),
            (by_service, (organisation_id, dept, recipient, service, month)))
        for table, key in keyed:
            row = table.get(key)
            if row is None:
                table[key] = [quantity, value, count]
            else:
                row[0] += quantity
                row[1] += value
                row[2] += count
    for table in (recipients, by_service):
        for row in table.values():
            del row[2]
    return services, recipients, by_service


def months_without_lines(organisation_id: int, months: Iterable[datetime.date]) -> set[datetime.date]:
    """The months (first days) in which the organisation's journal holds no line."""
    journal = _table(Delivery)
    empty = set()
    with connection.cursor() as cursor:
        for month in sorted({month_start(m) for m in months}):
            cursor.execute(f"SELECT 1 FROM {journal} WHERE organisation_id = %s AND date BETWEEN %s AND %s LIMIT 1",
                           [organisation_id, _date(month), _date(month_end(month))])
            if cursor.fetchone() is None:
                empty.add(month)
    return empty


def _copy_value(value: Any) -> str:
    return "\\N" if value is None else str(value)


@transaction.atomic
def store_counted(organisation_id: int, counted: tuple[dict[tuple, list], dict[tuple, list], dict[tuple, list]],
                  months: Iterable[datetime.date]) -> None:
    """Replace the aggregates of whole `months` of an organisation by `counted` (from count_lines over every line
    of those months): one DELETE per table and month, then the rows (executemany on SQLite, COPY on PostgreSQL);
    then the yearly rows of those months' years, recounted from the months."""
    wanted = sorted({month_start(m) for m in months})
    if not wanted:
        return
    years = sorted({m.year for m in wanted})
    _lock_organisation(organisation_id, years)
    services, recipients, by_service = counted
    inside = set(wanted)
    day = {m: _date(m) for m in wanted}
    # Each table's rows in the order of its unique index: its pages fill one after another.
    tables = (
        (ServiceMonth, SERVICE_COLUMNS, [(*k[:3], day[k[3]], k[4], q, str(a), n) for k, (q, a, n) in sorted(
            services.items()) if k[3] in inside]),
        (RecipientMonth, RECIPIENT_COLUMNS, [(*k[:3], day[k[3]], q, str(a)) for k, (q, a) in sorted(
            recipients.items()) if k[3] in inside]),
        (RecipientServiceMonth, RECIPIENT_SERVICE_COLUMNS, [
            (*k[:4], day[k[4]], q, str(a)) for k, (q, a) in sorted(
                by_service.items(), key=lambda item: (item[0][1], item[0][2], item[0][4], item[0][3]))
            if k[4] in inside]),
    )
    with connection.cursor() as cursor:
        for model, columns, rows in tables:
            for month in wanted:
                cursor.execute(f"DELETE FROM {_table(model)} WHERE organisation_id = %s AND {_q('month')} = %s",
                               [organisation_id, _date(month)])
            names = ", ".join(_q(c) for c in columns)
            if not rows:
                continue
            if connection.vendor == "postgresql":
                with connection.wrap_database_errors, cursor.cursor.copy(
                        f"COPY {_table(model)} ({names}) FROM STDIN") as copy:
                    for start in range(0, len(rows), 20_000):
                        copy.write("".join("\t".join(map(_copy_value, row)) + "\n"
                                           for row in rows[start:start + 20_000]))
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {_table(model)} ({names}) VALUES ({marks})", rows)
        _refresh_years(cursor, organisation_id, years)


def delete_organisation(organisation_id: int) -> None:
    """Drop an organisation's aggregates (before its journal and registry are deleted in bulk)."""
    ServiceMonth.objects.filter(organisation_id=organisation_id).delete()
    RecipientMonth.objects.filter(organisation_id=organisation_id).delete()
    RecipientServiceMonth.objects.filter(organisation_id=organisation_id).delete()
    RecipientYear.objects.filter(organisation_id=organisation_id).delete()
    RecipientServiceYear.objects.filter(organisation_id=organisation_id).delete()


# --- checking ---------------------------------------------------------------------------------------------------

def _normal(rows: Iterable[tuple], width: int, month_at: int | None = 3) -> dict[tuple, tuple]:
    """{key: values} with the key's first `width` columns (the month at `month_at`; None: no month, a year's
    table), values as int/Decimal."""
    out: dict[tuple, tuple] = {}
    for row in rows:
        key, values = list(row[:width]), row[width:]
        if month_at is not None:
            raw = key[month_at]
            month = raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw)[:10])
            key[month_at] = month_start(month)
        quantity, amount, *rest = values
        out[tuple(key)] = (int(quantity), Decimal(amount).quantize(Decimal("0.01")), *(int(r) for r in rest))
    return out


Tables = tuple[dict[tuple, tuple], dict[tuple, tuple], dict[tuple, tuple], dict[tuple, tuple], dict[tuple, tuple]]
NAMES = ("services", "recipients", "recipient services", "recipients of a year", "recipient services of a year")


def recount(organisation_id: int) -> Tables:
    """The aggregates as they should be, recounted in Python from the journal (for checks and tests)."""
    services, recipients, by_service = count_lines(organisation_id, Delivery.objects.filter(
        organisation_id=organisation_id).values_list("department_id", "service_id", "recipient_id", "date", "list",
                                                     "quantity", "amount").iterator(chunk_size=20000))
    people_year: dict[tuple, list] = {}
    by_year: dict[tuple, list] = {}
    for (org, dept, recipient, month), (quantity, amount) in recipients.items():
        p = people_year.setdefault((org, dept, recipient, month.year), [0, Decimal(0)])
        p[0] += quantity
        p[1] += amount
    for (org, dept, recipient, service, month), (quantity, amount) in by_service.items():
        y = by_year.setdefault((org, dept, recipient, service, month.year), [0, Decimal(0)])
        y[0] += quantity
        y[1] += amount
    return (_normal(((*k, *v) for k, v in services.items()), 5),
            _normal(((*k, *v) for k, v in recipients.items()), 4),
            _normal(((*k, *v) for k, v in by_service.items()), 5, month_at=4),
            _normal(((*k, *v) for k, v in people_year.items()), 4, month_at=None),
            _normal(((*k, *v) for k, v in by_year.items()), 5, month_at=None))


def stored(organisation_id: int) -> Tables:
    """The aggregates as stored, in the shape of `recount`."""
    services = ServiceMonth.objects.filter(organisation_id=organisation_id).values_list(*SERVICE_COLUMNS)
    recipients = RecipientMonth.objects.filter(organisation_id=organisation_id).values_list(*RECIPIENT_COLUMNS)
    by_service = RecipientServiceMonth.objects.filter(organisation_id=organisation_id).values_list(
        *RECIPIENT_SERVICE_COLUMNS)
    people_year = RecipientYear.objects.filter(organisation_id=organisation_id).values_list(*RECIPIENT_YEAR_COLUMNS)
    by_year = RecipientServiceYear.objects.filter(organisation_id=organisation_id).values_list(
        *RECIPIENT_SERVICE_YEAR_COLUMNS)
    return (_normal(services, 5), _normal(recipients, 4), _normal(by_service, 5, month_at=4),
            _normal(people_year, 4, month_at=None), _normal(by_year, 5, month_at=None))


def differences(organisation_id: int) -> list[str]:
    """Where the stored aggregates differ from a recount: an empty list when they agree."""
    problems = []
    for name, want, have in zip(NAMES, recount(organisation_id), stored(organisation_id), strict=True):
        for key in sorted(set(want) | set(have), key=str):
            if want.get(key) != have.get(key):
                problems.append(f"{name} {key}: stored {have.get(key)}, recount {want.get(key)}")
    return problems
