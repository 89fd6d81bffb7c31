"""A deterministic synthetic centre for demonstrations, tests and benchmarks.

`build_demo(size, seed)` creates a Russian КЦСОН shaped like the 2020 annual report of seed 000
(a district centre of Кемеровская область): five home-care departments, urgent, day-stay and
social-adaptation departments; ≈120 staff of whom 67 social workers; ≈4 000 people with their
enrolment histories, families, representatives and consents; one user per role (password `demo`).

The same size and seed always give the same data: the only source of chance is one
`random.Random(seed)`, everything is generated in Python first and then written as rows with their keys given
before writing (`core.db.insert_objects`, as `bulk_create` but without Django's compiled INSERTs) inside one
transaction (no query per row). Like `bulk_create` it bypasses `save()`, so the derived columns (`search_name`,
compact SNILS, `status`) are computed here.

The home-care register reproduces the seed's movement table exactly (by the counting rule of
domain/RULES.md: on the register at a date = admitted on or before it and not discharged
on or before it): 599 on 31.12.2019 (city 194, private 150, rural 255), 139 admitted and 128
discharged in 2020, 610 on 31.12.2020 (199, 157, 254). After 2020 the demo goes on up to the build's "today"
(demo/later.py), without changing 2019–2020.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from opora.accounts.actions import do_create_user
from opora.accounts.models import Membership, User
from opora.accounts.roles import DEPARTMENT_ROLES, Role
from opora.audit.log import log_event
from opora.audit.models import AuditEvent, EventType
from opora.catalogue.actions import install_default_catalogue
from opora.catalogue.models import Service, Tariff
from opora.core.db import insert_objects, sqlite_big_cache
from opora.core.reference import DepartmentKind, DischargeReason, Form, Position, Sector, Sex
from opora.delivery import aggregates
from opora.demo import activities, casework, fieldwork, later, names
from opora.demo import money as demo_money
from opora.demo import outreach as demo_outreach
from opora.demo import plans as demo_plans
from opora.demo import quality as demo_quality
from opora.lib.snils import CHECKED_ABOVE, with_checksum
from opora.lib.text import search_key
from opora.org.models import AssignmentPlan, Department, Employee, Organisation, Settlement
from opora.people.categories import install_default_categories
from opora.people.models import (
    Category,
    Consent,
    ConsentScope,
    Enrolment,
    Family,
    FamilyMember,
    Recipient,
    Representative,
    RepresentativeKind,
)
from opora.people.rules import RecipientStatus, recipient_status

DEMO_CODE = "demo"
DEMO_PASSWORD = "demo"
DEFAULT_SEED = 2020
BATCH = 1000

D = datetime.date
YEAR_START, YEAR_END = D(2020, 1, 1), D(2020, 12, 31)
# Discharges are never dated 31 December (a habit of the demo kept from before issue 10; the register rule now takes
# a person off the register on the day of discharge, so a discharge on the 31st would balance too).
LAST_DISCHARGE_2019, LAST_DISCHARGE_2020 = D(2019, 12, 30), D(2020, 12, 30)
DAY_STAY_SUSPENDED = D(2020, 3, 17)  # seed 000: suspended by the regional ministry's letter of 16.03.2020

C, P, R = Sector.CITY.value, Sector.PRIVATE.value, Sector.RURAL.value
SECTORS = (C, P, R)

# Demo users: one per role, the username is the role's code.
DEMO_USERNAMES: tuple[str, ...] = tuple(Role.values)

ORGANISATION = {
    "name": "Муниципальное бюджетное учреждение «Комплексный центр социального обслуживания населения» "
            "Мариинского муниципального района (демо)",
    "short_name": "МБУ «КЦСОН» (демо)",
    "region": "Кемеровская область",
    "address": "652150, Кемеровская область, г. Мариинск, ул. Советская, д. 1 (демо)",
    "founder": "Управление социальной защиты населения администрации Мариинского муниципального района",
}

# code, kind, name (the centre's own data, in the language of its documents)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("admin", DepartmentKind.ADMINISTRATION, "Администрация"),
    ("home1", DepartmentKind.HOME_CARE, "Отделение социального обслуживания на дому № 1"),
    ("home2", DepartmentKind.HOME_CARE, "Отделение социального обслуживания на дому № 2"),
    ("home3", DepartmentKind.HOME_CARE, "Отделение социального обслуживания на дому № 3"),
    ("home4", DepartmentKind.HOME_CARE, "Отделение социального обслуживания на дому № 4"),
    ("home5", DepartmentKind.HOME_CARE, "Отделение социального обслуживания на дому № 5"),
    ("urgent", DepartmentKind.URGENT, "Отделение срочного социального обслуживания"),
    ("day_stay", DepartmentKind.DAY_STAY, "Отделение дневного пребывания"),
    ("adaptation", DepartmentKind.SOCIAL_ADAPTATION, "Отделение социальной адаптации"),
)
HOME_DEPARTMENTS = ("home1", "home2", "home3", "home4", "home5")
# Town sectors have their own departments; the villages are split between the rural ones.
SECTOR_DEPARTMENT = {C: "home1", P: "home2"}
RURAL_DEPARTMENTS = ("home3", "home4", "home5")

# Relative size of the villages (people live in the bigger ones more often).
VILLAGE_WEIGHTS = (9, 8, 7, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2)

HOME_DISCHARGE_REASONS = (
    (DischargeReason.DEATH, 55), (DischargeReason.OWN_REQUEST, 18), (DischargeReason.MOVED_AWAY, 10),
    (DischargeReason.RESIDENTIAL_CARE, 7), (DischargeReason.MEDICAL, 4), (DischargeReason.CONTRACT_BREACH, 2),
    (DischargeReason.TERM_EXPIRED, 2), (DischargeReason.OTHER, 2),
)
ADAPTATION_DISCHARGE_REASONS = (
    (DischargeReason.TERM_EXPIRED, 45), (DischargeReason.OWN_REQUEST, 18), (DischargeReason.MOVED_AWAY, 20),
    (DischargeReason.CUSTODIAL_SENTENCE, 14), (DischargeReason.DEATH, 3),
)
# People discharged for these reasons may come back later.
RETURNABLE = frozenset({DischargeReason.OWN_REQUEST, DischargeReason.MOVED_AWAY, DischargeReason.MEDICAL,
                        DischargeReason.OTHER, DischargeReason.TERM_EXPIRED})

StaffRow = tuple[str, str, int, int]  # department code, position, count, of them hired in 2020


@dataclass(frozen=True)
class Size:
    name: str
    staff: tuple[StaffRow, ...]             # at work on 31.12.2020
    dismissed_2020: tuple[StaffRow, ...]
    dismissed_before: tuple[StaffRow, ...]  # dismissed 2014–2019 (the last count is unused)
    home_start: dict[str, int]              # on the register on 31.12.2019, by sector
    home_admitted: dict[str, int]           # admitted in 2020
    home_discharged: dict[str, int]         # discharged in 2020 (all)
    home_discharged_new: dict[str, int]     # … of them admitted in 2020 as well
    home_history: int                       # enrolments closed before 2020
    home_returning: int                     # people of the history who came back
    urgent_pensioners: int
    urgent_disabled: int                    # of the pensioners
    urgent_from_home: int                   # of the pensioners: home-care clients
    urgent_others: int
    families_registered: int                # on the social register (open urgent enrolment)
    families_once: int                      # helped once in 2020
    day_stay: int
    day_stay_from_urgent: int
    adaptation: int
    adaptation_from_2019: int
    adaptation_open: int


CENTRE = Size(
    name="centre",
    staff=(
        ("admin", Position.DIRECTOR, 1, 0), ("admin", Position.DEPUTY_DIRECTOR, 2, 0),
        ("admin", Position.ACCOUNTANT, 5, 0), ("admin", Position.HR_SPECIALIST, 2, 0),
        ("admin", Position.LAWYER, 1, 0), ("admin", Position.DRIVER, 5, 1), ("admin", Position.OTHER, 5, 1),
        ("home1", Position.DEPARTMENT_HEAD, 1, 0), ("home1", Position.SOCIAL_WORKER, 22, 3),
        ("home1", Position.SOCIAL_WORK_SPECIALIST, 1, 0), ("home1", Position.MEDICAL_NURSE, 1, 0),
        ("home2", Position.DEPARTMENT_HEAD, 1, 0), ("home2", Position.SOCIAL_WORKER, 17, 3),
        ("home2", Position.SOCIAL_WORK_SPECIALIST, 1, 0), ("home2", Position.MEDICAL_NURSE, 1, 0),
        ("home3", Position.DEPARTMENT_HEAD, 1, 0), ("home3", Position.SOCIAL_WORKER, 10, 2),
        ("home3", Position.SOCIAL_WORK_SPECIALIST, 1, 0),
        ("home4", Position.DEPARTMENT_HEAD, 1, 0), ("home4", Position.SOCIAL_WORKER, 9, 1),
        ("home4", Position.SOCIAL_WORK_SPECIALIST, 1, 0),
        ("home5", Position.DEPARTMENT_HEAD, 1, 0), ("home5", Position.SOCIAL_WORKER, 9, 2),
        ("home5", Position.SOCIAL_WORK_SPECIALIST, 1, 0),
        ("urgent", Position.DEPARTMENT_HEAD, 1, 0), ("urgent", Position.SOCIAL_WORK_SPECIALIST, 6, 1),
        ("urgent", Position.LAWYER, 1, 0), ("urgent", Position.PSYCHOLOGIST, 1, 0),
        ("urgent", Position.DRIVER, 1, 0),
        ("day_stay", Position.DEPARTMENT_HEAD, 1, 0), ("day_stay", Position.CULTURAL_ORGANISER, 1, 0),
        ("day_stay", Position.MEDICAL_NURSE, 1, 0), ("day_stay", Position.SOCIAL_WORK_SPECIALIST, 1, 0),
        ("adaptation", Position.DEPARTMENT_HEAD, 1, 0), ("adaptation", Position.SOCIAL_WORK_SPECIALIST, 3, 1),
        ("adaptation", Position.PSYCHOLOGIST, 1, 0),
    ),
    dismissed_2020=(
        ("home1", Position.SOCIAL_WORKER, 4, 1), ("home2", Position.SOCIAL_WORKER, 4, 1),
        ("home3", Position.SOCIAL_WORKER, 2, 0), ("home4", Position.SOCIAL_WORKER, 3, 1),
        ("home5", Position.SOCIAL_WORKER, 2, 0), ("home2", Position.MEDICAL_NURSE, 1, 0),
        ("urgent", Position.SOCIAL_WORK_SPECIALIST, 2, 0), ("admin", Position.DRIVER, 2, 0),
        ("admin", Position.ACCOUNTANT, 1, 0), ("admin", Position.OTHER, 2, 0),
        ("day_stay", Position.CULTURAL_ORGANISER, 1, 0),
    ),
    dismissed_before=(
        ("home1", Position.SOCIAL_WORKER, 2, 0), ("home2", Position.SOCIAL_WORKER, 2, 0),
        ("home3", Position.SOCIAL_WORKER, 1, 0), ("home5", Position.SOCIAL_WORKER, 1, 0),
        ("admin", Position.DRIVER, 1, 0), ("admin", Position.ACCOUNTANT, 1, 0),
    ),
    home_start={C: 194, P: 150, R: 255},
    home_admitted={C: 45, P: 40, R: 54},
    home_discharged={C: 40, P: 33, R: 55},
    home_discharged_new={C: 3, P: 3, R: 4},
    home_history=650,
    home_returning=40,
    urgent_pensioners=1272,
    urgent_disabled=452,
    urgent_from_home=200,
    urgent_others=276,
    families_registered=311,
    families_once=663,
    day_stay=117,
    day_stay_from_urgent=30,
    adaptation=386,
    adaptation_from_2019=60,
    adaptation_open=106,
)

SMALL = Size(
    name="small",
    staff=(
        ("admin", Position.DIRECTOR, 1, 0), ("admin", Position.DEPUTY_DIRECTOR, 1, 0),
        ("admin", Position.ACCOUNTANT, 1, 0), ("admin", Position.HR_SPECIALIST, 1, 0),
        ("admin", Position.LAWYER, 1, 0), ("admin", Position.DRIVER, 1, 0),
        ("home1", Position.DEPARTMENT_HEAD, 1, 0), ("home1", Position.SOCIAL_WORKER, 1, 0),
        ("home2", Position.SOCIAL_WORKER, 1, 0), ("home3", Position.SOCIAL_WORKER, 1, 1),
        ("home4", Position.SOCIAL_WORKER, 1, 0), ("home5", Position.SOCIAL_WORKER, 1, 0),
        ("urgent", Position.DEPARTMENT_HEAD, 1, 0), ("urgent", Position.SOCIAL_WORK_SPECIALIST, 1, 0),
        ("urgent", Position.PSYCHOLOGIST, 1, 0),
    ),
    dismissed_2020=(("home1", Position.SOCIAL_WORKER, 1, 0),),
    dismissed_before=(),
    home_start={C: 8, P: 6, R: 15},
    home_admitted={C: 2, P: 2, R: 3},
    home_discharged={C: 2, P: 1, R: 3},
    home_discharged_new={C: 0, P: 0, R: 1},
    home_history=20,
    home_returning=2,
    urgent_pensioners=45,
    urgent_disabled=15,
    urgent_from_home=4,
    urgent_others=10,
    families_registered=6,
    families_once=10,
    day_stay=10,
    day_stay_from_urgent=2,
    adaptation=12,
    adaptation_from_2019=2,
    adaptation_open=4,
)

SIZES = {"small": SMALL, "centre": CENTRE}

# The state assignment of 2020 as seed 000 states it (department → services planned, recipients planned).
# Home care's 446 000 / 754 is one line for the five home-care departments: it is split among them evenly.
ASSIGNMENT_2020 = {"home_care": (446_000, 754), "urgent": (2_990, 2_990), "day_stay": (39_254, 300),
                   "adaptation": (500, 500)}


def assignment_plans(org: Organisation, departments: dict[str, Department], year: int = 2020) -> list[AssignmentPlan]:
    """Seed 000's plans for 2020 (or the same for a later `year`), entered as a centre's planner would (the centre
    size only)."""
    plans = []
    for code, (services, people) in ASSIGNMENT_2020.items():
        targets = list(HOME_DEPARTMENTS) if code == "home_care" else [code]
        for i, dept in enumerate(targets):
            share_s, rest_s = divmod(services, len(targets))
            share_p, rest_p = divmod(people, len(targets))
            plans.append(AssignmentPlan(organisation=org, department=departments[dept], year=year,
                                        services_plan=share_s + (rest_s if i == 0 else 0),
                                        recipients_plan=share_p + (rest_p if i == 0 else 0)))
    return plans

# Surnames are picked with a falling weight: common ones first in names.SURNAMES.
_SURNAME_CUM = list(itertools.accumulate(1.0 / (i + 8) for i in range(len(names.SURNAMES))))


@dataclass
class Person:
    rec: Recipient
    surname_m: str
    home_dept: str = ""  # the home-care department, for home-care clients
    categories: list[str] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def last_discharge(self) -> datetime.date | None:
        dates = [e.discharged_on for e in self.enrolments if e.discharged_on]
        return max(dates) if dates else None

    def open_on(self, day: datetime.date) -> bool:
        return any(e.admitted_on <= day and (e.discharged_on is None or e.discharged_on >= day)
                   for e in self.enrolments)

    @property
    def dead(self) -> bool:
        """Deceased by the registry's rule (people.rules), as the stored status says."""
        return recipient_status(self.periods()) == RecipientStatus.DECEASED

    def periods(self) -> list[tuple[datetime.date | None, str]]:
        """The person's enrolments as the status rule reads them."""
        return [(e.discharged_on, e.discharge_reason) for e in self.enrolments]


