"""The journal in bulk: many lines checked by the same rules as one line, written by one writer.

The exchange import and the demo builder come in here; a line of the journal comes into being either by
delivery/actions.py (one line, a visit, the grid, an urgent act, the API) or by `write_lines` below, and both
are checked by delivery/rules.py with the same messages.

- `Checker` (the entry point of `check_lines`) applies the rules to one row after another with look-ups
  loaded once (`Context`): enrolment periods, the programmes of the organisation with their items, what
  the journal already holds in the volumes' periods. Rows count against the volume in their order, each
  after the ones before it, as the lines of a visit do.
- `write_lines` is the one bulk writer of the journal: executemany on SQLite, COPY on PostgreSQL (around a large
  first insert the table's indexes are dropped and re-created: the journal's one run-time schema change), then
  the monthly aggregates of the months written are recounted once.

History. An imported journal may be the past of a centre that kept its programmes outside Opora. With
`Context.history` a basic line dated before the organisation's first programme in Opora (or in an
organisation with none) is eligible by enrolment alone; from that date on it gets the programme and volume
checks of the web form. Lines of an urgent department (or of an urgent service) are recorded on acts of
urgent services: the import creates them (one per person, department and day; see exchange/load.py) when
`Context.creates_urgent_acts`.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from opora.catalogue.models import Service, Tariff
from opora.delivery import aggregates, rules
from opora.delivery.models import Delivery, UrgentAct
from opora.org.models import Department, Employee
from opora.people.models import Enrolment, Recipient
from opora.programmes.models import Programme, ProgrammeItem, VolumePeriod
from opora.programmes.rules import version_on

# --- checking ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    type: str
    list: str
    active: bool = True
    id: int | None = None  # None for a service not in the database yet


@dataclass
class Programmes:
    """The programmes of an organisation (read once) and the journal's quantities they are checked against."""

    first: datetime.date | None = None  # the earliest valid_from of the organisation's programmes
    chains: dict[tuple[int, int], list[list[Programme]]] = field(default_factory=dict)  # (person, dept) → chains
    items: dict[int, dict[int, rules.Item]] = field(default_factory=dict)  # programme id → service id → item
    # non-urgent lines already in the journal: (person, dept, service) → {(date, worker, seq): quantity}
    journal: dict[tuple[int, int, int], dict[tuple[datetime.date, int | None, int], int]] = field(
        default_factory=dict)

    def terms_on(self, person: int, department: int, day: datetime.date) -> rules.ProgrammeTerms | None:
        applying = [v for chain in self.chains.get((person, department), ())
                    if (v := version_on(chain, day)) is not None]
        if not applying:
            return None
        chosen = max(applying, key=lambda v: (v.valid_from, v.pk))
        return rules.ProgrammeTerms(f"{chosen.number}/{chosen.version}", chosen.valid_from, chosen.valid_to,
                                    self.items.get(chosen.pk, {}))


def load_programmes(organisation_id: int) -> Programmes:
    """The organisation's programmes with their items, and (when there are any) its journal's non-urgent lines."""
    book = Programmes()
    chains: dict[tuple[int, int, str], list[Programme]] = {}
    for p in Programme.objects.filter(organisation_id=organisation_id).only(
            "id", "organisation_id", "recipient_id", "department_id", "number", "version", "valid_from", "valid_to",
            "closed_on"):
        chains.setdefault((p.recipient_id, p.department_id, p.number), []).append(p)
        book.first = p.valid_from if book.first is None else min(book.first, p.valid_from)
    if book.first is None:
        return book
    for (person, dept, _number), versions in chains.items():
        book.chains.setdefault((person, dept), []).append(versions)
    for pid, sid, volume, period in ProgrammeItem.objects.filter(
            programme__organisation_id=organisation_id).values_list("programme_id", "service_id", "volume", "period"):
        book.items.setdefault(pid, {})[sid] = rules.Item(volume, period)
    for r, d, s, day, w, seq, q in Delivery.objects.filter(
            organisation_id=organisation_id, urgent_act__isnull=True, date__gte=book.first).values_list(
            "recipient_id", "department_id", "service_id", "date", "worker_id", "seq", "quantity"):
        book.journal.setdefault((r, d, s), {})[(day, w, seq)] = q
    return book


