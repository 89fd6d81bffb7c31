"""The demo centre's casework for 2019 and 2020: applications, assessments, programmes, contracts, fee
decisions, income records, acts of urgent services and the journal of services delivered.

Everything is generated in memory from the registry that `builder._Generator` made (its `Person` and
`Enrolment` objects, not yet saved) with its own `random.Random`, so the registry stays exactly what it
was (the seed-000 figures) and the same seed always gives the same casework. The builder saves it. Its methods
take the years, segments and days they work on, so demo/later.py continues the same casework after 2020 with them.

The journal reproduces the services of seed 000 by department and year (the counting rule of
domain/RULES.md: a count of services is the sum of quantities), see JOURNAL_TARGETS:
home care 521 491 services in 2020 (251 544 basic + 269 947 additional) and 456 727 in 2019
(213 999 + 242 728); urgent 3 157 services to 2 522 people; day stay 5 382 to 117 people, suspended from
17.03.2020; social adaptation 457 to 386 people. The 2020 centre total is 530 487, as in the seed.

Every line passes the journal's checks: the person is enrolled in the department on that date (not
after the discharge date), a basic line's service is in the person's programme in force on that date,
whose volume per period is computed from what was delivered (never exceeded); additional lines are at
tariff (amount = quantity × tariff); urgent lines each belong to an act of urgent services. A programme
keeps its term (`valid_to`); one whose service ended — the person was discharged, or the term ran out and a
new programme followed — is closed on that day (`closed_on`); a version replaced by a revision is superseded.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, models

from opora.accounts.actor import Actor, Grant
from opora.accounts.roles import Role
from opora.billing.actions import do_compute_charges_months, do_record_payments
from opora.billing.models import Charge, FeeDecision, FeeRules, IncomeRecord, PaymentReceived, SubsistenceMinimum
from opora.billing.rules import (
    DEFAULT_FREE_CATEGORIES,
    compute_fee,
    free_category,
    months_before,
    per_capita_income,
)
from opora.catalogue.defaults import DEFAULT_SERVICES, DEFAULT_TARIFF_DATE
from opora.catalogue.models import Service, Tariff
from opora.core.reference import Channel, DepartmentKind, Form, Position, Sector
from opora.delivery import bulk
from opora.delivery.models import Delivery, MonthlyAct, UrgentAct
from opora.intake.models import Application, ApplicationStatus, Assessment, CareLevelScale
from opora.intake.queries import scale_rows_on
from opora.intake.questionnaire import ITEMS
from opora.intake.rules import decision_due
from opora.lib.dates import add_months, add_years, month_end, month_index
from opora.lib.workdays import WorkCalendar
from opora.org.calendar import calendar_for
from opora.org.models import Employee, Organisation
from opora.people.models import Enrolment
from opora.programmes import rules as programme_rules
from opora.programmes.models import (
    Contract,
    ContractAmendment,
    Programme,
    ProgrammeItem,
    ProgrammeStatus,
    Termination,
    VolumePeriod,
)

if TYPE_CHECKING:
    from opora.demo.builder import Person, _Generator

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# The casework of 2019–2020 made here reproduces seed 000; demo/later.py continues it up to the build's "today".
BASE_END = D(2020, 12, 31)  # the last day of the seed's years
YEARS = (2019, 2020)
FIRST_DAY, LAST_DAY = D(2019, 1, 1), BASE_END
DAY_STAY_SUSPENDED = D(2020, 3, 17)
KOPECK = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")

# The tariffs rose on 1 January 2020 (seed 000: income grew "за счет увеличения количества услуг и тарифов").
TARIFF_RAISE_FROM = D(2020, 1, 1)
TARIFF_RAISE = Decimal("1.05")

# Services (sum of quantities) per year and department group: (basic, additional). The centre's are seed 000's.
JOURNAL_TARGETS: dict[str, dict[int, dict[str, tuple[int, int]]]] = {
    "centre": {
        2019: {"home": (213_999, 242_728), "urgent": (2_870, 0), "day_stay": (4_310, 0), "adaptation": (160, 0)},
        2020: {"home": (251_544, 269_947), "urgent": (3_157, 0), "day_stay": (5_382, 0), "adaptation": (457, 0)},
    },
    "small": {
        2019: {"home": (520, 260), "urgent": (20, 0), "day_stay": (60, 0), "adaptation": (4, 0)},
        2020: {"home": (640, 320), "urgent": (90, 0), "day_stay": (90, 0), "adaptation": (16, 0)},
    },
}

# Plausible configurable data for the demo's region (Кемеровская область — Кузбасс), roubles a month.
# 2019–2021 are billing's seed values (billing/migrations/0004); the earlier years are the demo's own additions.
REGION_SUBSISTENCE: dict[int, dict[str, str]] = {
    2015: {"per_capita": "8797", "working_age": "9410", "pensioner": "7206", "child": "8844"},
    2016: {"per_capita": "9130", "working_age": "9760", "pensioner": "7481", "child": "9318"},
    2017: {"per_capita": "9356", "working_age": "9985", "pensioner": "7746", "child": "9586"},
    2018: {"per_capita": "9445", "working_age": "10085", "pensioner": "7832", "child": "9661"},
    2019: {"per_capita": "10015", "working_age": "10811", "pensioner": "8302", "child": "10541"},
    2020: {"per_capita": "10563", "working_age": "11394", "pensioner": "8735", "child": "11162"},
    2021: {"per_capita": "11291", "working_age": "12307", "pensioner": "9711", "child": "11896"},
    # 2022–2026: the demo's own plausible figures (about the national rises of those years), not official ones.
    2022: {"per_capita": "12418", "working_age": "13536", "pensioner": "10680", "child": "13084"},
    2023: {"per_capita": "13781", "working_age": "15021", "pensioner": "11852", "child": "14520"},
    2024: {"per_capita": "14865", "working_age": "16203", "pensioner": "12784", "child": "15662"},
    2025: {"per_capita": "16890", "working_age": "18410", "pensioner": "14526", "child": "17796"},
    2026: {"per_capita": "18050", "working_age": "19675", "pensioner": "15523", "child": "19018"},
}
SUBSISTENCE_RISE = Decimal("1.06")  # a year, for the years after the table's last (a demo built in a later year)


def subsistence_minimums(year: int) -> dict[str, Decimal]:
    """The demo region's minimums of a year (group → roubles a month): the table's, or its last year's raised by
    SUBSISTENCE_RISE a year after it."""
    last = max(REGION_SUBSISTENCE)
    row = REGION_SUBSISTENCE[min(year, last)]
    rise = SUBSISTENCE_RISE ** max(0, year - last)
    return {group: (Decimal(amount) * rise).quantize(Decimal("1")) for group, amount in row.items()}
# Pensions were indexed each January; a person's pension in year Y is their 2020 pension / Π later indexations.
PENSION_INDEXATION = {2026: Decimal("1.076"), 2025: Decimal("1.095"), 2024: Decimal("1.074"), 2023: Decimal("1.048"),
                      2022: Decimal("1.086"), 2021: Decimal("1.063"), 2020: Decimal("1.066"), 2019: Decimal("1.07"),
                      2018: Decimal("1.037"), 2017: Decimal("1.058"), 2016: Decimal("1.04")}

# level, score from, score to, hours a week: used only when the database has no scale (intake seeds one).
DEFAULT_SCALE = ((0, 0, 9, 0), (1, 10, 17, 7), (2, 18, 25, 14), (3, 26, 36, 28))
LEVEL_DAYS = {1: 2, 2: 3, 3: 5}
LEVEL_INTENSITY = {1: 1.0, 2: 1.35, 3: 1.8}
WEEK_PATTERNS = {2: ((0, 3), (1, 4), (0, 2), (2, 4), (1, 3)), 3: ((0, 2, 4), (1, 3, 4), (0, 1, 3)),
                 5: ((0, 1, 2, 3, 4),)}
SEASONS = {"Д1.7": frozenset({9, 10, 11, 12, 1, 2, 3}), "Д1.8": frozenset({11, 12, 1, 2, 3}),
           "Д1.9": frozenset({5, 6, 9}), "Д1.1": frozenset({4, 5, 9})}
DAY_STAY_SERVICES = {"1.12": 4.0, "2.1": 4.0, "2.2": 3.0, "4.3": 3.0, "3.1": 1.0, "7.2": 1.0}
ADAPTATION_SERVICES = {"6.1": 4.0, "6.2": 2.0, "6.3": 1.5, "5.2": 2.0, "3.1": 1.5, "7.3": 1.0, "2.4": 1.0}
URGENT_PERSON = {"8.1": 30.0, "8.2": 25.0, "8.6": 15.0, "8.4": 10.0, "8.5": 8.0, "8.3": 2.0}
URGENT_FAMILY = {"8.1": 30.0, "8.2": 30.0, "8.6": 20.0, "8.4": 4.0, "8.5": 4.0}

CHANNELS = ((Channel.IN_PERSON, 58), (Channel.PHONE, 8), (Channel.REFERRAL, 12), (Channel.ONLINE, 8),
            (Channel.EMAIL, 3), (Channel.POST, 3), (Channel.FIELD_RECEPTION, 6), (Channel.HOTLINE, 2))
REQUESTS = {
    "home": "Социальное обслуживание на дому: помощь в быту, покупка и доставка продуктов и лекарств",
    "day_stay": "Полустационарное обслуживание в отделении дневного пребывания (оздоровительный курс)",
    "adaptation": "Социальная адаптация: помощь в восстановлении документов, трудоустройстве, жилье",
    "urgent": "Срочная социальная помощь",
}
REFUSALS = (
    "Не признан нуждающимся в социальном обслуживании: способность к самообслуживанию сохранена "
    "(анкета-опросник — уровень нуждаемости 0).",
    "Медицинские противопоказания к социальному обслуживанию на дому (заключение медицинской организации).",
)
URGENT_SITUATIONS = (
    "Малоимущая семья, трудная жизненная ситуация: нуждается в продуктовом наборе",
    "Пожар в жилом доме: утрачены одежда и предметы первой необходимости",
    "Одиноко проживающий пенсионер, нуждается в вещевой и продуктовой помощи",
    "Обращение по телефону горячей линии: требуется консультация юриста",
    "Многодетная семья, сезонная помощь (одежда, обувь к школе)",
    "Экстренная психологическая помощь после утраты близкого",
    "Отсутствие средств к существованию до назначения пенсии",
)
HOUSING = (
    "Частный дом с печным отоплением, вода из колонки; условия удовлетворительные",
    "Благоустроенная квартира на 2 этаже, лифта нет; санитарное состояние удовлетворительное",
    "Неблагоустроенная квартира в двухквартирном доме, печное отопление, колодец во дворе",
    "Благоустроенная квартира на 1 этаже; условия хорошие",
)
HOUSEHOLD = (
    "Проживает одна, дети в другом городе, навещают редко",
    "Проживает с супругом-пенсионером, родственники помогают эпизодически",
    "Проживает один, родственников нет",
    "Проживает с дочерью, которая работает и ухаживать днём не может",
)

Line = tuple[Any, ...]  # (recipient, department, service, worker, date, quantity, list, tariff, amount, act)


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into whole shares proportional to `weights` (largest remainder; ties by position).

    The shares always add up to `total` exactly; a zero weight gets nothing unless every weight is zero.
    """
    if total < 0:
        raise ValueError("total must be 0 or more")
    if not weights:
        if total:
            raise ValueError("nothing to allocate to")
        return []
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def allocate_at_least_one(total: int, weights: Sequence[float]) -> list[int]:
    """Like allocate, but every share is at least 1 (if the total allows it)."""
    n = len(weights)
    if total < n:
        return allocate(total, weights)
    return [1 + s for s in allocate(total - n, weights)]