@dataclass
class DemoSummary:
    organisation: Organisation
    size: str
    seed: int
    seconds: float
    counts: dict[str, int]
    logins: list[tuple[str, str]]  # (username, what the user is)


def demo_exists(code: str = DEMO_CODE) -> bool:
    return Organisation.objects.filter(code=code).exists()


class _Generator:
    """Makes every row in memory; nothing here touches the database except through `org`/`deps`."""

    def __init__(self, size: Size, seed: int, org: Organisation, departments: dict[str, Department],
                 categories: dict[str, Category]):
        self.size = size
        self.rng = random.Random(seed)
        self.org = org
        self.deps = departments
        self.cats = categories
        self.used_snils: set[str] = set()
        self.people: list[Person] = []
        self.families: list[Family] = []
        self.family_categories: list[tuple[Family, list[str]]] = []
        self.family_members: list[FamilyMember] = []
        self.representatives: list[Representative] = []
        self.consents: list[Consent] = []
        self.employees: list[Employee] = []
        self.settlements: list[Settlement] = []
        self.village_department: dict[str, str] = {}

    # ---- small helpers -------------------------------------------------------------------------
    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def weighted(self, pairs: Sequence[tuple[Any, int]]) -> Any:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def birth_for_age(self, age: int, on: datetime.date) -> datetime.date:
        """A birth date making a person `age` full years old on `on`."""
        try:
            latest = on.replace(year=on.year - age)
        except ValueError:  # 29 February
            latest = on.replace(year=on.year - age, day=28)
        return latest - datetime.timedelta(days=self.rng.randint(0, 364))

    def name(self, sex: str, year: int, surname_m: str | None = None,
             father: tuple[str, str, str] | None = None) -> tuple[str, str, str, str]:
        """(last name, first name, patronymic, masculine surname) for a person born in `year`."""
        rng = self.rng
        if surname_m is None:
            surname_m = rng.choices(names.SURNAMES, cum_weights=_SURNAME_CUM)[0]
        if father is None:
            father = rng.choice(self._male_names(year - 28))
        if year > 2003:
            first = rng.choice(names.MALE_CHILD if sex == Sex.MALE else names.FEMALE_CHILD)
        elif sex == Sex.MALE:
            first = rng.choice(self._male_names(year))[0]
        else:
            first = rng.choice(names.FEMALE_OLD if year <= 1950 else
                               names.FEMALE_MIDDLE if year <= 1975 else names.FEMALE_YOUNG)
        if sex == Sex.MALE:
            return surname_m, first, father[1], surname_m
        return names.female_surname(surname_m), first, father[2], surname_m

    @staticmethod
    def _male_names(year: int) -> tuple[tuple[str, str, str], ...]:
        if year <= 1950:
            return names.MALE_OLD
        return names.MALE_MIDDLE if year <= 1975 else names.MALE_YOUNG

    def snils(self) -> str:
        while True:
            first_nine = f"{self.rng.randint(CHECKED_ABOVE + 1, 999_999_999):09d}"
            if first_nine not in self.used_snils:
                self.used_snils.add(first_nine)
                return with_checksum(first_nine)

    def mobile(self) -> str:
        rng = self.rng
        return (f"+7 {rng.choice(names.MOBILE_CODES)} {rng.randint(200, 999)}-"
                f"{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}")

    def landline(self) -> str:
        rng = self.rng
        return f"8 (38443) {rng.randint(2, 9)}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}"

    def address(self, sector: str) -> str:
        rng = self.rng
        if sector == C:
            street = rng.choice(names.TOWN_BLOCK_STREETS)
            return f"{street}, д. {rng.randint(1, 64)}, кв. {rng.randint(1, 90)}"
        if sector == P:
            return f"{rng.choice(names.TOWN_HOUSE_STREETS)}, д. {rng.randint(1, 160)}"
        flat = f", кв. {rng.randint(1, 2)}" if rng.random() < 0.15 else ""
        return f"{rng.choice(names.VILLAGE_STREETS)}, д. {rng.randint(1, 80)}{flat}"

    def village(self) -> Settlement:
        return self.rng.choices(self.settlements[1:], weights=VILLAGE_WEIGHTS)[0]

    def place(self, town_share: float) -> tuple[Settlement, str]:
        """A settlement and sector for someone who is not a home-care client."""
        if self.rng.random() < town_share:
            return self.settlements[0], C if self.rng.random() < 0.55 else P
        return self.village(), R

    # ---- the organisation's structure ----------------------------------------------------------
    def make_settlements(self) -> None:
        self.settlements = [Settlement(organisation=self.org, name=names.TOWN, default_sector=C)]
        self.settlements += [Settlement(organisation=self.org, name=v, default_sector=R)
                             for v in names.VILLAGES]
        # The villages are split between the rural departments so that each serves about as many
        # people: the biggest village goes to the department with the least population so far.
        load = dict.fromkeys(RURAL_DEPARTMENTS, 0)
        for v, w in sorted(zip(names.VILLAGES, VILLAGE_WEIGHTS, strict=True), key=lambda vw: -vw[1]):
            dept = min(RURAL_DEPARTMENTS, key=lambda d: load[d])
            self.village_department[v] = dept
            load[dept] += w

    def make_staff(self) -> None:
        rng = self.rng
        rows: list[tuple[Employee, int]] = []

        def employee(dept: str, position: str, hired: datetime.date, dismissed: datetime.date | None) -> None:
            female_share: dict[str, float] = {
                Position.DRIVER: 0.0, Position.SOCIAL_WORKER: 0.93, Position.DIRECTOR: 0.7}
            sex = Sex.FEMALE if rng.random() < female_share.get(position, 0.8) else Sex.MALE
            year = rng.randint(1958, 1996)
            last, first, patronymic, _m = self.name(sex, year)
            e = Employee(organisation=self.org, last_name=last, first_name=first, patronymic=patronymic,
                         position=position, department=self.deps[dept], hired_on=hired,
                         dismissed_on=dismissed, search_name=search_key(last, first, patronymic))
            rows.append((e, len(rows)))

        def long_serving() -> datetime.date:
            return self.day(D(1996, 1, 15), D(2019, 12, 20))

        for dept, position, count, new in self.size.staff:
            for i in range(count):
                hired = self.day(D(2020, 1, 9), D(2020, 12, 15)) if i < new else long_serving()
                if position == Position.DIRECTOR:
                    hired = self.day(D(2006, 1, 9), D(2012, 12, 20))
                employee(dept, position, hired, None)
        for dept, position, count, new in self.size.dismissed_2020:
            for i in range(count):
                if i < new:
                    hired = self.day(D(2020, 1, 9), D(2020, 6, 30))
                    dismissed = self.day(hired + datetime.timedelta(days=30), D(2020, 12, 30))
                else:
                    hired = long_serving()
                    dismissed = self.day(D(2020, 1, 10), D(2020, 12, 30))
                employee(dept, position, hired, dismissed)
        for dept, position, count, _new in self.size.dismissed_before:
            for _ in range(count):
                hired = self.day(D(2004, 1, 12), D(2014, 12, 20))
                employee(dept, position, hired, self.day(D(2015, 1, 12), D(2019, 12, 27)))
        # Personnel numbers in order of hiring, as a personnel office gives them.
        rows.sort(key=lambda r: (r[0].hired_on, r[1]))
        for n, (e, _i) in enumerate(rows, start=1):
            e.tab_no = f"{n:04d}"
        self.employees = [e for e, _i in sorted(rows, key=lambda r: r[1])]

    def workers_of(self, dept: str) -> list[Employee]:
        d = self.deps[dept]
        return [e for e in self.employees if e.department is d and e.position == Position.SOCIAL_WORKER]

    # ---- people --------------------------------------------------------------------------------
    def person(self, *, sex: str, birth: datetime.date, settlement: Settlement | None, sector: str,
               snils_share: float = 0.96, phone: str = "mobile", surname_m: str | None = None,
               homeless: bool = False) -> Person:
        rng = self.rng
        last, first, patronymic, surname_m = self.name(sex, birth.year, surname_m)
        if phone == "elderly":
            u = rng.random()
            main = self.mobile() if u < 0.45 else self.landline() if u < 0.7 and sector != R else ""
            extra = self.mobile() if rng.random() < 0.35 else ""
        else:
            main = self.mobile() if rng.random() < (0.5 if homeless else 0.9) else ""
            extra = ""
        rec = Recipient(
            organisation=self.org, last_name=last, first_name=first, patronymic=patronymic, sex=sex,
            birth_date=birth, snils=self.snils() if rng.random() < snils_share else "",
            settlement=settlement, sector="" if homeless else sector,
            address="" if homeless else self.address(sector), phone=main, phone_extra=extra,
            search_name=search_key(last, first, patronymic),
        )
        p = Person(rec=rec, surname_m=surname_m)
        self.people.append(p)
        return p

    def elderly_categories(self, p: Person, disabled: bool | None = None) -> None:
        """Pensioner, maybe disabled (group consistent with the category), veterans, living alone."""
        rng, rec = self.rng, p.rec
        cats = ["pensioner"]
        if disabled is None:
            u = rng.random()
            group = "1" if u < 0.07 else "2" if u < 0.24 else "3" if u < 0.34 else ""
        else:
            group = self.weighted((("1", 15), ("2", 55), ("3", 30))) if disabled else ""
        if group:
            rec.disability_group = group
            cats.append(f"disabled_{group}")
        year = rec.birth_date.year
        if year <= 1927 and rec.sex == Sex.MALE and rng.random() < 0.3:
            cats.append("wwii_participant")
        elif year <= 1931 and rng.random() < 0.6:
            cats.append("home_front_worker")
        if year <= 1935 and rec.sex == Sex.FEMALE and rng.random() < 0.12:
            cats.append("wwii_widow")
        if rng.random() < 0.33:
            cats.append("labour_veteran")
        u = rng.random()
        if u < 0.2:
            cats += ["lonely", "lonely_living"]
        elif u < 0.5:
            cats.append("lonely_living")
        p.categories = cats

    def enrol(self, p: Person, dept: str, form: str, admitted: datetime.date,
              discharged: datetime.date | None = None, reason: str = "") -> Enrolment:
        e = Enrolment(organisation=self.org, recipient=p.rec, department=self.deps[dept], form=form,
                      admitted_on=admitted, discharged_on=discharged,
                      discharge_reason=reason if discharged else "")
        p.enrolments.append(e)
        return e

    # ---- home care -----------------------------------------------------------------------------
    def home_client(self, sector: str, age: int, on: datetime.date) -> tuple[Person, str]:
        rng = self.rng
        if sector == R:
            settlement = self.village()
            dept = self.village_department[settlement.name]
        else:
            settlement, dept = self.settlements[0], SECTOR_DEPARTMENT[sector]
        sex = Sex.FEMALE if rng.random() < 0.76 else Sex.MALE
        p = self.person(sex=sex, birth=self.birth_for_age(age, on), settlement=settlement, sector=sector,
                        phone="elderly", snils_share=0.97)
        self.elderly_categories(p)
        p.home_dept = dept
        return p, dept

    def make_home_care(self) -> None:
        rng, size = self.rng, self.size
        total_start = sum(size.home_start.values())
        returnable: dict[str, list[Person]] = defaultdict(list)
        returning_left = size.home_returning
        reuse_share = size.home_returning / (total_start + sum(size.home_admitted.values()))

        def admit(sector: str, admitted: datetime.date, age_on: datetime.date) -> tuple[Person, str]:
            nonlocal returning_left
            if returning_left and rng.random() < reuse_share * 2:
                pool = returnable[sector]
                for i, cand in enumerate(pool):
                    last = cand.last_discharge
                    if last is not None and last < admitted - datetime.timedelta(days=90):
                        pool.pop(i)
                        returning_left -= 1
                        return cand, cand.home_dept
            age = round(rng.triangular(60, 97, 81))
            return self.home_client(sector, age, age_on)

        def reason() -> str:
            return self.weighted(HOME_DISCHARGE_REASONS)

        # History: service closed before 2020 (most of these people have died since).
        for sector in SECTORS:
            n = round(size.home_history * size.home_start[sector] / total_start)
            for _ in range(n):
                span = (LAST_DISCHARGE_2019 - D(2010, 1, 1)).days
                discharged = D(2010, 1, 1) + datetime.timedelta(days=round(rng.triangular(0, span, span)))
                admitted = max(D(2005, 1, 11),
                               discharged - datetime.timedelta(days=30 + round(rng.expovariate(1 / 900))))
                age = round(rng.triangular(62, 99, 84))
                p, dept = self.home_client(sector, age, discharged)
                admitted = min(discharged, max(admitted, D(p.rec.birth_date.year + 56, 1, 9)))
                r = reason()
                self.enrol(p, dept, Form.HOME, admitted, discharged, r)
                if r in RETURNABLE:
                    returnable[sector].append(p)
            rng.shuffle(returnable[sector])

        for sector in SECTORS:
            # On the register on 31.12.2019; some of them discharged during 2020.
            start = []
            for _ in range(size.home_start[sector]):
                years_on = min(5400, round(rng.expovariate(1 / 1300)))
                admitted = D(2019, 12, 31) - datetime.timedelta(days=years_on)
                p, dept = admit(sector, admitted, YEAR_END)
                earliest = D(p.rec.birth_date.year + 57, 1, 9)
                if admitted < earliest:
                    admitted = min(D(2019, 12, 27), earliest + datetime.timedelta(days=rng.randint(0, 700)))
                start.append((p, self.enrol(p, dept, Form.HOME, admitted)))
            for _p, e in rng.sample(start, size.home_discharged[sector] - size.home_discharged_new[sector]):
                e.discharged_on = self.day(D(2020, 1, 9), LAST_DISCHARGE_2020)
                e.discharge_reason = reason()
            # Admitted during 2020; a few of them discharged again before the year ended.
            new = []
            for _ in range(size.home_admitted[sector]):
                admitted = self.day(D(2020, 1, 9), D(2020, 12, 25))
                p, dept = admit(sector, admitted, admitted)
                new.append((p, self.enrol(p, dept, Form.HOME, admitted)))
            n_new = size.home_discharged_new[sector]
            early = sorted(new, key=lambda pe: pe[1].admitted_on)[: max(n_new * 3, 1)]
            for _p, e in rng.sample(early, n_new):
                month_later = min(e.admitted_on + datetime.timedelta(days=30), LAST_DISCHARGE_2020)
                e.discharged_on = self.day(month_later, LAST_DISCHARGE_2020)
                e.discharge_reason = reason()

    def assign_workers(self) -> None:
        """Open cases spread evenly over the department's social workers at work; closed cases go to
        a worker who was employed on the day of discharge."""
        rng = self.rng
        for dept in HOME_DEPARTMENTS:
            d = self.deps[dept]
            workers = self.workers_of(dept)
            active = [w for w in workers if w.dismissed_on is None]
            cases = [e for p in self.people for e in p.enrolments if e.department is d]
            open_cases = [e for e in cases if e.discharged_on is None]
            rng.shuffle(open_cases)
            for i, e in enumerate(open_cases):
                e.worker = active[i % len(active)] if active else None
            for e in cases:
                if e.discharged_on is None:
                    continue
                day = e.discharged_on
                on_duty = [w for w in workers
                           if w.hired_on <= day and (w.dismissed_on is None or w.dismissed_on >= day)]
                # Every home-care case has a worker; with nobody on the books that day (a department
                # whose staff all came later) the case is put on one of the department's workers.
                pool = on_duty or workers
                e.worker = rng.choice(pool) if pool else None

    def make_representatives(self, clients: list[Person]) -> None:
        rng = self.rng
        for p in clients:
            rec = p.rec
            age = YEAR_END.year - rec.birth_date.year
            needs = ((rec.disability_group == "1" and rng.random() < 0.5)
                     or (age >= 88 and rng.random() < 0.15))
            if not needs:
                continue
            kind = self.weighted(((RepresentativeKind.RELATIVE, 45), (RepresentativeKind.BY_PROXY, 35),
                                  (RepresentativeKind.GUARDIAN, 12), (RepresentativeKind.TRUSTEE, 8)))
            sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
            same_surname = p.surname_m if rng.random() < 0.6 else None
            year = rec.birth_date.year + rng.randint(22, 32)
            last, first, patronymic, _m = self.name(sex, year, same_surname)
            since = self.day(D(2012, 1, 10), D(2020, 11, 30))
            if kind == RepresentativeKind.BY_PROXY:
                document = (f"Доверенность 42 АА {rng.randint(1000000, 4999999)} от {since:%d.%m.%Y}, "
                            f"удостоверена нотариусом Мариинского нотариального округа")
            elif kind in (RepresentativeKind.GUARDIAN, RepresentativeKind.TRUSTEE):
                document = (f"Постановление администрации Мариинского муниципального района "
                            f"№ {rng.randint(10, 999)}-п от {since:%d.%m.%Y}")
            else:
                document = ""
            self.representatives.append(Representative(
                recipient=rec, full_name=f"{last} {first} {patronymic}", kind=kind, document=document,
                phone=self.mobile()))

    # ---- urgent service, families --------------------------------------------------------------
    def make_urgent(self, home_open: list[Person]) -> None:
        rng, size = self.rng, self.size

        def once(p: Person, year: int = 2020) -> None:
            admitted = self.day(D(year, 1, 9), D(year, 12, 28))
            days = rng.choice((0, 0, 0, 1, 2, 3, 5, 7))
            first, last = D(year, 1, 9), D(year, 12, 28)
            for _ in range((last - first).days + 1):
                discharged = min(admitted + datetime.timedelta(days=days), D(year, 12, 30))
                # A second visit never overlaps the person's earlier urgent enrolment (nor shares its admission
                # date: the exchange format keys enrolments by person, department and admission date).
                if not any(e.department.code == "urgent" and e.admitted_on <= discharged
                           and (e.discharged_on is None or e.discharged_on >= admitted) for e in p.enrolments):
                    break
                admitted = admitted + datetime.timedelta(days=1) if admitted < last else first
            self.enrol(p, "urgent", Form.URGENT, admitted, discharged, DischargeReason.TERM_EXPIRED)

        pensioners: list[Person] = []
        for p in rng.sample(home_open, min(size.urgent_from_home, len(home_open))):
            once(p)
        new_pensioners = size.urgent_pensioners - size.urgent_from_home
        disabled_left = round(size.urgent_disabled * new_pensioners / size.urgent_pensioners)
        for i in range(new_pensioners):
            sex = Sex.FEMALE if rng.random() < 0.68 else Sex.MALE
            age = round(rng.triangular(57 if sex == Sex.FEMALE else 61, 92, 68))
            settlement, sector = self.place(0.55)
            p = self.person(sex=sex, birth=self.birth_for_age(age, YEAR_END), settlement=settlement,
                            sector=sector, phone="elderly")
            self.elderly_categories(p, disabled=i < disabled_left)
            once(p)
            if rng.random() < 0.12:
                once(p)
            if rng.random() < 0.15:
                once(p, 2019)
            pensioners.append(p)
        for _ in range(size.urgent_others):
            sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
            settlement, sector = self.place(0.6)
            p = self.person(sex=sex, birth=self.birth_for_age(round(rng.triangular(18, 56, 40)), YEAR_END),
                            settlement=settlement, sector=sector)
            p.categories = ["other"]
            if rng.random() < 0.12:
                group = rng.choice(("2", "3", "3"))
                p.rec.disability_group = group
                p.categories.append(f"disabled_{group}")
            once(p)
        self.urgent_pensioners = pensioners

        for i in range(size.families_registered + size.families_once):
            self.family(registered=i < size.families_registered)

    def family(self, registered: bool, helped_in: int = 2020, until: datetime.date | None = None) -> None:
        """A family, its applicant enrolled in the urgent department: on the register since before 2021, or helped
        once in the year `helped_in` (up to `until`)."""
        rng = self.rng
        large = rng.random() < (0.37 if registered else 0.3)
        single = rng.random() < (0.45 if registered else 0.4)
        settlement, sector = self.place(0.6)
        mother_applies = single or rng.random() < 0.9
        mother_age = rng.randint(24, 44) if large else rng.randint(20, 42)
        applicant = self.person(
            sex=Sex.FEMALE if mother_applies else Sex.MALE,
            birth=self.birth_for_age(mother_age + (0 if mother_applies else rng.randint(0, 4)), YEAR_END),
            settlement=settlement, sector=sector, snils_share=0.98)
        rec = applicant.rec
        if rng.random() < 0.04:
            rec.disability_group = "3"
            applicant.categories = ["disabled_3"]
        surname_m = applicant.surname_m
        members: list[tuple[str, datetime.date, str, Person | None]] = [
            (rec.full_name, rec.birth_date, "заявитель", applicant)]
        father: tuple[str, str, str] | None = None
        if single:  # the children's father, who does not live with them
            father = rng.choice(self._male_names(rec.birth_date.year - 2))
        else:
            if mother_applies:
                year = rec.birth_date.year - rng.randint(-1, 5)
                last, first, patr, _m = self.name(Sex.MALE, year, surname_m)
                members.append((f"{last} {first} {patr}", self.birth_for_age(2020 - year, YEAR_END), "муж",
                                None))
                father = next((n for n in self._male_names(year) if n[0] == first), None)
            else:
                year = rec.birth_date.year + rng.randint(0, 4)
                last, first, patr, _m = self.name(Sex.FEMALE, year, surname_m)
                members.append((f"{last} {first} {patr}", self.birth_for_age(2020 - year, YEAR_END), "жена",
                                None))
                father = next((n for n in self._male_names(rec.birth_date.year) if n[0] == rec.first_name),
                              None)
        children = rng.randint(3, 6) if large else rng.randint(1, 2)
        oldest = min(17, 2020 - rec.birth_date.year - 19)
        for _ in range(children):
            sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
            age = rng.randint(0, max(oldest, 0))
            last, first, patr, _m = self.name(sex, 2020 - age, surname_m, father)
            members.append((f"{last} {first} {patr}", self.birth_for_age(age, YEAR_END),
                            "сын" if sex == Sex.MALE else "дочь", None))
        if rng.random() < 0.08:
            year = rec.birth_date.year - rng.randint(20, 28)
            last, first, patr, _m = self.name(Sex.FEMALE, year)
            members.append((f"{last} {first} {patr}", self.birth_for_age(2020 - year, YEAR_END), "мать",
                            None))

        cats = ["family_low_income"] if registered or rng.random() < 0.8 else []
        if large:
            cats.append("family_large")
        if single:
            cats.append("family_single_parent")
        if rng.random() < 0.06:
            cats.append("family_sop")
        if rng.random() < (0.15 if registered else 0.25):
            cats.append("family_tzhs")
        if rng.random() < 0.01:
            cats.append("family_student")
        name = f"{names.plural_surname(surname_m)} ({rec.last_name} {rec.first_name[0]}. {rec.patronymic[0]}.)"
        fam = Family(organisation=self.org, name=name, search_name=search_key(name),  # bulk_create skips save()
                     settlement=settlement, address=rec.address, registered_department=self.deps["urgent"])
        rec.family = fam
        self.families.append(fam)
        self.family_categories.append((fam, cats))
        for full_name, birth, relation, person in members:
            self.family_members.append(FamilyMember(
                family=fam, full_name=full_name, birth_date=birth, relation=relation,
                recipient=person.rec if person else None))
        if registered:
            since = D(2014, 1, 9) + datetime.timedelta(days=round(rng.triangular(0, 2540, 2540)))
            since = min(D(2020, 12, 28), max(since, D(rec.birth_date.year + 19, 1, 9)))
            self.enrol(applicant, "urgent", Form.URGENT, since)
        else:
            year_last = min(D(helped_in, 12, 30), until or D(helped_in, 12, 30))
            admitted = self.day(D(helped_in, 1, 9), min(D(helped_in, 12, 28), year_last))
            self.enrol(applicant, "urgent", Form.URGENT, admitted,
                       min(admitted + datetime.timedelta(days=rng.choice((0, 0, 1, 3))), year_last),
                       DischargeReason.TERM_EXPIRED)

    # ---- day stay, social adaptation -----------------------------------------------------------
    def make_day_stay(self) -> None:
        """Two-week courses; the department stopped on 17.03.2020 (seed 000) and did not reopen."""
        rng, size = self.rng, self.size
        courses_2020 = [D(2020, 1, 13), D(2020, 1, 27), D(2020, 2, 10), D(2020, 2, 25), D(2020, 3, 10)]
        courses_2019 = [D(2019, m, d) for m, d in ((2, 11), (3, 11), (4, 8), (5, 13), (9, 9), (10, 7),
                                                      (11, 11), (12, 2))]
        fit = [p for p in self.urgent_pensioners if YEAR_END.year - p.rec.birth_date.year <= 82
               and p.rec.disability_group != "1"]
        people = rng.sample(fit, min(size.day_stay_from_urgent, len(fit)))
        for _ in range(size.day_stay - len(people)):
            sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
            settlement, sector = self.place(0.85)
            p = self.person(sex=sex, birth=self.birth_for_age(round(rng.triangular(58, 86, 68)), YEAR_END),
                            settlement=settlement, sector=sector, phone="elderly")
            self.elderly_categories(p, disabled=rng.random() < 0.3)
            people.append(p)
        for i, p in enumerate(people):
            start = courses_2020[i * len(courses_2020) // len(people)]
            end = start + datetime.timedelta(days=13)
            if end >= DAY_STAY_SUSPENDED:
                self.enrol(p, "day_stay", Form.SEMI_STATIONARY, start, DAY_STAY_SUSPENDED,
                           DischargeReason.OTHER)
            else:
                self.enrol(p, "day_stay", Form.SEMI_STATIONARY, start, end, DischargeReason.TERM_EXPIRED)
            if rng.random() < 0.45:
                start = rng.choice(courses_2019)
                self.enrol(p, "day_stay", Form.SEMI_STATIONARY, start, start + datetime.timedelta(days=13),
                           DischargeReason.TERM_EXPIRED)

    def make_adaptation(self) -> None:
        rng, size = self.rng, self.size
        open_left = size.adaptation_open
        for i in range(size.adaptation):
            sex = Sex.MALE if rng.random() < 0.85 else Sex.FEMALE
            kind = self.weighted((("released_prisoner", 70), ("homeless", 15), ("other", 15)))
            homeless = kind == "homeless"
            settlement, sector = (self.settlements[0], C) if homeless else self.place(0.75)
            p = self.person(sex=sex, birth=self.birth_for_age(round(rng.triangular(19, 63, 34)), YEAR_END),
                            settlement=settlement, sector=sector, homeless=homeless,
                            snils_share=0.6 if homeless else 0.85)
            p.categories = [kind]
            if i < size.adaptation_from_2019:
                admitted = self.day(D(2019, 7, 1), D(2019, 12, 27))
            else:
                admitted = self.day(D(2020, 1, 9), D(2020, 12, 25))
            stays = admitted.year == 2020 and admitted.month >= 6 and open_left > 0 and rng.random() < 0.5
            if stays or (open_left > 0 and size.adaptation - i <= open_left):
                open_left -= 1
                self.enrol(p, "adaptation", Form.SEMI_STATIONARY, admitted)
                continue
            first = max(admitted + datetime.timedelta(days=14), YEAR_START)
            if first > LAST_DISCHARGE_2020:
                first = LAST_DISCHARGE_2020
            stay = datetime.timedelta(days=round(rng.expovariate(1 / 90)))
            discharged = min(LAST_DISCHARGE_2020, first + stay)
            self.enrol(p, "adaptation", Form.SEMI_STATIONARY, admitted, discharged,
                       self.weighted(ADAPTATION_DISCHARGE_REASONS))

    # ---- the finishing touches -----------------------------------------------------------------
    def finish_people(self) -> None:
        """Status, registering department and consent from each person's enrolments."""
        rng = self.rng
        for p in self.people:
            first = min(p.enrolments, key=lambda e: (e.admitted_on, e.department.code))
            p.rec.registered_department = first.department
            p.rec.status = recipient_status(p.periods())
            if rng.random() < 0.97:
                scope = ConsentScope.PROCESSING if rng.random() < 0.9 else ConsentScope.PROCESSING_TRANSFER
                self.consents.append(Consent(
                    recipient=p.rec, given_on=first.admitted_on, scope=scope,
                    document="Согласие на обработку персональных данных (заявление)"))

    def generate(self) -> None:
        self.make_settlements()
        self.make_staff()

    def generate_people(self) -> None:
        self.make_home_care()
        self.assign_workers()
        home = [p for p in self.people if p.home_dept]
        self.make_representatives([p for p in home if not p.dead])
        home_open = [p for p in home if any(e.discharged_on is None for e in p.enrolments)]
        self.make_urgent(home_open)
        self.make_day_stay()
        self.make_adaptation()
        self.finish_people()


def _bulk(model: type[models.Model], objs: Sequence[models.Model], bar) -> None:
    for i in range(0, len(objs), BATCH):
        chunk = objs[i : i + BATCH]
        insert_objects(model, chunk)
        bar.update(len(chunk))


def build_demo(size: str = "centre", seed: int = DEFAULT_SEED, *, code: str = DEMO_CODE,
               progress: bool = False, today: datetime.date | None = None) -> DemoSummary:
    """Build the demo organisation `code` holding 2019 to `today` (default: the real date; never later);
    raises ValueError if it already exists."""
    from django.utils import timezone
    from tqdm import tqdm

    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    real_today = timezone.localdate()
    today = today or real_today
    if today > real_today:
        raise ValueError(f"the demo's today {today} is after the real date {real_today}")
    if today < YEAR_END:
        raise ValueError("the demo's today is 31.12.2020 at the earliest (it holds 2019 and 2020 whole)")
    spec = SIZES[size]
    began = time.perf_counter()
    with transaction.atomic(), sqlite_big_cache():
        if Organisation.objects.filter(code=code).exists():
            raise ValueError(f"the organisation {code!r} already exists")
        org = Organisation.objects.create(code=code, **ORGANISATION)
        departments = {c: Department(organisation=org, code=c, kind=k, name=n) for c, k, n in DEPARTMENTS}
        Department.objects.bulk_create(departments.values())
        install_default_categories()
        categories = {c.code: c for c in Category.objects.all()}
        gen = _Generator(spec, seed, org, departments, categories)
        gen.generate()
        Settlement.objects.bulk_create(gen.settlements)
        Employee.objects.bulk_create(gen.employees, batch_size=BATCH)
        install_default_catalogue(org)
        gen.generate_people()
        services = {s.code: s for s in Service.objects.filter(organisation=org)}
        cw = casework.Casework(gen, seed, services, **casework.prepare_reference_data(org, services, today.year))
        cw.generate()
        # What the 2020 domains below draw from, as it was at the end of 2020 (before the later years change it).
        base = copy.copy(gen)
        base.people, base.families = list(gen.people), list(gen.families)
        alive_2020 = [p.rec for p in gen.people if not p.dead]
        later.extend(gen, cw, today, seed)  # 2021 up to today (demo/later.py)

        recipients = [p.rec for p in gen.people]
        enrolments = [e for p in gen.people for e in p.enrolments]
        n_links = sum(len(p.categories) for p in gen.people)
        n_flinks = sum(len(cats) for _f, cats in gen.family_categories)
        total = (len(gen.families) + len(recipients) + n_links + len(enrolments) + len(gen.consents)
                 + len(gen.representatives) + len(gen.family_members) + n_flinks + casework.row_count(cw))
        with tqdm(total=total, desc="demo", unit=" rows", disable=not progress, file=sys.stderr) as bar:
            _bulk(Family, gen.families, bar)
            _bulk(Recipient, recipients, bar)
            through = Recipient.categories.through
            _bulk(through, [through(recipient_id=p.rec.pk, category_id=categories[c].pk)
                            for p in gen.people for c in p.categories], bar)
            _bulk(Enrolment, enrolments, bar)
            _bulk(Consent, gen.consents, bar)
            _bulk(Representative, gen.representatives, bar)
            _bulk(FamilyMember, gen.family_members, bar)
            fthrough = Family.categories.through
            _bulk(fthrough, [fthrough(family_id=f.pk, category_id=categories[c].pk)
                             for f, cats in gen.family_categories for c in cats], bar)
            casework.save(cw, lambda model, objs: _bulk(model, objs, bar), bar.update)
        charges = casework.make_charges(org, today)
        payments = casework.make_payments(org, seed, today)  # the charges paid, a few people behind
        if size == "centre":  # seed 000's state assignment, the same each year after it (the dashboard's plan)
            AssignmentPlan.objects.bulk_create([plan for year in range(2020, today.year + 1)
                                                for plan in assignment_plans(org, departments, year)])

        logins = _create_users(org, departments, gen)
        plan_items = demo_plans.make_plans(org, today)
        counts = {
            "departments": len(departments),
            "settlements": len(gen.settlements),
            "employees": len(gen.employees),
            "recipients": len(recipients),
            "enrolments": len(enrolments),
            "families": len(gen.families),
            "family_members": len(gen.family_members),
            "representatives": len(gen.representatives),
            "consents": len(gen.consents),
            "services": Service.objects.filter(organisation=org).count(),
            "applications": len(cw.applications),
            "assessments": len(cw.assessments),
            "programmes": len(cw.programmes),
            "programme_items": len(cw.items),
            "contracts": len(cw.contracts),
            "amendments": len(cw.amendments),
            "fee_decisions": len(cw.fee_decisions),
            "income_records": len(cw.income_records),
            "urgent_acts": len(cw.urgent_acts),
            "journal_lines": len(cw.lines),
            "journal_services": sum(line[5] for line in cw.lines),
            "first_year": casework.FIRST_DAY.year,
            "last_year": today.year,
            "plan_items": plan_items,
            "charges": charges,
            "payments": payments,
        }
        counts.update(demo_money.build(  # seed 000's funds, aid and budget (demo/money.py); the budget up to today
            org, seed, until=today, recipient_ids=[p.rec.pk for p in base.people],
            family_ids=[f.pk for f in base.families]))
        counts.update(fieldwork.build(org, base, seed, today))  # families' register, visits, notices (issue 14)
        counts.update(demo_quality.build(org, seed, today))  # quality and staff development (demo/quality.py)
        counts.update(activities.build(org, departments, [rec.pk for rec in alive_2020], size, seed,
                                          today))
        counts.update(demo_outreach.build(org, departments, today))  # day-stay shifts, brigade trips (issue 13)
        log_event(actor=None, event_type=EventType.CREATED, obj=org, organisation_id=org.pk,
                  changes={"demo": [None, {"size": size, "seed": seed, "today": today.isoformat(), **counts}]})
    return DemoSummary(organisation=org, size=size, seed=seed, seconds=time.perf_counter() - began,
                       counts=counts, logins=logins)


def _create_users(org: Organisation, departments: dict[str, Department],
                  gen: _Generator) -> list[tuple[str, str]]:
    home1 = departments["home1"]
    active = [e for e in gen.employees if e.dismissed_on is None]

    def first(position: str, dept: str | None = None) -> Employee | None:
        return next((e for e in active if e.position == position
                     and (dept is None or e.department.code == dept)), None)

    caseload: dict[int, int] = defaultdict(int)
    for p in gen.people:
        for e in p.enrolments:
            if e.discharged_on is None and e.worker is not None:
                caseload[e.worker.pk] += 1
    social_worker = next((e for e in active if e.position == Position.SOCIAL_WORKER
                          and e.department is home1 and caseload[e.pk]), None)
    specialist = (first(Position.SOCIAL_WORK_SPECIALIST, "urgent") or first(Position.PSYCHOLOGIST)
                  or first(Position.SOCIAL_WORK_SPECIALIST))
    employees: dict[str, Employee | None] = {
        Role.DIRECTOR: first(Position.DIRECTOR),
        Role.DEPUTY_DIRECTOR: first(Position.DEPUTY_DIRECTOR),
        Role.DEPARTMENT_HEAD: first(Position.DEPARTMENT_HEAD, "home1"),
        Role.SOCIAL_WORKER: social_worker,
        Role.SPECIALIST: specialist,
        Role.ACCOUNTANT: first(Position.ACCOUNTANT),
        Role.HR: first(Position.HR_SPECIALIST),
        Role.ANALYST: None,
        Role.ADMIN: None,
    }
    created = []
    for role in Role.values:
        emp = employees.get(role)
        existed = User.objects.filter(username=role).exists()
        user = do_create_user(role, role=role, organisation=org,
                              departments=[home1] if role in DEPARTMENT_ROLES else [],
                              password=None, employee=emp, check_password=False)
        if not existed:
            created.append(user.pk)
        if emp is not None and user.employee_id == emp.pk and not user.last_name:
            User.objects.filter(pk=user.pk).update(first_name=emp.first_name, last_name=emp.last_name)
    # One hash of the shared demo password for every new demo user: hashing is slow by design.
    User.objects.filter(pk__in=created).update(password=make_password(DEMO_PASSWORD))
    return demo_logins(org.code)


def demo_logins(code: str = DEMO_CODE) -> list[tuple[str, str]]:
    """(username, who it is) for the demo users of the organisation `code`."""
    users = {u.username: u for u in User.objects.filter(
        username__in=DEMO_USERNAMES, memberships__organisation__code=code,
    ).select_related("employee__department").distinct()}
    logins = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        who = str(Role(username).label)
        if user.employee is not None:
            who += f" — {user.employee.full_name}, {user.employee.department.name}"
        logins.append((username, who))
    return logins


# ---- removing the demo -------------------------------------------------------------------------

def delete_demo(code: str = DEMO_CODE) -> bool:
    """Delete the demo organisation and everything in it, children before parents (the foreign keys
    to organisations, departments and settlements are PROTECT). The role-named users go too, unless
    they also hold a membership in another organisation. Returns False if there was no such org."""
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        return False
    with transaction.atomic(), sqlite_big_cache():
        user_ids = list(User.objects.filter(username__in=DEMO_USERNAMES, memberships__organisation=org)
                        .values_list("pk", flat=True).distinct())
        AuditEvent.objects.filter(organisation=org).delete()
        aggregates.delete_organisation(org.pk)
        AssignmentPlan.objects.filter(organisation=org).delete()
        demo_plans.delete_plans(org)
        demo_outreach.delete(org)  # joins to enrolments and journal lines, before those go
        casework.delete_casework(org)
        demo_money.delete(org)
        fieldwork.delete(org)  # visits and release notices (issue 14)
        demo_quality.delete(org)
        activities.delete(org)
        Membership.objects.filter(organisation=org).delete()
        lone = list(User.objects.filter(pk__in=user_ids, memberships__isnull=True)
                    .values_list("pk", flat=True))
        AuditEvent.objects.filter(organisation__isnull=True, actor_id__in=lone).delete()
        User.objects.filter(pk__in=lone).delete()
        casework.wipe(Enrolment, org)
        Consent.objects.filter(recipient__organisation=org).delete()
        Representative.objects.filter(recipient__organisation=org).delete()
        FamilyMember.objects.filter(family__organisation=org).delete()
        Recipient.categories.through.objects.filter(recipient__organisation=org).delete()
        Family.categories.through.objects.filter(family__organisation=org).delete()
        casework.wipe(Recipient, org)
        casework.wipe(Family, org)
        Employee.objects.filter(organisation=org).delete()
        Tariff.objects.filter(service__organisation=org).delete()
        Service.objects.filter(organisation=org).delete()
        Settlement.objects.filter(organisation=org).delete()
        Department.objects.filter(organisation=org).delete()
        org.delete()
    return True