@dataclass
class Context:
    """The look-ups of `check_lines`, in the caller's keys (ids, or codes of rows not in the database yet).

    person: a person's key → (full name, id or None); departments: key → (name, kind, id or None); services:
    key → ServiceInfo; workers: key → id or None; enrolments: (person, department) → [(admitted, discharged)];
    tariff(service, day) → the price in force (None without one).
    """

    today: datetime.date
    people: dict[Any, tuple[str, int | None]]
    departments: dict[Any, tuple[str, str, int | None]]
    services: dict[Any, ServiceInfo]
    enrolments: dict[tuple[Any, Any], list[tuple[datetime.date, datetime.date | None]]]
    tariff: Callable[[Any, datetime.date], Decimal | None]
    workers: dict[Any, int | None] = field(default_factory=dict)
    programmes: Programmes = field(default_factory=Programmes)
    history: bool = False
    creates_urgent_acts: bool = False


class Row(NamedTuple):
    """A line to check, in the context's keys."""

    person: Hashable
    department: Hashable
    service: Hashable
    day: datetime.date
    quantity: int
    worker: Hashable = None
    reason: str = ""
    urgent_act: bool = False


class Checked(NamedTuple):
    """A line the rules accept: its list, tariff and amount, whether it is urgent, and its position among identical
    rows (seq; 0 when the organisation has no programmes: then it matters to no rule).
    `pending`: its volume is checked by `Checker.finish`, once every row is known."""

    list: str
    tariff: Decimal
    amount: Decimal
    urgent: bool
    seq: int
    pending: bool = False


class _Pending(NamedTuple):
    quantity: int
    reason: str
    service: str
    item: rules.Item
    key: tuple[int, int, int]  # person, department, service ids
    start: datetime.date
    end: datetime.date