def money(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def default_tariffs() -> dict[str, list[tuple[datetime.date, Decimal]]]:
    """code → [(valid from, price)] of the demo catalogue: the defaults, raised by 5 % from 2020."""
    table: dict[str, list[tuple[datetime.date, Decimal]]] = {}
    for code, *_rest, price in DEFAULT_SERVICES:
        base = Decimal(price)
        table[code] = [(DEFAULT_TARIFF_DATE, base)]
        if base > 0:
            table[code].append((TARIFF_RAISE_FROM, (base * TARIFF_RAISE).quantize(Decimal("1"))))
    return table


@dataclass
class Profile:
    level: int
    weekdays: tuple[int, ...]
    basic: dict[str, float]
    additional: dict[str, float] = field(default_factory=dict)


@dataclass
class Segment:
    """A stretch of an enrolment under one programme (version)."""

    person: Person
    enrolment: Enrolment
    kind: str  # home, day_stay, adaptation
    start: datetime.date
    end: datetime.date
    profile: Profile
    programme: Programme
    period: str = VolumePeriod.MONTH


@dataclass
class Unit:
    """A segment's visit days in one year: what the year's services are allocated over."""

    segment: Segment
    year: int
    days: list[datetime.date]


@dataclass
class Scale:
    rows: list[tuple[int, int, int, int]]  # level, min score, max score, weekly hours
    row_objects: list[CareLevelScale | None]

    def level_of(self, score: int) -> tuple[int, int, CareLevelScale | None]:
        for (level, low, high, hours), obj in zip(self.rows, self.row_objects, strict=True):
            if low <= score <= high:
                return level, hours, obj
        return 0, 0, None

    def score_range(self, level: int) -> tuple[int, int]:
        for lv, low, high, _h in self.rows:
            if lv == level:
                return low, high
        return 0, 0


class Casework:
    """Generates the casework for a registry; see the module docstring."""

    def __init__(self, gen: _Generator, seed: int, services: dict[str, Service], calendar: WorkCalendar,
                 scale: Scale, minimums: dict[tuple[int, str], Decimal], coefficient: Decimal,
                 free_categories: frozenset[str], tariffs: dict[str, list[tuple[datetime.date, Decimal]]]):
        self.gen = gen
        self.size = gen.size.name
        self.rng = random.Random(f"casework-{seed}")
        self.org = gen.org
        self.deps = gen.deps
        self.services = services
        self.calendar = calendar
        self.scale = scale
        self.minimums = minimums
        self.coefficient = coefficient
        self.free_categories = free_categories
        self.tariffs = tariffs
        self.targets = JOURNAL_TARGETS[self.size]
        self.working_days = {y: [d for d in self._days(D(y, 1, 1), D(y, 12, 31)) if calendar.is_working_day(d)]
                             for y in YEARS}
        self.applications: list[Application] = []
        self.assessments: list[Assessment] = []
        self.programmes: list[Programme] = []
        self.items: list[ProgrammeItem] = []
        self.fee_decisions: list[FeeDecision] = []
        self.income_records: list[IncomeRecord] = []
        self.contracts: list[Contract] = []
        self.amendments: list[ContractAmendment] = []
        self.urgent_acts: list[UrgentAct] = []
        self.lines: list[Line] = []
        self.segments: list[Segment] = []
        self.segments_of: dict[int, list[Segment]] = defaultdict(list)  # id(enrolment) → segments
        self.application_of: dict[int, Application] = {}  # id(enrolment) → application
        self.level_of: dict[int, int] = {}  # id(enrolment) → level from the assessment
        self.usage_month: dict[tuple[int, str, str, int], int] = defaultdict(int)
        self.usage_days: dict[tuple[int, str, str], list[tuple[datetime.date, int]]] = defaultdict(list)
        self.representative: dict[int, str] = {id(r.recipient): r.full_name for r in gen.representatives}
        self.staff: dict[str, list[Employee]] = defaultdict(list)
        for e in gen.employees:
            self.staff[e.department.code].append(e)
        self.director = next((e for e in gen.employees if e.position == Position.DIRECTOR), None)
        self.person_of: dict[int, Person] = {id(p.rec): p for p in gen.people}
        self.pension: dict[int, Decimal] = {}
        self._cum: dict[tuple[tuple[str, float], ...], tuple[list[str], list[float]]] = {}
        self._cum_of: dict[int, tuple[dict[str, float], tuple[list[str], list[float]]]] = {}
        self._tariff: dict[tuple[str, int], Decimal] = {}
        self._amount: dict[tuple[Decimal, int], Decimal] = {}  # (tariff, quantity) → the line's amount
        self._worker: dict[tuple[int, int, str], Employee | None] = {}
        # id(segment) → (day, code, quantity) → the quantity the segment's programme still allows (demo/later.py)
        self.caps: dict[int, Callable[[datetime.date, str, int], int]] = {}
        self.decision_of: dict[int, FeeDecision] = {}  # id(programme) → its fee decision
        self.contract_of: dict[int, Contract] = {}  # id(enrolment) → its contract

    # ---- helpers ------------------------------------------------------------------------------------------
    @staticmethod
    def _days(start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
        day = start
        while day <= end:
            yield day
            day += ONE_DAY

    def weighted(self, pairs: Sequence[tuple[Any, float]]) -> Any:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def tariff_on(self, code: str, day: datetime.date) -> Decimal:
        price = Decimal("0")
        for start, value in self.tariffs.get(code, ()):
            if start <= day:
                price = value
        return price

    def add_wd(self, day: datetime.date, n: int) -> datetime.date:
        return self.calendar.add_working_days(day, n)

    def on_duty(self, dept: str, day: datetime.date, positions: Iterable[str] | None = None) -> list[Employee]:
        wanted = set(positions) if positions else None
        return [e for e in self.staff[dept] if e.hired_on <= day and (e.dismissed_on is None or e.dismissed_on >= day)
                and (wanted is None or e.position in wanted)]

    def home_department(self, p: Person) -> str:
        if p.home_dept:
            return p.home_dept
        rec = p.rec
        if rec.sector == Sector.CITY:
            return "home1"
        if rec.sector == Sector.PRIVATE:
            return "home2"
        if rec.settlement is not None and rec.settlement.name in self.gen.village_department:
            return self.gen.village_department[rec.settlement.name]
        return "home1"

    def kind_of(self, e: Enrolment) -> str:
        kind = str(e.department.kind)
        return {DepartmentKind.HOME_CARE.value: "home", DepartmentKind.URGENT.value: "urgent",
                DepartmentKind.DAY_STAY.value: "day_stay", DepartmentKind.SOCIAL_ADAPTATION.value: "adaptation"}[kind]

    # ---- intake ---------------------------------------------------------------------------------------------
    def answers_for(self, level: int) -> dict[str, int]:
        low, high = self.scale.score_range(level)
        target = self.rng.randint(low, high)
        answers = dict.fromkeys((item.code for item in ITEMS), 0)
        codes = list(answers)
        # Housework, shopping and going out are the first to need help.
        heavy = ["housework", "shopping", "going_out", "cooking", "bathing"]
        while sum(answers.values()) < target:
            code = self.rng.choice(heavy) if self.rng.random() < 0.55 else self.rng.choice(codes)
            if answers[code] < 3:
                answers[code] += 1
        return answers

    def assessment(self, app: Application, day: datetime.date, level: int) -> Assessment:
        answers = self.answers_for(level)
        score = sum(answers.values())
        got_level, hours, row = self.scale.level_of(score)
        dept = app.department.code
        examiners = (self.on_duty(dept, day, [Position.DEPARTMENT_HEAD, Position.SOCIAL_WORK_SPECIALIST])
                     or self.on_duty(dept, day))
        conclusion = ("Нуждается в социальном обслуживании на дому" if got_level else
                      "Способность к самообслуживанию сохранена; в надомном обслуживании не нуждается")
        a = Assessment(organisation=self.org, application=app, recipient=app.recipient, examined_on=day,
                       examiner=self.rng.choice(examiners) if examiners else None,
                       housing=self.rng.choice(HOUSING), household=self.rng.choice(HOUSEHOLD),
                       conclusion=f"{conclusion} (уровень нуждаемости {got_level}).", answers=answers, score=score,
                       care_level=got_level, weekly_hours=hours, scale=row)
        self.assessments.append(a)
        return a

    def refuse_or_withdraw(self, app: Application, received: datetime.date, refuse: bool,
                           rng: random.Random) -> None:
        """An application not served: refused after an assessment (the first reason three times in four) or
        withdrawn by the applicant. ``rng`` is the caller's (2019–2020's or the later years' own)."""
        if refuse:
            reason = REFUSALS[0] if rng.random() < 0.75 else REFUSALS[1]
            a = self.assessment(app, self.add_wd(received, rng.randint(1, 3)), 0 if reason == REFUSALS[0]
                                else rng.choice((1, 2)))
            app.status = ApplicationStatus.REFUSED
            app.decided_on = max(a.examined_on, self.add_wd(received, rng.randint(3, 5)))
            app.refusal_reason = reason
        else:
            app.status = ApplicationStatus.WITHDRAWN
            app.request += " (заявление отозвано заявителем)"

    def application(self, p: Person, dept: str, form: str, kind: str, received: datetime.date) -> Application:
        rec = p.rec
        rep = self.representative.get(id(rec), "")
        app = Application(
            organisation=self.org, number="", received_on=received, channel=self.weighted(CHANNELS), recipient=rec,
            applicant_name=rep if rep and self.rng.random() < 0.7 else "", requested_form=form,
            department=self.deps[dept], request=REQUESTS[kind], status=ApplicationStatus.REGISTERED,
            decision_due=decision_due(received, self.calendar))
        self.applications.append(app)
        return app

    def decide(self, app: Application, latest: datetime.date) -> None:
        late = self.rng.random() < 0.05
        n = self.rng.randint(6, 8) if late else self.weighted(((1, 15), (2, 25), (3, 25), (4, 20), (5, 15)))
        app.decided_on = min(self.add_wd(app.received_on, n), latest)
        app.status = ApplicationStatus.RECOGNISED
        app.decided_form = app.requested_form

    def intake_for(self, p: Person, e: Enrolment, not_before: datetime.date | None = None) -> Application:
        """The application that led to an enrolment (received no earlier than `not_before`), decided before the
        admission; for home care with its needs assessment."""
        rng = self.rng
        kind = self.kind_of(e)
        dept = e.department.code
        if kind == "urgent":
            app = self.application(p, dept, Form.URGENT, kind, e.admitted_on)
            app.decided_on = e.admitted_on
            app.status = ApplicationStatus.RECOGNISED
            app.decided_form = Form.URGENT
            app.channel = self.weighted(((Channel.IN_PERSON, 60), (Channel.PHONE, 15), (Channel.HOTLINE, 10),
                                         (Channel.REFERRAL, 10), (Channel.FIELD_RECEPTION, 5)))
        else:
            back = {"home": (14, 35), "day_stay": (5, 20), "adaptation": (2, 12)}[kind]
            received = e.admitted_on - datetime.timedelta(days=rng.randint(*back))
            if not_before is not None:
                received = min(e.admitted_on, max(received, not_before))
            app = self.application(p, dept, e.form, kind, received)
            if kind == "home":
                level = self.weighted(((1, 45), (2, 40), (3, 15)))
                examined = min(self.add_wd(received, rng.randint(1, 3)), e.admitted_on)
                a = self.assessment(app, examined, level)
                self.level_of[id(e)] = max(1, a.care_level)
                app.status = ApplicationStatus.ASSESSMENT
            self.decide(app, e.admitted_on)
            if kind == "home" and app.decided_on is not None:
                app.decided_on = max(app.decided_on, self.assessments[-1].examined_on)
        self.application_of[id(e)] = app
        return app

    def make_intake(self) -> None:
        """Applications for everyone admitted in 2019–2020, with assessments for home care; a few refused,
        withdrawn, and still open at the end of 2020."""
        rng = self.rng
        for p in self.gen.people:
            for e in p.enrolments:
                if not (FIRST_DAY <= e.admitted_on <= LAST_DAY):
                    continue
                self.intake_for(p, e)

        # Applications of people not (yet) served: refused, withdrawn, and open at the end of the year.
        candidates = [p for p in self.gen.urgent_pensioners if not p.home_dept and not p.dead]
        rng.shuffle(candidates)
        n_refused, n_withdrawn, n_open = (30, 4, 14) if self.size == "centre" else (2, 1, 3)
        for i, p in enumerate(candidates[: n_refused + n_withdrawn + n_open]):
            dept = self.home_department(p)
            if i < n_refused + n_withdrawn:
                received = rng.choice(self.working_days[rng.choice(YEARS)][5:-5])
                app = self.application(p, dept, Form.HOME, "home", received)
                self.refuse_or_withdraw(app, received, i < n_refused, rng)
            else:
                days = [d for d in self.working_days[2020] if d >= D(2020, 12, 1)]
                received = rng.choice(days)
                app = self.application(p, dept, Form.HOME, "home", received)
                if rng.random() < 0.5 and self.add_wd(received, 1) <= BASE_END:
                    self.assessment(app, self.add_wd(received, 1), rng.choice((1, 2, 3)))
                    app.status = ApplicationStatus.ASSESSMENT

        self.number_applications(self.applications)

    @staticmethod
    def number_applications(applications: Sequence[Application], by_year: dict[int, int] | None = None) -> None:
        """Numbers per year, in order of receipt ("2020-0001", as intake numbers them), after `by_year`'s last."""
        by_year = defaultdict(int, by_year or {})
        for app in sorted(applications, key=lambda a: (a.received_on, a.department.code, a.recipient.search_name)):
            by_year[app.received_on.year] += 1
            app.number = f"{app.received_on.year}-{by_year[app.received_on.year]:04d}"

    # ---- profiles and programmes ----------------------------------------------------------------------------
    def home_profile(self, p: Person, level: int) -> Profile:
        rng = self.rng
        rural = p.rec.sector != Sector.CITY
        basic: dict[str, float] = {"1.1": 10.0}
        for code, weight, share in (("1.2", 3, 0.5), ("1.4", 1.5, 0.6), ("1.8", 4, 0.7), ("1.5", 1, 0.3),
                                    ("1.3", 3, 0.3 if level == 1 else 0.7), ("1.11", 0.5, 0.1), ("2.1", 3, 0.6),
                                    ("2.6", 2, 0.7), ("2.5", 0.5, 0.3), ("2.3", 1, 0.2), ("3.1", 0.6, 0.12),
                                    ("4.3", 0.3, 0.05), ("6.1", 0.05, 0.05), ("7.1", 0.2, 0.05)):
            if rng.random() < share:
                basic[code] = float(weight)
        if rural and rng.random() < 0.85:
            basic["1.6"] = 8.0
        if level >= 2:
            basic["1.10"] = 4.0
        if level >= 3:
            basic["1.12"] = 3.0
        additional: dict[str, float] = {}
        if rng.random() < 0.75:
            pool = [("Д1.2", 3.0), ("Д1.4", 2.0), ("Д1.5", 1.0), ("Д1.10", 2.0), ("Д2.1", 2.0), ("Д1.1", 1.0)]
            if rural:
                pool += [("Д1.6", 8.0), ("Д1.7", 3.0), ("Д1.8", 3.0), ("Д1.9", 2.0)]
            for code, weight in rng.sample(pool, rng.randint(2, min(5, len(pool)))):
                additional[code] = weight
            if all(code in SEASONS for code in additional):
                additional["Д1.2"] = 3.0
        days = LEVEL_DAYS[level]
        return Profile(level=level, weekdays=rng.choice(WEEK_PATTERNS[days]), basic=basic, additional=additional)

    def upgraded(self, profile: Profile) -> Profile:
        level = min(3, profile.level + 1)
        basic = dict(profile.basic)
        basic.setdefault("1.10", 4.0)
        if level == 3:
            basic.setdefault("1.12", 3.0)
        basic.setdefault("1.3", 3.0)
        return Profile(level=level, weekdays=self.rng.choice(WEEK_PATTERNS[LEVEL_DAYS[level]]), basic=basic,
                       additional=dict(profile.additional))

    def cycles(self, e: Enrolment, years: int, first: datetime.date = FIRST_DAY, until: datetime.date = BASE_END,
               start: datetime.date | None = None) -> list[tuple[datetime.date, datetime.date, datetime.date | None]]:
        """The programme terms of an enrolment that overlap `first`–`until` (2019–2020; a new programme every `years`
        from its admission, or from `start`):
        (start, end of the term, the day the service under it ended early — the discharge — or None)."""
        out: list[tuple[datetime.date, datetime.date, datetime.date | None]] = []
        start = start or e.admitted_on
        while True:
            term_end = add_years(start, years) - ONE_DAY
            ended = e.discharged_on if e.discharged_on is not None and e.discharged_on <= term_end else None
            if (ended or term_end) >= first:
                out.append((start, term_end, ended))
            if ended is not None or term_end >= until:
                return out
            start = term_end + ONE_DAY

    def programme(self, p: Person, e: Enrolment, kind: str, start: datetime.date, end: datetime.date,
                  profile: Profile, drawn: datetime.date, previous: Programme | None = None) -> Programme:
        form = Form.HOME if kind == "home" else Form.SEMI_STATIONARY
        hours = next((h for lv, _lo, _hi, h in self.scale.rows if lv == profile.level), 0) if kind == "home" else 0
        review = add_years(start, 1)
        prog = Programme(
            organisation=self.org, recipient=p.rec, application=None, number="",
            version=previous.version + 1 if previous else 1, previous=previous, drawn_up_on=drawn,
            valid_from=start, valid_to=end, form=form, department=e.department, provider=self.org.short_name,
            review_on=review if review <= end else None, care_level=profile.level if kind == "home" else 0,
            weekly_hours=hours, days_per_week=len(profile.weekdays) if kind == "home" else 5,
            visits_per_day=1, status=ProgrammeStatus.ACTIVE,
            support_measures="Содействие в оформлении мер социальной поддержки (ЕДВ, субсидия на ЖКУ)"
            if kind == "home" else "")
        self.programmes.append(prog)
        return prog

    def make_programmes(self) -> None:
        for p in self.gen.people:
            for e in p.enrolments:
                if e.admitted_on > LAST_DAY or (e.discharged_on is not None and e.discharged_on < FIRST_DAY):
                    continue
                kind = self.kind_of(e)
                if kind == "urgent":
                    continue
                app = self.application_of.get(id(e))
                profile, term, period = self.profile_for(p, e, kind)
                self.programme_chain(p, e, kind, profile, period, self.cycles(e, term), app)
        self.number_programmes(self.programmes)

    def profile_for(self, p: Person, e: Enrolment, kind: str) -> tuple[Profile, int, str]:
        """What a person's programme in a department holds: the profile, the term in years and the volume period."""
        if kind == "home":
            level = self.level_of.get(id(e)) or self.weighted(((1, 45), (2, 40), (3, 15)))
            return self.home_profile(p, level), 3, VolumePeriod.MONTH
        if kind == "day_stay":
            return Profile(level=0, weekdays=(0, 1, 2, 3, 4), basic=dict(DAY_STAY_SERVICES)), 1, VolumePeriod.TERM
        basic = {c: w for c, w in ADAPTATION_SERVICES.items() if c in ("6.1", "3.1") or self.rng.random() < 0.6}
        return Profile(level=0, weekdays=(0, 1, 2, 3, 4), basic=basic), 1, VolumePeriod.TERM

    def number_programmes(self, programmes: Sequence[Programme], by_year: dict[int, int] | None = None) -> None:
        """Numbers per year of drawing up (after `by_year`'s last ones); versions share their first one's number."""
        by_year = defaultdict(int, by_year or {})
        for prog in sorted((x for x in programmes if x.previous is None),
                           key=lambda x: (x.drawn_up_on, x.department.code, x.recipient.search_name)):
            by_year[prog.drawn_up_on.year] += 1
            prog.number = f"{by_year[prog.drawn_up_on.year]}/{prog.drawn_up_on.year}"
        for prog in programmes:
            if prog.previous is not None:
                prog.number = prog.previous.number

    def programme_chain(self, p: Person, e: Enrolment, kind: str, profile: Profile, period: str,
                        chains: list[tuple[datetime.date, datetime.date, datetime.date | None]],
                        app: Application | None, drawn_not_before: datetime.date | None = None) -> None:
        """The programmes (and segments) of an enrolment's terms `chains` (see `cycles`); the first one is drawn up
        after the application's decision, the next ones a few days before their start (not before
        `drawn_not_before`)."""
        rng = self.rng
        for n, (start, term_end, ended) in enumerate(chains):
            end = ended or term_end
            if n == 0 and app is not None and app.decided_on is not None:
                drawn = min(start, self.add_wd(app.decided_on, rng.randint(1, 6)))
            else:
                drawn = start - datetime.timedelta(days=rng.randint(2, 12))
                if drawn_not_before is not None:
                    drawn = min(start, max(drawn, drawn_not_before))
            change = None
            if (kind == "home" and profile.level < 3 and rng.random() < 0.08
                    and start + datetime.timedelta(days=60) < D(2020, 10, 31)
                    and end - datetime.timedelta(days=30) > D(2020, 3, 1)):
                low = max(D(2020, 3, 1), start + datetime.timedelta(days=60))
                high = min(D(2020, 10, 31), end - datetime.timedelta(days=30))
                if low < high:
                    change = low + datetime.timedelta(days=rng.randint(0, (high - low).days))
            prog = self.programme(p, e, kind, start, term_end, profile, drawn)
            if n == 0:
                prog.application = app
            self.add_segment(Segment(p, e, kind, start, change - ONE_DAY if change else end, profile, prog,
                                     period))
            if change is not None:
                # A revision: the new version applies from its own start (programmes.rules.version_on).
                prog.status = ProgrammeStatus.SUPERSEDED
                profile = self.upgraded(profile)
                prog = self.programme(p, e, kind, change, term_end, profile,
                                      change - datetime.timedelta(days=rng.randint(1, 5)), previous=prog)
                self.add_segment(Segment(p, e, kind, change, end, profile, prog, period))
            # Service under the programme ended: by discharge, or the term ran out and a new one followed.
            if ended is not None or n < len(chains) - 1:
                prog.status = ProgrammeStatus.CLOSED
                prog.closed_on = end

    def add_segment(self, seg: Segment) -> None:
        self.segments.append(seg)
        self.segments_of[id(seg.enrolment)].append(seg)

    # ---- the journal ----------------------------------------------------------------------------------------
    def visit_days(self, seg: Segment, year: int, until: datetime.date | None = None) -> list[datetime.date]:
        e = seg.enrolment
        start = max(seg.start, D(year, 1, 1))
        end = min(seg.end, D(year, 12, 31), until or D(year, 12, 31))
        if e.discharged_on is not None and e.discharged_on > start:
            end = min(end, e.discharged_on - ONE_DAY)  # no visit on the day of discharge
        if seg.kind == "day_stay" and seg.start < DAY_STAY_SUSPENDED:
            end = min(end, DAY_STAY_SUSPENDED - ONE_DAY)
        if end < start:
            return []
        days = self.working_days[year]
        lo, hi = bisect.bisect_left(days, start), bisect.bisect_right(days, end)
        chosen = [d for d in days[lo:hi] if d.weekday() in seg.profile.weekdays]
        if seg.kind == "adaptation":
            chosen = days[lo:hi]
        if not chosen:
            chosen = [d for d in self._days(start, end) if d.weekday() in seg.profile.weekdays] or [start]
        return chosen

    def _table(self, weights: dict[str, float]) -> tuple[list[str], list[float]]:
        """The codes of `weights` and their cumulative weights (read-only), made once per distinct weights."""
        held = self._cum_of.get(id(weights))  # the same dict again (a profile's weights are never changed)
        if held is not None and held[0] is weights:
            return held[1]
        key = tuple(weights.items())
        table = self._cum.get(key)
        if table is None:
            table = self._cum[key] = ([c for c, _w in key], list(itertools.accumulate(w for _c, w in key)))
        self._cum_of[id(weights)] = (weights, table)  # holds the dict: its id is not reused
        return table

    def pick(self, weights: dict[str, float], n: int) -> list[str]:
        """n distinct codes, weighted, without replacement."""
        codes, cum = self._table(weights)
        if n >= len(codes):
            return list(codes)
        rnd, total, last = self.rng.random, cum[-1], len(codes) - 1
        chosen: list[str] = []
        while len(chosen) < n:
            code = codes[min(bisect.bisect(cum, rnd() * total), last)]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def split(self, count: int, weights: dict[str, float], per_line: float) -> list[tuple[str, int]]:
        n = min(len(weights), max(1, round(count / per_line)))
        codes = self.pick(weights, n)
        if n == 1:
            return [(codes[0], count)]
        quantities = [1] * n
        rnd = self.rng.random
        for _ in range(count - n):
            quantities[int(rnd() * n)] += 1
        return list(zip(codes, quantities, strict=True))

    def worker_for(self, seg: Segment, day: datetime.date, code: str) -> Employee | None:
        e = seg.enrolment
        w = e.worker
        if w is not None and w.hired_on <= day and (w.dismissed_on is None or w.dismissed_on >= day):
            return w
        dept = e.department.code
        if seg.kind == "home":
            on = self.on_duty(dept, day, [Position.SOCIAL_WORKER])
            return on[(e.admitted_on.toordinal() + day.month) % len(on)] if on else w
        service_type = self.services[code].type
        wanted = {"medical": [Position.MEDICAL_NURSE], "pedagogical": [Position.CULTURAL_ORGANISER],
                  "psychological": [Position.PSYCHOLOGIST]}.get(service_type, [])
        on = (wanted and self.on_duty(dept, day, wanted)) or self.on_duty(
            dept, day, [Position.SOCIAL_WORK_SPECIALIST, Position.DEPARTMENT_HEAD])
        return on[0] if on else None

    def emitter(self, seg: Segment) -> Callable[[datetime.date, str, int], None]:
        """A function adding a line of the segment (what every line of the segment shares, looked up once)."""
        rec = seg.person.rec
        dept = seg.enrolment.department
        rid, dcode, home = id(rec), dept.code, seg.kind == "home"
        services, tariffs, workers = self.services, self._tariff, self._worker
        append, usage_month, usage_days = self.lines.append, self.usage_month, self.usage_days
        worker_for = self.worker_for
        sid = id(seg)
        cap = self.caps.get(sid)
        amounts = self._amount

        def emit(day: datetime.date, code: str, quantity: int) -> None:
            service = services[code]
            tkey = (code, day.year)
            tariff = tariffs.get(tkey)
            if tariff is None:
                tariff = tariffs[tkey] = self.tariff_on(code, D(day.year, 12, 31))
            month = month_index(day)
            wkey = (sid, month, "" if home else code)
            if wkey in workers:
                worker = workers[wkey]
            else:
                worker = worker_for(seg, day, code)
                if worker is None or (worker.hired_on <= day.replace(day=1) and (
                        worker.dismissed_on is None or worker.dismissed_on >= month_end(day))):
                    workers[wkey] = worker  # on duty the whole month
            if service.list == "additional":
                akey = (tariff, quantity)
                amount = amounts.get(akey)
                if amount is None:
                    amount = amounts[akey] = money(tariff * quantity)
                append((rec, dept, service, worker, day, quantity, "additional", tariff, amount, None))
            else:
                if cap is not None:  # a programme whose volumes are already set: never more than they allow
                    quantity = cap(day, code, quantity)
                    if quantity < 1:
                        return
                append((rec, dept, service, worker, day, quantity, "basic", tariff, ZERO_MONEY, None))
                usage_month[(rid, dcode, code, month)] += quantity
                usage_days[(rid, dcode, code)].append((day, quantity))

        return emit

    def make_journal(self, years: Iterable[int] = YEARS, segments: Sequence[Segment] | None = None,
                     until: datetime.date | None = None) -> None:
        """The journal of `years` over `segments` (all), no line after `until`: each year's targets allocated
        over the segments' visit days, then the acts of urgent services."""
        rng = self.rng
        for year in years:
            for kind, per_line in (("home", 2.2), ("day_stay", 1.0), ("adaptation", 1.0)):
                units = [Unit(seg, year, days) for seg in (self.segments if segments is None else segments)
                         if seg.kind == kind
                         for days in [self.visit_days(seg, year, until)] if days]
                basic_total, additional_total = self.targets[year][kind]
                basic_total = max(basic_total, len(units))
                weights = [len(u.days) * LEVEL_INTENSITY.get(u.segment.profile.level, 1.0) for u in units]
                basic = allocate_at_least_one(basic_total, weights)
                with_additional = [i for i, u in enumerate(units) if u.segment.profile.additional]
                extra = [0] * len(units)
                if with_additional and additional_total:
                    shares = allocate(additional_total, [len(units[i].days) * (0.6 + rng.random())
                                                         for i in with_additional])
                    for i, share in zip(with_additional, shares, strict=True):
                        extra[i] = share
                for u, b, a in zip(units, basic, extra, strict=True):
                    self.unit_lines(u, b, a, per_line)
            self.make_urgent(year, until)

    def spread(self, total: int, n: int) -> list[int]:
        """`total` over n days as evenly as whole numbers allow, the extra ones on random days."""
        base, extra = divmod(total, n)
        counts = [base] * n
        for i in self.rng.sample(range(n), extra):
            counts[i] += 1
        return counts

    def split_lines(self, days: Sequence[datetime.date], counts: Sequence[int], weights: dict[str, float],
                    by_month: dict[int, dict[str, float]] | None, per_line: float,
                    emit: Callable[[datetime.date, str, int], None]) -> None:
        """For each day and count: `split(count, weights, per_line)` (the weights of the day's month when `by_month`),
        each part emitted — split and pick written out here for the journal's two million lines (the same draws in
        the same order, without two calls and a list per day)."""
        rnd, bisect_right = self.rng.random, bisect.bisect
        table_of = self._table
        current: dict[str, float] | None = None
        codes: list[str] = []
        cum: list[float] = []
        n_codes = last = 0
        total = 0.0
        for day, count in zip(days, counts, strict=True):
            if not count:
                continue
            w = weights if by_month is None else by_month[day.month]
            if w is not current:
                current = w
                codes, cum = table_of(w)
                n_codes, last, total = len(codes), len(codes) - 1, cum[-1]
            n = min(n_codes, max(1, round(count / per_line)))
            if n >= n_codes:
                chosen = codes
            else:
                chosen = []
                while len(chosen) < n:
                    code = codes[min(bisect_right(cum, rnd() * total), last)]
                    if code not in chosen:
                        chosen.append(code)
            if n == 1:
                emit(day, chosen[0], count)
                continue
            quantities = [1] * n
            for _ in range(count - n):
                quantities[int(rnd() * n)] += 1
            for code, q in zip(chosen, quantities, strict=True):
                emit(day, code, q)

    def unit_lines(self, u: Unit, basic: int, additional: int, per_line: float) -> None:
        profile = u.segment.profile
        emit = self.emitter(u.segment)
        self.split_lines(u.days, self.spread(basic, len(u.days)), profile.basic, None, per_line, emit)
        if additional:
            seasonal = {c for c in profile.additional if c in SEASONS}
            by_month: dict[int, dict[str, float]] = {}
            for month in range(1, 13):
                by_month[month] = {c: w for c, w in profile.additional.items()
                                   if c not in seasonal or month in SEASONS[c]}
            days = [d for d in u.days if by_month[d.month]]
            if not days:
                return
            self.split_lines(days, self.spread(additional, len(days)), profile.additional, by_month, per_line, emit)

    def make_urgent(self, year: int, until: datetime.date | None = None) -> None:
        """Acts of urgent services: one for every urgent enrolment dated in the year up to `until` (a registered
        family gets one or two a year), each with one or more lines."""
        rng = self.rng
        year_end = min(D(year, 12, 30), until or D(year, 12, 30))
        acts: list[tuple[Person, Enrolment, datetime.date, bool]] = []
        for p in self.gen.people:
            family = p.rec.family is not None
            for e in p.enrolments:
                if e.department.kind != DepartmentKind.URGENT:
                    continue
                if e.discharged_on is not None:  # a one-off visit
                    if e.admitted_on.year == year:
                        acts.append((p, e, e.admitted_on, family))
                    continue
                first = max(e.admitted_on, D(year, 1, 9))
                last = year_end
                if first > last:
                    continue
                times = 1 if year >= 2020 else (1 if rng.random() < 0.6 else 0)
                if year >= 2020 and rng.random() < 0.25:
                    times = 2
                for _ in range(times):
                    acts.append((p, e, first + datetime.timedelta(days=rng.randint(0, (last - first).days)), family))
        # At most one act a day per person (two lines of one service, day and worker would be one line).
        used: set[tuple[int, datetime.date]] = set()
        for i, (p, e, day, family) in enumerate(acts):
            step = ONE_DAY if day < min(D(year, 12, 20), year_end - 10 * ONE_DAY) else -ONE_DAY
            while (id(p), day) in used:
                day += step
            used.add((id(p), day))
            acts[i] = (p, e, day, family)
        acts.sort(key=lambda a: (a[2], a[0].rec.search_name))
        total = max(self.targets[year]["urgent"][0], len(acts))
        counts = allocate_at_least_one(total, [0.5 + rng.random() for _ in acts])
        dept = self.deps["urgent"]
        for n, ((p, _e, day, family), count) in enumerate(zip(acts, counts, strict=True), start=1):
            on = self.on_duty("urgent", day, [Position.SOCIAL_WORK_SPECIALIST, Position.DEPARTMENT_HEAD])
            worker = rng.choice(on) if on else None
            act = UrgentAct(organisation=self.org, recipient=p.rec, department=dept, number=f"{n}/{year}", date=day,
                            worker=worker, situation=rng.choice(URGENT_SITUATIONS[:1] + URGENT_SITUATIONS[4:5]
                                                                if family else URGENT_SITUATIONS))
            self.urgent_acts.append(act)
            for code, q in self.split(count, URGENT_FAMILY if family else URGENT_PERSON, 1.0):
                service = self.services[code]
                self.lines.append((p.rec, dept, service, worker, day, q, service.list, self.tariff_on(code, day),
                                   Decimal("0.00"), act))

    # ---- volumes, fees, contracts ------------------------------------------------------------------------------
    def make_items(self, segments: Sequence[Segment] | None = None, first: datetime.date = FIRST_DAY,
                   last: datetime.date = LAST_DAY) -> None:
        """The programmes' items of `segments` (all): each volume from what the journal delivered from `first` to
        `last`, with a margin."""
        rng = self.rng
        for seg in self.segments if segments is None else segments:
            prog = seg.programme
            rec_id, dept = id(seg.person.rec), seg.enrolment.department.code
            months = range(month_index(max(seg.start, first)), month_index(min(seg.end, last)) + 1)
            for code in sorted(seg.profile.basic):
                if seg.period == VolumePeriod.MONTH:
                    used = max((self.usage_month.get((rec_id, dept, code, m), 0) for m in months), default=0)
                    volume = used + rng.choice((0, 1, 2, 2, 3, 4)) if used else rng.randint(1, 4)
                    per_week = volume / 4.3
                    periodicity = (f"{round(per_week)} раз(а) в неделю" if per_week >= 1
                                   else f"{volume} раз(а) в месяц")
                else:
                    used = sum(q for d, q in self.usage_days.get((rec_id, dept, code), ())
                               if prog.valid_from <= d <= prog.valid_to)
                    volume = used + rng.choice((0, 1, 2)) if used else rng.randint(1, 3)
                    periodicity = "ежедневно в дни посещения" if seg.kind == "day_stay" else "по мере необходимости"
                self.items.append(ProgrammeItem(programme=prog, service=self.services[code], volume=volume,
                                                period=seg.period, periodicity=periodicity,
                                                conditions="на дому" if seg.kind == "home" else "в отделении"))

    def monthly_pension(self, p: Person) -> Decimal:
        key = id(p.rec)
        if key not in self.pension:
            rng = self.rng
            if "pensioner" in p.categories:
                amount = rng.triangular(8600, 24000, 11500)
            else:
                amount = 0 if rng.random() < 0.35 else rng.triangular(4000, 26000, 11000)
            self.pension[key] = Decimal(round(amount))
        return self.pension[key]

    def income_in(self, base: Decimal, month: datetime.date) -> Decimal:
        value = base
        for year in range(month.year + 1, 2021):
            value /= PENSION_INDEXATION.get(year, Decimal("1.05"))
        for year in range(2021, month.year + 1):  # the years after 2020 (demo/later.py)
            value *= PENSION_INDEXATION.get(year, Decimal("1.05"))
        return money(value)

    def programme_cost(self, prog: Programme, items: list[ProgrammeItem], day: datetime.date) -> Decimal:
        """The programme's monthly cost by programmes.rules, at the tariffs the generator holds."""
        return programme_rules.monthly_cost(
            (self.tariff_on(item.service.code, day),
             programme_rules.monthly_volume(item.volume, item.period, prog.valid_from, prog.valid_to))
            for item in items)

    def make_fees_and_contracts(self) -> None:
        self.decide_fees(self.segments)
        contracts: list[Contract] = []
        for p in self.gen.people:
            for e in p.enrolments:
                segs = self.segments_of.get(id(e))
                if segs:
                    contracts.append(self.contract(p, e, segs))
        self.number_contracts(contracts)
        self.contracts = contracts

    def decide_fees(self, segments: Sequence[Segment]) -> None:
        """The fee decision of each segment's programme (self.decision_of), from the person's income before the
        application."""
        rng = self.rng
        items_of: dict[int, list[ProgrammeItem]] = defaultdict(list)
        for item in self.items:
            items_of[id(item.programme)].append(item)
        decision_of = self.decision_of
        for seg in segments:
            prog, p = seg.programme, seg.person
            day = prog.drawn_up_on
            form = prog.form
            app = prog.application
            applied = app.received_on if app is not None else day
            base = self.monthly_pension(p)
            spouse = Decimal(round(rng.triangular(9000, 22000, 12000))) if (
                "pensioner" in p.categories and "lonely_living" not in p.categories and rng.random() < 0.35) else None
            size = 2 if spouse is not None else 1
            first, end = months_before(applied)
            records: list[tuple[datetime.date, Decimal]] = []
            month = first
            while month < end:
                records.append((month, self.income_in(base, month)))
                if spouse is not None:
                    records.append((month, self.income_in(spouse, month)))
                month = add_months(month, 1)
            if applied >= FIRST_DAY:
                source = "Пенсия по инвалидности" if p.rec.disability_group else (
                    "Пенсия по старости" if "pensioner" in p.categories else "Заработная плата")
                spouse_name = f"Супруг(а) {p.rec.last_name}" if spouse is not None else ""
                for i, (m, amount) in enumerate(records):
                    if amount > 0:
                        is_spouse = spouse is not None and i % 2 == 1
                        self.income_records.append(IncomeRecord(
                            organisation=self.org, recipient=p.rec, member_name=spouse_name if is_spouse else "",
                            source="Пенсия по старости" if is_spouse else source, month=m, amount=amount))
            income = per_capita_income(records, size, applied)
            group = "pensioner" if "pensioner" in p.categories else "per_capita"  # as billing's queries choose
            minimum = self.minimums[(day.year, group)]
            cost = self.programme_cost(prog, items_of[id(prog)], day)
            free = free_category(p.categories, self.free_categories, p.rec.birth_date, applied)
            result = compute_fee(form, income, minimum, self.coefficient, cost, free)
            income_total = sum((a for _m, a in records), Decimal("0"))
            # The same explanation as billing.actions.do_decide_fee stores (the page shows the application date).
            explanation = {**result.explanation, "application_date": applied.isoformat(),
                           "income_months": [first.isoformat(), end.isoformat()], "income_total": str(income_total),
                           "household_size": size, "subsistence_group": group, "subsistence_region": self.org.region,
                           "subsistence_year": day.year, "fee_rules_id": None}
            decision = FeeDecision(
                organisation=self.org, recipient=p.rec, programme=prog, decided_on=day, form=form,
                income_total=income_total, household_size=size,
                income_per_capita=income, subsistence_minimum=minimum, coefficient=self.coefficient,
                threshold=result.threshold, programme_cost=cost, free_category=free, fee=result.fee,
                branch=str(result.branch), explanation=explanation)
            self.fee_decisions.append(decision)
            decision_of[id(prog)] = decision

    @staticmethod
    def payment(d: FeeDecision) -> str:
        return programme_rules.payment_for_fee(d.fee, d.programme_cost)  # as do_sign_contract sets it

    def contract(self, p: Person, e: Enrolment, segs: Sequence[Segment]) -> Contract:
        """The contract of an enrolment, signed with its first programme, amended for each one after it."""
        opening = segs[0].programme
        d = self.decision_of[id(opening)]
        signatory = self.director.full_name if self.director is not None else ""
        c = Contract(organisation=self.org, recipient=p.rec, programme=opening, enrolment=e, number="",
                     signed_on=opening.valid_from, valid_from=opening.valid_from,
                     valid_to=segs[-1].programme.valid_to,
                     payment=self.payment(d), monthly_fee=d.fee, fee_decision=d, signatory=signatory,
                     terminated_on=e.discharged_on, termination_reason=e.discharge_reason or "")
        self.contract_of[id(e)] = c
        for n, seg in enumerate(segs[1:], start=1):
            self.amend(c, seg, n)
        return c

    def amend(self, c: Contract, seg: Segment, n: int) -> None:
        """The contract's amendment number `n` for the programme of `seg`."""
        prog = seg.programme
        d = self.decision_of[id(prog)]
        what = (f"Изменение индивидуальной программы: программа № {prog.number}, версия {prog.version}"
                if prog.previous is not None else
                f"Новая индивидуальная программа № {prog.number} на срок с "
                f"{prog.valid_from:%d.%m.%Y}")
        self.amendments.append(ContractAmendment(
            contract=c, number=n, signed_on=max(prog.drawn_up_on, c.signed_on), valid_from=prog.valid_from,
            description=f"{what}; ежемесячная плата {d.fee} руб.", payment=self.payment(d), monthly_fee=d.fee,
            fee_decision=d))

    @staticmethod
    def number_contracts(contracts: Sequence[Contract], by_year: dict[int, int] | None = None) -> None:
        """Numbers per year of signing ("12/2020-Д"), after `by_year`'s last ones."""
        by_year = defaultdict(int, by_year or {})
        for c in sorted(contracts, key=lambda x: (x.signed_on, x.programme.department.code, x.recipient.search_name)):
            by_year[c.signed_on.year] += 1
            c.number = f"{by_year[c.signed_on.year]}/{c.signed_on.year}-Д"

    def generate(self, progress: Callable[[str], None] | None = None) -> None:
        for step in (self.make_intake, self.make_programmes, self.make_journal, self.make_items,
                     self.make_fees_and_contracts):
            step()
            if progress is not None:
                progress(step.__name__)

    # ---- summaries (for the tests and the command) ------------------------------------------------------------
    def services_by(self) -> dict[tuple[int, str, str], int]:
        """(year, department kind, list) → services (the sum of quantities)."""
        out: dict[tuple[int, str, str], int] = defaultdict(int)
        for line in self.lines:
            out[(line[4].year, line[1].kind, line[6])] += line[5]
        return dict(out)

    def people_by(self) -> dict[tuple[int, str], int]:
        """(year, department kind) → distinct people with at least one service."""
        seen: dict[tuple[int, str], set[int]] = defaultdict(set)
        for line in self.lines:
            seen[(line[4].year, line[1].kind)].add(id(line[0]))
        return {k: len(v) for k, v in seen.items()}


# ---- the database side ----------------------------------------------------------------------------------------

def prepare_reference_data(org: Organisation, services: dict[str, Service], last_year: int = 2021) -> dict[str, Any]:
    """What the generator reads from the database, creating what the demo needs and is missing: the 2020
    tariffs of the demo's own catalogue, the region's subsistence minimums for 2015 to `last_year` (billing seeds
    2019–2021; existing rows are kept), the calendar and the care-level scale (seeded by intake)."""
    tariffs = default_tariffs()
    Tariff.objects.bulk_create(
        [Tariff(service=services[code], valid_from=start, price=price)
         for code, rows in tariffs.items() if code in services for start, price in rows if start == TARIFF_RAISE_FROM],
        ignore_conflicts=True)
    tariffs = defaultdict(list)
    for t in Tariff.objects.filter(service__organisation=org).select_related("service").order_by("valid_from"):
        tariffs[t.service.code].append((t.valid_from, t.price))

    SubsistenceMinimum.objects.bulk_create(
        [SubsistenceMinimum(region=org.region, year=year, group=group, amount=amount)
         for year in range(min(REGION_SUBSISTENCE), max(last_year, 2021) + 1)
         for group, amount in subsistence_minimums(year).items()],
        ignore_conflicts=True)
    minimums = {(m.year, m.group): m.amount for m in SubsistenceMinimum.objects.filter(region=org.region)}

    rules = (FeeRules.objects.filter(region__in={org.region, ""}, valid_from__lte=FIRST_DAY)
             .order_by("-region", "-valid_from").first())
    if rules is None:
        coefficient, free = Decimal("1.50"), frozenset(DEFAULT_FREE_CATEGORIES)
    else:
        coefficient = rules.coefficient
        free = frozenset(rules.free_categories.values_list("code", flat=True))

    rows = scale_rows_on(org.region, FIRST_DAY) or scale_rows_on(org.region, LAST_DAY)
    if rows:
        scale = Scale([(r.level, r.min_score, r.max_score, r.weekly_hours) for r in rows], list(rows))
    else:
        scale = Scale(list(DEFAULT_SCALE), [None] * len(DEFAULT_SCALE))
    return {"calendar": calendar_for(org), "scale": scale, "minimums": minimums, "coefficient": coefficient,
            "free_categories": free, "tariffs": dict(tariffs)}


def row_count(cw: Casework) -> int:
    return (len(cw.applications) + len(cw.assessments) + len(cw.programmes) + len(cw.items) + len(cw.fee_decisions)
            + len(cw.income_records) + len(cw.contracts) + len(cw.amendments) + len(cw.urgent_acts) + len(cw.lines))


def save(cw: Casework, bulk: Callable[[type[models.Model], Sequence[models.Model]], None],
         advance: Callable[[int], None]) -> None:
    """Write the casework after the registry (its people, enrolments and staff have their keys now)."""
    bulk(Application, cw.applications)
    bulk(Assessment, cw.assessments)
    # A new version points at the previous one, which must be saved first.
    for version in sorted({p.version for p in cw.programmes}):
        bulk(Programme, [p for p in cw.programmes if p.version == version])
    bulk(ProgrammeItem, cw.items)
    bulk(FeeDecision, cw.fee_decisions)
    bulk(IncomeRecord, cw.income_records)
    bulk(Contract, cw.contracts)
    bulk(ContractAmendment, cw.amendments)
    bulk(UrgentAct, cw.urgent_acts)
    insert_lines(cw.org.pk, cw.lines, advance)


def insert_lines(org_id: int, lines: Sequence[Line], advance: Callable[[int], None]) -> None:
    """The journal through the journal's one bulk writer (delivery/bulk.py), which also recounts the monthly
    aggregates. Every key was made here from rows just saved (own_keys). On SQLite the rows go in the order of
    the unique index (person, department, service, date): its pages fill one after another."""
    created = bulk.now_value()
    texts = bulk.Texts()  # the text of a date or an amount made once for the many lines that share it
    rows: list[list[Any]] = []
    append = rows.append
    for rec, dept, service, worker, day, qty, lst, tariff, amount, act in lines:
        append([rec.id, dept.id, service.id, texts[day], worker.id if worker else None, 0, qty, lst, texts[tariff],
                texts[amount], org_id, "", act.id if act else None, created])
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[4] or 0))
    bulk.write_lines(org_id, rows, own_keys=True, advance=advance)


