"""`opora demo --jurisdiction ua`: a Ukrainian територіальний центр shaped like seed 002's (the half-year note of
2021), built deterministically through the exchange import — the one bulk way in of every domain it touches
(departments, staff, people, enrolments, the catalogue coded by the classifier, the journal, applications, the
budget and its spending) — as an organisation of the Ukrainian jurisdiction (its organisation row says so, so the
import checks the rows by that law: department kinds, the classifier's codes, КЕКВ), with the same logins as the
Russian demo (one user per role, password `demo`). The reference data come from opora.jurisdictions.ua.

Size `centre` gives the seed's figures for I півріччя 2021 exactly: 95 195 services (home care 61 453, day stay
27 010, the homeless 6 732) to 411 persons; 9 546 innovative services against 7 199 a year before (+32,6 %), all of
them delivered online; 32 electronic applications (33 received), 33 persons admitted; the general fund by КЕКВ
approved 2 588 000,00 грн, cash spent 2 527 500,00, savings 60 500,00. Size `small` keeps the shape at about a
tenth of the people and a twentieth of the services (for tests).
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from opora.accounts.actions import do_create_user
from opora.accounts.models import User
from opora.accounts.roles import DEPARTMENT_ROLES, Role
from opora.exchange.actions import do_import
from opora.jurisdictions import ua
from opora.org.models import Department, Employee, Organisation

UA_DEMO_CODE = "demo_ua"
D = datetime.date
HALF_2020 = (D(2020, 1, 1), D(2020, 6, 30))
HALF_2021 = (D(2021, 1, 1), D(2021, 6, 30))

ORGANISATION = {
    "name": "Територіальний центр соціального обслуговування (надання соціальних послуг) Покровської міської ради "
            "Дніпропетровської області (демо)",
    "region": "Дніпропетровська область",
    "address": "53300, Дніпропетровська область, м. Покров, вул. Центральна, 1 (демо)",
    "founder": "Покровська міська рада",
}
# code, kind, form of the enrolments
DEPARTMENTS = (("admin", "administration", ""), ("home", "home_care", "home"),
               ("day", "day_stay", "semi_stationary"), ("homeless", "homeless", "semi_stationary"))
# The services each department delivers (codes of the classifier in opora.jurisdictions.ua) with their shares of its
# services; the innovative service of the day stay (social adaptation: the University of the Third Age, online) is
# counted apart. The homeless are admitted to social support (seed 002).
DEPARTMENT_SERVICES = {
    "home": (("015.1", 88), ("001.0", 6), ("002.0", 6)),
    "day": (("016.0", 60), ("002.0", 25), ("001.0", 15)),
    "homeless": (("011.0", 55), ("006.0", 30), ("004.0", 15)),
}
INNOVATIVE_SERVICE = ("day", "012.0")

# КЕКВ: (fund, code) → (approved for the half-year, cash spent), hryvnias
BUDGET_2021_H1 = {
    ("general", "2110"): (2_254_100, 2_241_600), ("general", "2210"): (51_000, 39_500),
    ("general", "2230"): (27_900, 2_200), ("general", "2240"): (182_500, 179_500),
    ("general", "2250"): (2_600, 1_800), ("general", "2270"): (49_900, 44_500),
    ("general", "2700"): (20_000, 18_400),
    ("special", "2110"): (88_500, 48_600), ("special", "2210"): (300_300, 262_500),
    ("special", "2230"): (6_700, 6_700), ("special", "2240"): (1_600, 1_600), ("special", "3110"): (36_900, 36_900),
}

SURNAMES = ("Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук", "Поліщук",
            "Лисенко", "Мельник", "Бойко", "Марченко", "Руденко", "Савченко", "Петренко", "Кузьменко", "Павленко",
            "Левченко", "Гончаренко", "Мороз", "Литвиненко", "Климченко", "Карпенко", "Дмитренко", "Захарченко")
MALE = (("Іван", "Іванович"), ("Петро", "Петрович"), ("Микола", "Миколайович"), ("Василь", "Васильович"),
        ("Олександр", "Олександрович"), ("Григорій", "Григорович"), ("Михайло", "Михайлович"))
FEMALE = (("Ганна", "Іванівна"), ("Марія", "Петрівна"), ("Олена", "Миколаївна"), ("Надія", "Василівна"),
          ("Валентина", "Олександрівна"), ("Людмила", "Григорівна"), ("Тетяна", "Михайлівна"),
          ("Катерина", "Степанівна"))


@dataclass(frozen=True)
class UaSize:
    name: str
    people: dict[str, tuple[int, int, int]]  # department → (served throughout, admitted in H1 2021, left in 2020)
    services_2021: dict[str, int]  # department → services in H1 2021 (the innovative ones included)
    services_2020: dict[str, int]  # in H1 2020
    innovative: tuple[int, int]  # (H1 2020, H1 2021)
    electronic: int  # electronic applications in H1 2021 (one more comes by phone)
    social_workers: int


CENTRE = UaSize("centre", people={"home": (271, 29, 40), "day": (82, 2, 10), "homeless": (25, 2, 8)},
                services_2021={"home": 61_453, "day": 27_010, "homeless": 6_732},
                services_2020={"home": 58_210, "day": 22_640, "homeless": 6_105},
                innovative=(7_199, 9_546), electronic=32, social_workers=24)
SMALL = UaSize("small", people={"home": (27, 3, 4), "day": (8, 1, 1), "homeless": (3, 1, 1)},
               services_2021={"home": 3_073, "day": 1_350, "homeless": 337},
               services_2020={"home": 2_910, "day": 1_132, "homeless": 305},
               innovative=(360, 477), electronic=3, social_workers=3)
UA_SIZES = {"centre": CENTRE, "small": SMALL}


@dataclass
class UaDemoSummary:
    organisation: Organisation
    size: str
    seconds: float
    counts: dict[str, int]


def _split(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole numbers differing by at most one (the larger ones first)."""
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _months(start: D, end: D) -> list[D]:
    out, day = [], start
    while day <= end:
        out.append(day)
        day = D(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _month_end(month: D) -> D:
    return D(month.year + month.month // 12, month.month % 12 + 1, 1) - datetime.timedelta(days=1)


class _Files:
    """The exchange files of the demo centre, written as UTF-8 CSV."""

    def __init__(self, size: UaSize, seed: int, code: str):
        self.size, self.rnd, self.code = size, random.Random(seed), code
        self.rows: dict[str, list[dict[str, object]]] = {}
        self.admitted: list[tuple[str, str, D]] = []  # (recipient, department, admitted on) in H1 2021
        self.social_workers: list[str] = []
        self.enrolled: dict[str, list[tuple[str, D, D | None]]] = {}
        self.persons = 0

    def add(self, name: str, row: dict[str, object]) -> None:
        self.rows.setdefault(name, []).append(row)

    def write(self, directory: Path) -> None:
        for name, rows in self.rows.items():
            with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
                writer.writeheader()
                writer.writerows(rows)

    def build(self) -> None:
        # the organisation's jurisdiction in its row: the import checks the rows by the Ukrainian law (department
        # kinds, the classifier's codes, КЕКВ)
        self.add("organisation", {"code": self.code, **ORGANISATION, "jurisdiction": ua.UKRAINE.code})
        for code, kind, _form in DEPARTMENTS:
            self.add("departments", {"code": code, "name": ua.DEPARTMENT_NAMES[kind], "kind": kind})
        self.workers()
        for code, name, type_, list_, unit, _minutes, _tariff in ua.DEFAULT_SERVICES:
            self.add("services", {"code": code, "name": name, "type": type_, "list": list_, "unit": unit,
                                  "tariff": "0", "innovative": int(code in ua.DEFAULT_INNOVATIVE_CODES)})
        self.people()
        self.journal()
        self.applications()
        self.budget()

    def workers(self) -> None:
        staff = [("1", "director", "admin"), ("2", "deputy_director", "admin"), ("3", "accountant", "admin"),
                 ("4", "hr_specialist", "admin"), ("5", "department_head", "home"),
                 ("6", "department_head", "day"), ("7", "department_head", "homeless"),
                 ("8", "social_work_specialist", "day"), ("9", "psychologist", "day"),
                 ("10", "social_work_specialist", "homeless")]
        staff += [(str(11 + i), "social_worker", "home") for i in range(self.size.social_workers)]
        self.social_workers = [tab for tab, position, _d in staff if position == "social_worker"]
        for i, (tab, position, dept) in enumerate(staff):
            last = SURNAMES[(i * 7) % len(SURNAMES)]
            first, middle = FEMALE[i % len(FEMALE)]
            self.add("workers", {"tab_no": tab, "full_name": f"{last} {first} {middle}", "position": position,
                                 "department_code": dept, "hired_on": D(2015 + i % 5, 1 + i % 12, 1).isoformat()})

    def people(self) -> None:
        """Each person in one department: served throughout (admitted before 2020), admitted in H1 2021, or
        discharged in the second half of 2020."""
        rnd = self.rnd
        n = 0
        for dept, form in ((d, f) for d, _k, f in DEPARTMENTS if f):
            spans = self.enrolled[dept] = []
            throughout, admitted, left = self.size.people[dept]
            for kind, count in (("throughout", throughout), ("admitted", admitted), ("left", left)):
                for _i in range(count):
                    n += 1
                    ext = f"UA{n:05d}"
                    female = rnd.random() < 0.68
                    first, middle = rnd.choice(FEMALE if female else MALE)
                    last = rnd.choice(SURNAMES)
                    self.add("recipients", {
                        "external_id": ext, "last_name": last, "first_name": first, "patronymic": middle,
                        "sex": "F" if female else "M",
                        "birth_date": D(rnd.randint(1930, 1958), rnd.randint(1, 12), rnd.randint(1, 28)).isoformat()})
                    if kind == "admitted":
                        start, end = D(2021, rnd.randint(1, 5), rnd.randint(1, 28)), None
                    elif kind == "left":
                        start, end = D(rnd.randint(2015, 2019), rnd.randint(1, 12), 1), D(2020, rnd.randint(7, 11),
                                                                                      rnd.randint(1, 28))
                    else:
                        start, end = D(rnd.randint(2012, 2019), rnd.randint(1, 12), rnd.randint(1, 28)), None
                    worker = rnd.choice(self.social_workers) if dept == "home" else ""
                    spans.append((ext, start, end))
                    self.add("enrolments", {
                        "recipient_id": ext, "department_code": dept, "form": form,
                        "admitted_on": start.isoformat(), "discharged_on": end.isoformat() if end else "",
                        "discharge_reason": "own_request" if end else "", "worker_tab_no": worker})
                    if kind == "admitted":
                        self.admitted.append((ext, dept, start))
        self.persons = n

    def journal(self) -> None:
        """Lines for every month of January 2020 – June 2021; each department's services of the two half-years
        are exactly the size's figures, the innovative ones (online in 2021) among the day stay's."""
        size = self.size
        periods = [(HALF_2020, size.services_2020, size.innovative[0], False),
                   ((D(2020, 7, 1), D(2020, 12, 31)), size.services_2020, size.innovative[0], False),
                   (HALF_2021, size.services_2021, size.innovative[1], True)]
        for (start, end), targets, innovative, online in periods:
            months = _months(start, end)
            for dept, total in targets.items():
                shares = list(DEPARTMENT_SERVICES[dept])
                own = total - (innovative if dept == INNOVATIVE_SERVICE[0] else 0)
                weights = sum(w for _c, w in shares)
                amounts = [own * w // weights for _c, w in shares]
                amounts[0] += own - sum(amounts)
                plan = [(code, amount, False) for (code, _w), amount in zip(shares, amounts, strict=True)]
                if dept == INNOVATIVE_SERVICE[0]:
                    plan.append((INNOVATIVE_SERVICE[1], innovative, online))
                for code, amount, is_online in plan:
                    for month, in_month in zip(months, _split(amount, len(months)), strict=True):
                        self._lines(dept, code, month, in_month, is_online)

    def _lines(self, dept: str, code: str, month: D, services: int, online: bool) -> None:
        """`services` of one service in a department in a month, over the people enrolled then (a line each on up to
        four days, the quantities adding up exactly)."""
        if services <= 0:
            return
        last = _month_end(month)
        people = [(ext, max(start, month), min(end, last) if end else last) for ext, start, end in self.enrolled[dept]
                  if start <= last and (end is None or end >= month)]
        if not people:
            return
        per_person = max(1, min(4, services // len(people)))
        slots = [(ext, first + datetime.timedelta(days=(i * 7) % ((till - first).days + 1)))
                 for ext, first, till in people for i in range(per_person)]
        slots = slots[:services]
        for (ext, day), quantity in zip(slots, _split(services, len(slots)), strict=True):
            self.add("deliveries", {"recipient_id": ext, "department_code": dept, "service_code": code,
                                    "date": day.isoformat(), "quantity": quantity, "online": int(online)})

    def applications(self) -> None:
        """The applications of the people admitted in H1 2021: all but one electronic, each recognised."""
        for i, (ext, dept, start) in enumerate(self.admitted):
            received = start - datetime.timedelta(days=3)
            channel = "online" if i < self.size.electronic else "phone"
            form = next(f for d, _k, f in DEPARTMENTS if d == dept)
            self.add("applications", {"recipient_id": ext, "received_on": received.isoformat(), "form": form,
                                      "channel": channel, "department_code": dept, "decision": "recognised",
                                      "decided_on": (received + datetime.timedelta(days=1)).isoformat()})

    def budget(self) -> None:
        for (fund, code), (approved, spent) in BUDGET_2021_H1.items():
            name = ua.KEKV[code]
            for month, amount in enumerate(_split(approved, 6), start=1):
                self.add("budget", {"year": 2021, "month": month, "fund": fund, "code": code, "name": name,
                                    "approved": amount})
            for month, amount in enumerate(_split(spent, 6), start=1):
                self.add("spending", {"date": D(2021, month, 20).isoformat(), "fund": fund, "code": code,
                                      "amount": amount})


def build_ua_demo(size: str = "centre", seed: int = 2021, *, code: str = UA_DEMO_CODE) -> UaDemoSummary:
    """Build the Ukrainian demo organisation `code`; ValueError if it exists or the import refuses a row."""
    if size not in UA_SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(UA_SIZES)}")
    began = time.perf_counter()
    files = _Files(UA_SIZES[size], seed, code)
    files.build()
    with transaction.atomic():
        if Organisation.objects.filter(code=code).exists():
            raise ValueError(f"the organisation {code!r} already exists")
        with tempfile.TemporaryDirectory(prefix="opora-demo-ua-") as tmp:
            files.write(Path(tmp))
            result = do_import(Path(tmp), organisation_code=code)
        if not result.ok:
            raise ValueError("the Ukrainian demo's files were refused:\n" + "\n".join(result.problems.lines()[:20]))
        org = Organisation.objects.get(code=code)
        _create_users(org)
    counts = {name: len(rows) for name, rows in files.rows.items()}
    return UaDemoSummary(organisation=org, size=size, seconds=time.perf_counter() - began, counts=counts)


def _create_users(org: Organisation) -> None:
    """One user per role, named by the role as in the Russian demo (an existing user gets the membership)."""
    departments = {d.code: d for d in Department.objects.filter(organisation=org)}
    employees = list(Employee.objects.filter(organisation=org).select_related("department").order_by("id"))

    def first(position: str, dept: str | None = None) -> Employee | None:
        return next((e for e in employees if e.position == position
                     and (dept is None or e.department.code == dept)), None)

    by_role: dict[str, Employee | None] = {
        Role.DIRECTOR: first("director"), Role.DEPUTY_DIRECTOR: first("deputy_director"),
        Role.DEPARTMENT_HEAD: first("department_head", "home"), Role.SOCIAL_WORKER: first("social_worker", "home"),
        Role.SPECIALIST: first("social_work_specialist"), Role.ACCOUNTANT: first("accountant"),
        Role.HR: first("hr_specialist"), Role.ANALYST: None, Role.ADMIN: None,
    }
    created = []
    for role in Role.values:
        existed = User.objects.filter(username=role).exists()
        emp = by_role.get(role)
        user = do_create_user(role, role=role, organisation=org,
                              departments=[departments["home"]] if role in DEPARTMENT_ROLES else [],
                              password=None, employee=None if existed else emp, check_password=False)
        if not existed:
            created.append(user.pk)
            if emp is not None:
                User.objects.filter(pk=user.pk).update(first_name=emp.first_name, last_name=emp.last_name)
    User.objects.filter(pk__in=created).update(password=make_password("demo"))