class Checker:
    """The rules of delivery/rules.py over many rows, in order. `check(row)` → Checked, or a Refusal; then
    `finish()` → the refusals of the volume, by the order of the rows left pending.

    The volume is checked last because a row may re-state a line already in the journal (a re-import): what
    was delivered in a period is the journal's lines that no row re-states, plus the rows before this one."""

    def __init__(self, context: Context):
        self.context = context
        self.seqs: dict[tuple[Hashable, ...], int] = {}
        self.labels = {str(v): str(VolumePeriod(v).label) for v in VolumePeriod.values}
        self.pending: list[_Pending] = []
        self.today = context.today
        self.count_seq = context.programmes.first is not None
        self.shapes: dict[tuple[Any, Any, bool], tuple[str, int | None, ServiceInfo, bool] | rules.Refusal] = {}
        self.enrolled: dict[tuple[Any, Any, datetime.date], bool] = {}
        self.prices: dict[tuple[Any, datetime.date, int], rules.Price | rules.Refusal] = {}
        self.restated: set[tuple[int, int, int, datetime.date, int | None, int]] = set()

    def check(self, row: Row) -> Checked | rules.Refusal:
        """The rules of one row. The decisions that depend only on the department and the service, on the person's
        enrolment on the day, or on the service's price on the day are the rules' own answers, kept for the rows
        that follow (half a million rows share a few thousand of each)."""
        ctx = self.context
        person, department, service_key, day, quantity, worker, _reason, on_act = row
        refusal = rules.check_date(day, self.today) if day.__class__ is not datetime.date or day > self.today \
            else None
        if refusal is None and (quantity.__class__ is not int or quantity < 1):
            refusal = rules.check_quantity(quantity)
        if refusal is not None:
            return refusal
        shape = self.shapes.get((department, service_key, on_act))
        if shape is None:
            shape = self.shapes[(department, service_key, on_act)] = self._shape(department, service_key, on_act)
        if shape.__class__ is rules.Refusal:
            return shape  # type: ignore[return-value]
        dept_name, dept_id, service, urgent = shape  # type: ignore[misc]
        seq = 0
        if self.count_seq:  # the position among identical rows matters only to find a re-stated line's volume
            five = (person, department, service_key, day, worker)
            seq = self.seqs.get(five, 0)
            self.seqs[five] = seq + 1
        pending = False
        if not urgent:
            enrolled = self.enrolled.get((person, department, day))
            if enrolled is None:
                enrolled = self.enrolled[(person, department, day)] = rules.enrolled_on(
                    ctx.enrolments.get((person, department), ()), day)
            if not enrolled:
                return rules.not_enrolled(ctx.people[person][0], dept_name, day)
            if service.list == rules.BASIC and rules.programme_applies(ctx.programmes.first, day,
                                                                         history=ctx.history):
                refusal = self.programme(row, seq, dept_name, dept_id, service)
                if refusal is not None:
                    return refusal
                pending = True
        price = self.prices.get((service_key, day, quantity))
        if price is None:
            price = self.prices[(service_key, day, quantity)] = rules.price(
                service.list, ctx.tariff(service_key, day), quantity, service=service.name, day=day)
        if price.__class__ is rules.Refusal:
            return price  # type: ignore[return-value]
        return Checked(service.list, price.tariff, price.amount, urgent, seq, pending)  # type: ignore[union-attr]

    def _shape(self, department: Any, service_key: Any, on_act: bool
               ) -> tuple[str, int | None, ServiceInfo, bool] | rules.Refusal:
        """What the rules say of a department and a service: the service provided, urgent or not, and an urgent
        line on an act."""
        ctx = self.context
        dept_name, kind, dept_id = ctx.departments[department]
        service = ctx.services[service_key]
        if not ctx.history:  # in history, a service no longer provided was provided in the past
            refusal = rules.check_service_active(service.active, service.name)
            if refusal is not None:
                return refusal
        urgent = rules.is_urgent(kind, service.type, on_act)
        refusal = rules.check_urgent_act(urgent, on_act or ctx.creates_urgent_acts)
        if refusal is not None:
            return refusal
        return dept_name, dept_id, service, urgent

    def programme(self, row: Row, seq: int, dept_name: str, dept_id: int | None,
                  service: ServiceInfo) -> rules.Refusal | None:
        """The programme in force with the service in it; the volume is left for `finish`."""
        ctx = self.context
        name, person_id = ctx.people[row.person]
        day = row.day
        terms = (ctx.programmes.terms_on(person_id, dept_id, day)
                 if person_id is not None and dept_id is not None else None)
        refusal = rules.check_programme(terms, service.id if service.id is not None else -1, person=name,
                                        department=dept_name, service=service.name, day=day)
        if refusal is not None:
            return refusal
        assert terms is not None and service.id is not None and person_id is not None and dept_id is not None
        item = terms.items[service.id]
        start, end = rules.period_bounds(item.period, terms, day)
        worker_id = ctx.workers.get(row.worker) if row.worker is not None else None
        self.restated.add((person_id, dept_id, service.id, day, worker_id, seq))
        self.pending.append(_Pending(row.quantity, row.reason, service.name, item, (person_id, dept_id, service.id),
                                     start, end))
        return None

    def finish(self) -> list[tuple[int, rules.Refusal]]:
        """The volume of every pending row, in order: (its index among the pending rows, the refusal)."""
        journal, restated = self.context.programmes.journal, self.restated
        totals: dict[tuple[int, int, int, datetime.date, datetime.date], int] = {}
        refused = []
        for index, p in enumerate(self.pending):
            key = (*p.key, p.start, p.end)
            total = totals.get(key)
            if total is None:
                total = sum(q for (day, w, seq), q in journal.get(p.key, {}).items()
                            if p.start <= day <= p.end and (*p.key, day, w, seq) not in restated)
            refusal = rules.check_volume(p.item, period_label=self.labels.get(p.item.period, p.item.period),
                                         delivered=total, quantity=p.quantity, reason=p.reason, service=p.service,
                                         start=p.start, end=p.end)
            if refusal is not None:
                refused.append((index, refusal))
            else:
                total += p.quantity
            totals[key] = total
        return refused