def wipe(model: type[models.Model], org: Organisation, through: str = "") -> int:
    """One set-based DELETE of the organisation's rows of `model` (its own `organisation_id`, or that of the parent
    its foreign key `through` points to): no ORM collection of the rows, no cascades, no SET NULL. Only for the
    demo's reset, which deletes children before parents itself; the database's foreign keys (deferred) still hold
    at commit. Returns the number of rows deleted."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    if through:
        key = model._meta.get_field(through)
        assert isinstance(key, models.ForeignKey) and not isinstance(key.related_model, str)
        parent = key.related_model._meta
        where = (f"{quote(key.column)} IN (SELECT {quote(parent.pk.column)} FROM {quote(parent.db_table)} "
                 f"WHERE {quote('organisation_id')} = %s)")
    else:
        where = f"{quote('organisation_id')} = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", [org.pk])
        return cursor.rowcount


def delete_casework(org: Organisation) -> None:
    """Everything of the casework apps in the organisation, children before parents (most keys are PROTECT), each
    table with one DELETE (wipe): the ORM would load the 1.75 million journal lines to cascade to their joins."""
    children: tuple[type[models.Model], ...] = (PaymentReceived, Charge, Delivery, UrgentAct, MonthlyAct)
    for model in children:
        wipe(model, org)
    wipe(ContractAmendment, org, through="contract")
    wipe(Termination, org, through="contract")
    parents: tuple[type[models.Model], ...] = (Contract, FeeDecision, IncomeRecord)
    for model in parents:
        wipe(model, org)
    wipe(ProgrammeItem, org, through="programme")
    Programme.objects.filter(organisation=org).update(previous=None)
    first: tuple[type[models.Model], ...] = (Programme, Assessment, Application)
    for model in first:
        wipe(model, org)


def _accountant(org: Organisation) -> Actor:
    """The centre's accountant, as the demo's charges and payments are made (no user: the build's own)."""
    return Actor(user=None, grants=[Grant(organisation_id=org.pk, role=Role.ACCOUNTANT, department_ids=frozenset(),
                                          employee_id=None)])


def make_charges(org: Organisation, until: datetime.date = LAST_DAY) -> int:
    """The monthly charges from January 2019 to the month of `until` (the fee in force under each contract + the
    month's additional services), computed by billing's own action for all the months in one pass (its bulk entry
    point, the same figures as month by month), as the accountant would: the income tables of the reports add these
    fees to the journal's amounts (domain/RULES.md). Returns the number of charges."""
    actor = _accountant(org)
    months = []
    month = FIRST_DAY
    while month <= until:
        months.append(month)
        month = add_months(month, 1)
    do_compute_charges_months(org, months, actor=actor)
    return Charge.objects.filter(organisation=org).count()


# How people pay their monthly charges: the share of each way (a person keeps theirs), and the day of the next month
# it comes in (the pension's deduction on a fixed day; cash and bank transfers spread over the first weeks).
PAYMENT_WAYS: tuple[tuple[str, int], ...] = (("pension", 55), ("cash", 30), ("bank", 15))
PENSION_DAY = 13
# Some people fall behind: the share of the people charged who stop paying for a run of months once, and how long
# (they then pay the arrears in one payment, unless the run reaches today: the accountant's debts).
FALLING_BEHIND = 0.04
ARREARS_MONTHS = (2, 6)


def make_payments(org: Organisation, seed: int, today: datetime.date) -> int:
    """The payments of the charges from 2019 to today, through billing's bulk entry point (do_record_payments: the
    same checks as a payment recorded by hand, audited): each charge is paid in the month after it, by the person's
    way of paying, on a day not after today; a few people fall behind once for some months and pay the arrears
    later (or still owe them today). Deterministic for a seed and a today. Returns the number of payments."""
    rng = random.Random(f"payments-{seed}")
    actor = _accountant(org)
    ways = [way for way, _weight in PAYMENT_WAYS]
    weights = [weight for _way, weight in PAYMENT_WAYS]
    payments: list[PaymentReceived] = []
    charges = Charge.objects.filter(organisation=org).order_by("recipient_id", "month").values_list(
        "id", "recipient_id", "month", "total")
    for recipient_id, group in itertools.groupby(charges, key=lambda row: row[1]):
        rows = list(group)
        way = rng.choices(ways, weights)[0]
        behind: range = range(0)
        if rng.random() < FALLING_BEHIND:
            start = rng.randrange(len(rows))
            behind = range(start, start + rng.randint(*ARREARS_MONTHS))
        arrears = Decimal("0.00")
        for index, (pk, _recipient, month, total) in enumerate(rows):
            charge_id: int | None = pk
            if index in behind:
                arrears += total
                if index + 1 != behind.stop and index + 1 < len(rows):
                    continue
                charge_id, total, arrears = None, arrears, Decimal("0.00")  # the arrears in one payment
            day = PENSION_DAY if way == "pension" else rng.randint(1, 25 if way == "bank" else 20)
            paid_on = add_months(month, 1).replace(day=day)
            if paid_on > today:
                continue
            document = "" if way == "pension" else f"№ {len(payments) + 1}"
            payments.append(PaymentReceived(recipient_id=recipient_id, paid_on=paid_on, amount=total, method=way,
                                            document=document, charge_id=charge_id))
    return do_record_payments(org, payments, actor=actor)