def check_lines(rows: Iterable[Row], context: Context) -> tuple[list[Checked | None], list[tuple[int, rules.Refusal]]]:
    """Check rows in order: for each row its Checked (None when refused), and the refusals by row index."""
    checker = Checker(context)
    checked: list[Checked | None] = []
    problems: list[tuple[int, rules.Refusal]] = []
    pending: list[int] = []
    for index, row in enumerate(rows):
        result = checker.check(row)
        if isinstance(result, rules.Refusal):
            problems.append((index, result))
            checked.append(None)
        else:
            if result.pending:
                pending.append(index)
            checked.append(result)
    for k, refusal in checker.finish():
        problems.append((pending[k], refusal))
        checked[pending[k]] = None
    problems.sort(key=lambda p: p[0])
    return checked, problems


def database_context(organisation_id: int, *, history: bool = False) -> Context:
    """The context of an organisation's rows as they are in the database (keys are ids)."""
    people: dict[Any, tuple[str, int | None]] = {
        pk: (" ".join(p for p in (last, first, patronymic) if p), pk)
        for pk, last, first, patronymic in Recipient.objects.filter(organisation_id=organisation_id).values_list(
            "id", "last_name", "first_name", "patronymic")}
    departments: dict[Any, tuple[str, str, int | None]] = {
        pk: (name, kind, pk) for pk, name, kind in Department.objects.filter(
            organisation_id=organisation_id).values_list("id", "name", "kind")}
    services: dict[Any, ServiceInfo] = {
        pk: ServiceInfo(name, kind, lst, active, pk) for pk, name, kind, lst, active in Service.objects.filter(
            organisation_id=organisation_id).values_list("id", "name", "type", "list", "is_active")}
    enrolments: dict[tuple[Any, Any], list[tuple[datetime.date, datetime.date | None]]] = {}
    for r, d, admitted, discharged in Enrolment.objects.filter(organisation_id=organisation_id).values_list(
            "recipient_id", "department_id", "admitted_on", "discharged_on"):
        enrolments.setdefault((r, d), []).append((admitted, discharged))
    tariffs: dict[int, list[tuple[datetime.date, Decimal]]] = {}
    for sid, valid_from, price in Tariff.objects.filter(service__organisation_id=organisation_id).order_by(
            "valid_from").values_list("service_id", "valid_from", "price"):
        tariffs.setdefault(sid, []).append((valid_from, price))

    def tariff(service: Any, day: datetime.date) -> Decimal | None:
        found = None
        for valid_from, price in tariffs.get(service, ()):
            if valid_from > day:
                break
            found = price
        return found

    workers: dict[Any, int | None] = {pk: pk for pk in Employee.objects.filter(
        organisation_id=organisation_id).values_list("id", flat=True)}
    return Context(today=timezone.localdate(), people=people, departments=departments, services=services,
                   enrolments=enrolments, tariff=tariff, workers=workers,
                   programmes=load_programmes(organisation_id), history=history)


def check_journal(organisation_id: int) -> list[tuple[int, rules.Refusal]]:
    """Every line of an organisation's journal checked again by the rules, in the order of their dates (each
    counting the earlier ones against the volume, as when they were recorded): (line id, refusal) of the lines
    that break a rule. For checking bulk writers (the demo) and old data; the rules as they are today."""
    lines = list(Delivery.objects.filter(organisation_id=organisation_id).order_by("date", "id").values_list(
        "id", "recipient_id", "department_id", "service_id", "date", "worker_id", "quantity", "over_volume_reason",
        "urgent_act_id"))
    rows = [Row(r, d, s, day, q, w, reason, act is not None) for _pk, r, d, s, day, w, q, reason, act in lines]
    _checked, problems = check_lines(rows, database_context(organisation_id))
    return [(lines[index][0], refusal) for index, refusal in problems]


# --- acts of urgent services ------------------------------------------------------------------------------------

def urgent_acts(organisation_id: int, wanted: dict[tuple[int, int, datetime.date], int | None]) -> dict[
        tuple[int, int, datetime.date], int]:
    """The acts of urgent services of imported urgent lines: one per (person, department, day), the existing one
    when there is one, else a new act numbered after the organisation's last number of its year (as
    actions.do_create_urgent_act numbers them). `wanted` maps each key to the worker of its first line."""
    acts = {(r, d, day): pk for pk, r, d, day in UrgentAct.objects.filter(organisation_id=organisation_id)
            .values_list("id", "recipient_id", "department_id", "date")}
    missing = sorted(k for k in wanted if k not in acts)
    if not missing:
        return acts
    numbers = UrgentAct.objects.filter(organisation_id=organisation_id).values_list("number", flat=True)
    last = rules.last_numbers(numbers)
    new = []
    for r, d, day in sorted(missing, key=lambda k: (k[2], k[0], k[1])):
        last[day.year] = last.get(day.year, 0) + 1
        new.append(UrgentAct(organisation_id=organisation_id, recipient_id=r, department_id=d, date=day,
                             worker_id=wanted[(r, d, day)], number=f"{last[day.year]}/{day.year}"))
    UrgentAct.objects.bulk_create(new, batch_size=5000)
    return acts | {(a.recipient_id, a.department_id, a.date): a.pk for a in new}


# --- writing -----------------------------------------------------------------------------------------------------

# The columns of a row given to write_lines, in this order.
COLUMNS = ("recipient_id", "department_id", "service_id", "date", "worker_id", "seq", "quantity", "list", "tariff",
           "amount", "organisation_id", "over_volume_reason", "urgent_act_id", "created_at")
CHUNK = 20_000
NULL = "\\N"  # NULL in PostgreSQL's COPY text format


@contextlib.contextmanager
def _without_key_triggers(cursor: Any) -> Iterator[None]:
    """PostgreSQL: skip the foreign-key triggers while the lines are copied, when the role may (a superuser, as
    pg_restore --disable-triggers does) and the caller made every key itself from rows it has just saved;
    without this the commit re-checks ≈2 million keys of the demo (≈25 s). Otherwise the checks run as usual."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        yield
        return
    try:
        yield
    finally:
        cursor.execute("SET LOCAL session_replication_role = origin")


REBUILD_FROM = 20_000  # rows


@contextlib.contextmanager
def _indexes_rebuilt(adding: int, *, keep_foreign_keys: bool) -> Iterator[None]:
    """The journal's one run-time schema change, measured to be worth it (docs/benchmarks.md: a first import of
    530 000 lines costs ≈3 s more CPU on SQLite when its nine indexes are kept up to date row by row).

    When at least REBUILD_FROM lines are added and they outnumber those present (a first import, a new demo),
    drop the table's indexes (and on PostgreSQL its unique constraint and, unless `keep_foreign_keys`, its
    foreign keys) and create them again after the insert. DDL is transactional on both databases, so a failure
    undoes everything; the rows' references and uniqueness were checked before, and are checked again when the
    constraints are re-created. On PostgreSQL this locks the journal table until the transaction commits."""
    table = Delivery._meta.db_table
    quote = connection.ops.quote_name
    if adding < REBUILD_FROM:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        if adding < cursor.fetchone()[0]:
            yield
            return
        constraints: list[tuple[str, str]] = []
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred checks of the rows written so far
            kinds = "('u')" if keep_foreign_keys else "('f', 'u')"
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           f"WHERE conrelid = %s::regclass AND contype IN {kinds}", [table])
            constraints = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            cursor.execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                           "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL", [table])
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sort in memory (this transaction only)
        for _name, sql in indexes:
            cursor.execute(sql)
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {quote(table)}")  # the planner's statistics for the queries that follow


def copy_text(row: Sequence[Any]) -> str:
    """A row of COLUMNS as a line of PostgreSQL's COPY text format (no value here holds a tab or a newline:
    the reason is written empty by the bulk callers)."""
    return "\t".join(NULL if v is None else str(v) for v in row) + "\n"


def _month(day: Any) -> datetime.date:
    return (day.replace(day=1) if isinstance(day, datetime.date)
            else datetime.date.fromisoformat(str(day)[:10]).replace(day=1))


def write_lines(organisation_id: int, rows: Sequence[Sequence[Any]], *, months: Iterable[datetime.date] = (),
                own_keys: bool = False, advance: Callable[[int], None] | None = None,
                extra_columns: Sequence[str] = ()) -> None:
    """The one bulk writer of the journal: rows of COLUMNS (dates and money as Python values or as their text)
    inserted with executemany (SQLite) or COPY (PostgreSQL), then the monthly aggregates of the months written
    (and of `months`, the months of lines changed otherwise). A month written that held no line before gets the
    aggregates counted from the rows in memory (aggregates.count_lines, the same rule as the checks); the others
    are recounted from the journal in SQL (aggregates.refresh_organisation). `own_keys`: the caller made every
    foreign key from rows it has just saved (the demo), so PostgreSQL may skip the key triggers. `extra_columns`:
    columns the rows carry after those of COLUMNS (e.g. `online`, issue 17); the others take their database
    defaults."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    names = (*COLUMNS, *extra_columns)
    columns = ", ".join(connection.ops.quote_name(c) for c in names)
    touched = {m.replace(day=1) for m in months}
    written = {_month(day) for day in {r[3] for r in rows}}
    counted = aggregates.months_without_lines(organisation_id, written - touched) if rows else set()
    counting: Future[Any] | None = None
    if rows:
        with _indexes_rebuilt(len(rows), keep_foreign_keys=own_keys), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                guard = _without_key_triggers(cursor) if own_keys else contextlib.nullcontext()
                # the psycopg cursor's COPY, its errors as Django's (IntegrityError…)
                with connection.wrap_database_errors, guard, \
                        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for start in range(0, len(rows), CHUNK):
                        chunk = rows[start:start + CHUNK]
                        copy.write("".join(map(copy_text, chunk)))
                        if advance:
                            advance(len(chunk))
            else:
                marks = ", ".join(["%s"] * len(names))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                for start in range(0, len(rows), CHUNK):
                    chunk = rows[start:start + CHUNK]
                    cursor.executemany(sql, chunk)
                    if advance:
                        advance(len(chunk))
            if counted:  # counted by the second core while the database creates the indexes again (GIL released)
                counting = _in_thread(_count, organisation_id, rows)
    if counted:
        aggregates.store_counted(organisation_id, counting.result() if counting is not None
                                 else _count(organisation_id, rows), counted)
    aggregates.refresh_organisation(organisation_id, (touched | written) - counted)


def _count(organisation_id: int, rows: Sequence[Sequence[Any]]) -> Any:
    """The monthly aggregates of rows of COLUMNS, counted in memory (aggregates.count_lines)."""
    return aggregates.count_lines(organisation_id, ((r[1], r[2], r[0], r[3], r[7], r[6], r[9]) for r in rows))


def _in_thread(function: Callable[..., Any], *args: Any) -> Future[Any]:
    """`function(*args)` in a thread of its own (pure Python, no database): its result or its exception from
    `.result()`."""
    future: Future[Any] = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # handed to the caller by .result()
            future.set_exception(exc)

    threading.Thread(target=run, name="count-lines", daemon=True).start()
    return future


class Texts(dict[Any, str]):
    """The text a journal row carries for a date (ISO) or a money value, made once for the many rows that share
    it: ``texts[day]``, ``texts[amount]`` (str() of a date is its ISO form)."""

    def __missing__(self, key: Any) -> str:
        text = self[key] = str(key)
        return text


def now_value() -> Any:
    """created_at for rows of write_lines, in the form the database takes."""
    now = timezone.now()
    return connection.ops.adapt_datetimefield_value(now) if connection.vendor != "postgresql" else now.isoformat()
