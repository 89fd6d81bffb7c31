"""The demo's years after 2020, up to the build's "today": the centre goes on at about the volume of 2020.

builder._Generator and casework.Casework make 2019–2020 as seed 000 states them (their random sequences are not
touched here); `extend` then continues the same people and casework year by year from 1 January 2021 to `today`
(the current year up to today), with its own `random.Random`, so 2019 and 2020 stay exactly what they were and the
same seed and the same today always give the same demo.

Each later year: home care discharges about as many people as it admits (the register stays near 600), the 2020
applications still open are decided in January 2021; urgent help for about as many people as in 2020 (some of them
new, some who came before) and the registered families' acts; day-stay courses again (the department reopened in
2021); social adaptation. Their casework as in 2019–2020: applications, assessments, programmes renewed when their
term runs out, fee decisions, contracts and amendments, and the journal, whose services per department and year
follow 2020's (the current year in proportion to its working days so far). A programme of 2019–2020 still running
keeps the volumes it was drawn up with: its later lines never exceed them.
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from opora.core.reference import DischargeReason, Form, Sex
from opora.intake.models import ApplicationStatus
from opora.lib.dates import month_index
from opora.people.models import Consent, ConsentScope, Enrolment
from opora.people.rules import recipient_status
from opora.programmes.models import ProgrammeStatus, VolumePeriod

if TYPE_CHECKING:
    from opora.demo.builder import Person, _Generator
    from opora.demo.casework import Casework, Segment

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
LATER_FROM = D(2021, 1, 1)
# The share of 2020's journal each later year holds: the centre goes on as it was; the small demo (the tests' one)
# thins out so that it stays small and quick.
VOLUME = {"centre": 1.0, "small": 0.3}
# New people a later year may bring (None: as many as come); the others are people the centre already knows.
NEW_PEOPLE = {"centre": None, "small": 4}
REOPENED_COURSES = ((2, 8), (3, 8), (4, 12), (5, 17), (9, 6), (10, 4), (11, 8), (12, 6))  # month, earliest day


def later_years(today: datetime.date) -> range:
    return range(LATER_FROM.year, today.year + 1)


class _Later:
    def __init__(self, gen: _Generator, cw: Casework, today: datetime.date, seed: int):
        from opora.demo import builder

        self.b = builder
        self.gen, self.cw, self.today = gen, cw, today
        self.rng = random.Random(f"later-{seed}")
        self.size = gen.size
        self.base_people = len(gen.people)
        self.new_enrolments: list[tuple[Person, Enrolment]] = []
        self.new_left: int | None = None
        self.renewed: list[Segment] = []  # the programmes that renew those of 2019–2020
        self.renewed_of: dict[int, int] = {}  # id(enrolment) → the index of its first renewed segment

    # ---- the registry ---------------------------------------------------------------------------------------
    def fresh(self) -> bool:
        """May a new person come (the small demo takes only a few a year)?"""
        if self.new_left is None:
            return True
        self.new_left -= 1
        return self.new_left >= 0

    def year_end(self, year: int) -> datetime.date:
        """The last day of a year that may hold an event (never 31 December, never after today)."""
        return min(D(year, 12, 30), self.today)

    def fraction(self, year: int) -> float:
        if year < self.today.year:
            return 1.0
        return min(1.0, (self.today - D(year, 1, 1)).days / 365)

    def day(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def enrol(self, p: Person, dept: str, form: str, admitted: datetime.date,
              discharged: datetime.date | None = None, reason: str = "") -> Enrolment:
        e = self.gen.enrol(p, dept, form, admitted, discharged, reason)
        self.new_enrolments.append((p, e))
        return e

    @staticmethod
    def free_in(p: Person, dept: str, start: datetime.date, end: datetime.date | None) -> bool:
        """No enrolment of the person in the department overlaps start–end (nor begins on the same day)."""
        return not any(e.department.code == dept and e.admitted_on <= (end or D(9999, 1, 1))
                       and (e.discharged_on is None or e.discharged_on >= start) for e in p.enrolments)

    def home_year(self, year: int, pool: list[Person]) -> None:
        b, gen, rng, size = self.b, self.gen, self.rng, self.size
        end = self.year_end(year)
        frac = self.fraction(year)
        if end < D(year, 1, 20):
            return
        open_home = [(p, e) for p in gen.people for e in p.enrolments
                     if e.department.code in b.HOME_DEPARTMENTS and e.discharged_on is None]
        by_sector: dict[str, list[tuple[Person, Enrolment]]] = defaultdict(list)
        for p, e in open_home:
            by_sector[p.rec.sector or b.C].append((p, e))
        for sector in b.SECTORS:
            # Discharges: older people more often (most are deaths).
            register = by_sector[sector]
            n = min(len(register), round(size.home_discharged[sector] * frac * rng.uniform(0.9, 1.1)))
            weights = [max(1.0, year - p.rec.birth_date.year - 60.0) for p, _e in register]
            chosen: set[int] = set()
            while len(chosen) < n:
                chosen.add(rng.choices(range(len(register)), weights=weights)[0])
            for i in sorted(chosen):
                _p, e = register[i]
                e.discharged_on = self.day(max(D(year, 1, 9), e.admitted_on + 30 * ONE_DAY), end)
                e.discharge_reason = gen.weighted(b.HOME_DISCHARGE_REASONS)
            # Admissions: new clients, and now and then someone who left and comes back.
            returnable = [p for p in gen.people if p.home_dept and not p.dead and (p.rec.sector or b.C) == sector
                          and not p.open_on(end) and p.last_discharge is not None
                          and any(e.discharge_reason in b.RETURNABLE for e in p.enrolments)]
            for _ in range(round(size.home_admitted[sector] * frac * rng.uniform(0.9, 1.1))):
                admitted = self.day(D(year, 1, 20), min(D(year, 12, 25), end - 2 * ONE_DAY))
                back = [p for p in returnable if (p.last_discharge or admitted) < admitted - 90 * ONE_DAY]
                if back and rng.random() < 0.06:
                    p = rng.choice(back)
                    returnable.remove(p)
                    dept = p.home_dept
                elif self.fresh():
                    p, dept = gen.home_client(sector, round(rng.triangular(60, 97, 81)), admitted)
                    gen.make_representatives([p])
                else:  # someone the centre helped before comes to need care at home
                    known = [x for x in pool if (x.rec.sector or b.C) == sector and x.rec.sector]
                    if not known:
                        continue
                    p = rng.choice(known)
                    pool.remove(p)
                    dept = p.home_dept = self.cw.home_department(p)
                if not self.free_in(p, dept, admitted, None):
                    continue
                e = self.enrol(p, dept, Form.HOME, admitted)
                workers = [w for w in gen.workers_of(dept) if w.hired_on <= admitted and w.dismissed_on is None]
                e.worker = rng.choice(workers) if workers else None

    def open_applications_decided(self) -> None:
        """The home-care applications still open at the end of 2020 are decided in January 2021: the person is
        admitted (after the needs assessment, for those still without one)."""
        cw = self.cw
        for app in [a for a in cw.applications if a.status in (ApplicationStatus.REGISTERED,
                                                               ApplicationStatus.ASSESSMENT)]:
            p = cw.person_of[id(app.recipient)]
            dept = app.department.code
            assessed = [a for a in cw.assessments if a.application is app]
            if not assessed:
                assessed = [cw.assessment(app, cw.add_wd(max(app.received_on, D(2021, 1, 8)), 1),
                                          self.rng.choice((1, 2, 3)))]
            a = assessed[-1]
            app.decided_on = cw.add_wd(max(a.examined_on, D(2021, 1, 8)), self.rng.randint(1, 3))
            app.status, app.decided_form = ApplicationStatus.RECOGNISED, app.requested_form
            admitted = cw.add_wd(app.decided_on, self.rng.randint(1, 4))
            if admitted > self.today or not self.free_in(p, dept, admitted, None):
                continue
            p.home_dept = dept
            e = self.enrol(p, dept, Form.HOME, admitted)
            workers = [w for w in self.gen.workers_of(dept) if w.dismissed_on is None]
            e.worker = self.rng.choice(workers) if workers else None
            cw.application_of[id(e)] = app
            cw.level_of[id(e)] = max(1, a.care_level)

    def urgent_pool(self) -> list[Person]:
        return [p for p in self.gen.people[: self.base_people] if not p.home_dept and not p.dead
                and p.rec.family is None and "pensioner" in p.categories]

    def once(self, p: Person, year: int) -> None:
        """A one-off urgent visit in the year (never overlapping the person's other urgent enrolments)."""
        rng = self.rng
        first, last = D(year, 1, 9), min(D(year, 12, 28), self.today - 3 * ONE_DAY)
        if last < first:
            return
        for _ in range(20):
            admitted = self.day(first, last)
            discharged = min(admitted + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5, 7))),
                             self.year_end(year))
            if self.free_in(p, "urgent", admitted, discharged):
                self.enrol(p, "urgent", Form.URGENT, admitted, discharged, DischargeReason.TERM_EXPIRED)
                return

    def urgent_year(self, year: int, pool: list[Person]) -> None:
        gen, rng, size = self.gen, self.rng, self.size
        frac = self.fraction(year)
        if self.year_end(year) < D(year, 1, 12):
            return
        n = round((size.urgent_pensioners - size.urgent_from_home + size.urgent_others) * frac
                  * rng.uniform(0.92, 1.05) * VOLUME.get(size.name, 1.0))
        returning = rng.sample(pool, min(len(pool), round(n * 0.45)))
        for p in returning:
            self.once(p, year)
        for i in range(n - len(returning)):
            if not self.fresh():
                if pool:
                    self.once(rng.choice(pool), year)
                continue
            if i % 6 == 5:
                sex = Sex.FEMALE if rng.random() < 0.55 else Sex.MALE
                settlement, sector = gen.place(0.6)
                p = gen.person(sex=sex, birth=gen.birth_for_age(round(rng.triangular(18, 56, 40)), D(year, 12, 31)),
                               settlement=settlement, sector=sector)
                p.categories = ["other"]
            else:
                sex = Sex.FEMALE if rng.random() < 0.68 else Sex.MALE
                settlement, sector = gen.place(0.55)
                p = gen.person(sex=sex, birth=gen.birth_for_age(round(rng.triangular(
                    57 if sex == Sex.FEMALE else 61, 92, 68)), D(year, 12, 31)),
                    settlement=settlement, sector=sector, phone="elderly")
                gen.elderly_categories(p, disabled=rng.random() < 0.33)
                pool.append(p)
            self.once(p, year)
        for _ in range(round(size.families_once * frac * VOLUME.get(size.name, 1.0))):
            if not self.fresh():
                break
            before = len(gen.people)
            gen.family(registered=False, helped_in=year, until=self.year_end(year))
            self.new_enrolments.extend((p, p.enrolments[-1]) for p in gen.people[before:])

    def day_stay_year(self, year: int, pool: list[Person]) -> None:
        """The day-stay department reopened in 2021: two-week courses in spring and autumn."""
        gen, rng = self.gen, self.rng
        fit = [p for p in pool if year - p.rec.birth_date.year <= 84 and p.rec.disability_group != "1"]
        per_course = max(1, round(self.size.day_stay / len(REOPENED_COURSES)))
        cal = self.cw.calendar
        for month, earliest in REOPENED_COURSES:
            start = D(year, month, earliest)
            while start.weekday() != 0 or not cal.is_working_day(start):
                start += ONE_DAY
            if start >= self.today:
                return
            end = start + 13 * ONE_DAY
            for _ in range(per_course):
                if fit and rng.random() < 0.6:
                    p = rng.choice(fit)
                    if not self.free_in(p, "day_stay", start, end):
                        continue
                elif not self.fresh():
                    continue
                else:
                    sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
                    settlement, sector = gen.place(0.85)
                    p = gen.person(sex=sex, birth=gen.birth_for_age(round(rng.triangular(58, 84, 68)),
                                                                     D(year, 12, 31)),
                                   settlement=settlement, sector=sector, phone="elderly")
                    gen.elderly_categories(p, disabled=rng.random() < 0.3)
                if end < self.today:
                    self.enrol(p, "day_stay", Form.SEMI_STATIONARY, start, end, DischargeReason.TERM_EXPIRED)
                else:
                    self.enrol(p, "day_stay", Form.SEMI_STATIONARY, start)

    def adaptation_year(self, year: int) -> None:
        b, gen, rng = self.b, self.gen, self.rng
        end = self.year_end(year)
        # Those still in the department at the start of the year leave during it (most of them).
        for p in gen.people:
            for e in p.enrolments:
                if (e.department.code == "adaptation" and e.discharged_on is None and e.admitted_on < D(year, 1, 1)
                        and rng.random() < 0.9):
                    e.discharged_on = self.day(max(D(year, 1, 11), e.admitted_on + 14 * ONE_DAY), end)
                    e.discharge_reason = gen.weighted(b.ADAPTATION_DISCHARGE_REASONS)
        kinds = ("released_prisoner", "homeless", "other")
        alumni = [p for p in gen.people if p.categories and p.categories[0] in kinds
                  and not p.dead and any(e.department.code == "adaptation" for e in p.enrolments)
                  and not p.open_on(end)]
        for _ in range(round(self.size.adaptation * 0.85 * self.fraction(year))):
            if not self.fresh():  # someone who was in the department before comes back
                alumnus = alumni.pop(rng.randrange(len(alumni))) if alumni else None
                admitted = self.day(D(year, 1, 11), min(D(year, 12, 25), end - 2 * ONE_DAY))
                if alumnus is not None and self.free_in(alumnus, "adaptation", admitted, None) and (
                        alumnus.last_discharge is None or alumnus.last_discharge < admitted):
                    self.enrol(alumnus, "adaptation", Form.SEMI_STATIONARY, admitted)
                continue
            sex = Sex.MALE if rng.random() < 0.85 else Sex.FEMALE
            kind = gen.weighted((("released_prisoner", 70), ("homeless", 15), ("other", 15)))
            homeless = kind == "homeless"
            settlement, sector = (gen.settlements[0], b.C) if homeless else gen.place(0.75)
            p = gen.person(sex=sex, birth=gen.birth_for_age(round(rng.triangular(19, 63, 34)), D(year, 12, 31)),
                           settlement=settlement, sector=sector, homeless=homeless,
                           snils_share=0.6 if homeless else 0.85)
            p.categories = [kind]
            admitted = self.day(D(year, 1, 11), min(D(year, 12, 25), end - 2 * ONE_DAY))
            discharged = admitted + datetime.timedelta(days=14 + round(rng.expovariate(1 / 90)))
            if discharged <= end:
                self.enrol(p, "adaptation", Form.SEMI_STATIONARY, admitted, discharged,
                           gen.weighted(b.ADAPTATION_DISCHARGE_REASONS))
            else:
                self.enrol(p, "adaptation", Form.SEMI_STATIONARY, admitted)

    def finish_people(self) -> None:
        """Statuses from the enrolments as they are now; a registering department and a consent for new people."""
        gen, rng = self.gen, self.rng
        for n, p in enumerate(gen.people):
            if not p.enrolments:
                continue
            p.rec.status = recipient_status((e.discharged_on, e.discharge_reason) for e in p.enrolments)
            if n < self.base_people:
                continue
            first = min(p.enrolments, key=lambda e: (e.admitted_on, e.department.code))
            p.rec.registered_department = first.department
            if rng.random() < 0.97:
                gen.consents.append(Consent(
                    recipient=p.rec, given_on=first.admitted_on, scope=ConsentScope.PROCESSING,
                    document="Согласие на обработку персональных данных (заявление)"))

    # ---- the casework ---------------------------------------------------------------------------------------
    def extend_base_programmes(self) -> list[Segment]:
        """2019–2020's programmes still running on 1 January 2021: closed on a later discharge, renewed when
        their term runs out. Returns their segments (the journal caps them at their volumes)."""
        cw = self.cw
        running: list[Segment] = []
        for e_id, segs in list(cw.segments_of.items()):
            last = segs[-1]
            prog = last.programme
            if prog.status != ProgrammeStatus.ACTIVE:
                continue
            e, p = last.enrolment, last.person
            if prog.valid_to >= LATER_FROM:
                running.append(last)
            if e.discharged_on is not None and e.discharged_on <= prog.valid_to:
                last.end = e.discharged_on
                prog.status, prog.closed_on = ProgrammeStatus.CLOSED, e.discharged_on
                continue
            if prog.valid_to >= self.today:
                continue
            prog.status, prog.closed_on = ProgrammeStatus.CLOSED, prog.valid_to
            term = 3 if last.kind == "home" else 1
            chains = cw.cycles(e, term, LATER_FROM, self.today, start=prog.valid_to + ONE_DAY)
            before = len(segs)
            cw.programme_chain(p, e, last.kind, last.profile, last.period, chains, None, LATER_FROM)
            self.renewed.extend(segs[before:])
            self.renewed_of[e_id] = before
        return running

    def cap(self, seg: Segment, items: dict[str, int]) -> Callable[[datetime.date, str, int], int]:
        """What the volume of a programme drawn up in 2019–2020 still allows for a later line."""
        cw = self.cw
        prog = seg.programme
        used: dict[tuple[str, int], int] = defaultdict(int)
        rec_id, dept = id(seg.person.rec), seg.enrolment.department.code
        if seg.period != VolumePeriod.MONTH:
            for code in items:
                used[(code, 0)] = sum(q for d, q in cw.usage_days.get((rec_id, dept, code), ())
                                      if prog.valid_from <= d <= prog.valid_to)

        def allowed(day: datetime.date, code: str, quantity: int) -> int:
            key = (code, month_index(day) if seg.period == VolumePeriod.MONTH else 0)
            left = items.get(code, 0) - used[key]
            quantity = min(quantity, left)
            if quantity > 0:
                used[key] += quantity
            return quantity

        return allowed

    def casework(self) -> None:
        cw, rng, today = self.cw, self.rng, self.today
        years = later_years(today)
        cw.rng = rng
        for year in years:
            cw.working_days[year] = [d for d in cw._days(D(year, 1, 1), D(year, 12, 31))
                                     if cw.calendar.is_working_day(d)]
            share = self.fraction(year) if year == today.year else 1.0
            if year == today.year:  # in proportion to the working days so far
                days = cw.working_days[year]
                share = bisect.bisect_right(days, today) / len(days)
            growth = rng.uniform(0.97, 1.06) * VOLUME.get(cw.size, 1.0)
            cw.targets[year] = {kind: (round(basic * growth * share), round(extra * growth * share))
                                for kind, (basic, extra) in cw.targets[2020].items()}
        first_new_app = len(cw.applications)
        first_new_prog = len(cw.programmes)
        # intake of the later enrolments
        for p, e in self.new_enrolments:
            if id(e) not in cw.application_of:
                cw.intake_for(p, e, not_before=max(LATER_FROM, D(e.admitted_on.year, 1, 11)))
        self.refused_and_open()
        existing = _last_numbers(a.number.split("-") for a in cw.applications[:first_new_app])
        cw.number_applications(cw.applications[first_new_app:], existing)
        # programmes: the running ones, then those of the later enrolments
        running = self.extend_base_programmes()
        new_segments: list[Segment] = []
        for p, e in self.new_enrolments:
            kind = cw.kind_of(e)
            if kind == "urgent":
                continue
            profile, term, period = cw.profile_for(p, e, kind)
            before = len(cw.segments)
            cw.programme_chain(p, e, kind, profile, period, cw.cycles(e, term, LATER_FROM, today),
                               cw.application_of.get(id(e)), LATER_FROM)
            new_segments.extend(cw.segments[before:])
        later_progs = cw.programmes[first_new_prog:]
        existing = _last_numbers(x.number.split("/")[::-1] for x in cw.programmes[:first_new_prog])
        cw.number_programmes(later_progs, existing)
        # the journal: the running programmes capped at their volumes
        items: dict[int, dict[str, int]] = defaultdict(dict)
        for item in cw.items:
            items[id(item.programme)][item.service.code] = item.volume
        for seg in running:
            cw.caps[id(seg)] = self.cap(seg, items[id(seg.programme)])
        fresh = self.renewed + new_segments
        cw.make_journal(years, running + fresh, until=today)
        cw.make_items(fresh, LATER_FROM, today)
        cw.decide_fees(fresh)
        # contracts: new ones, and amendments of those whose programme was renewed
        new_contracts = []
        for p, e in self.new_enrolments:
            segs = cw.segments_of.get(id(e))
            if segs:
                new_contracts.append(cw.contract(p, e, segs))
        for e_id, before in self.renewed_of.items():
            c = cw.contract_of[e_id]
            segs = cw.segments_of[e_id]
            for n, seg in enumerate(segs[before:], start=before):
                cw.amend(c, seg, n)
            c.valid_to = segs[-1].programme.valid_to
        for c in cw.contracts:
            enrolment = c.enrolment
            assert enrolment is not None  # the demo signs every contract for an enrolment
            c.terminated_on = enrolment.discharged_on
            c.termination_reason = enrolment.discharge_reason or ""
        existing = _last_numbers(c.number.removesuffix("-Д").split("/")[::-1] for c in cw.contracts)
        cw.number_contracts(new_contracts, existing)
        cw.contracts.extend(new_contracts)

    def refused_and_open(self) -> None:
        """Each later year a few applications refused and withdrawn; some received in the last weeks, still open
        (a few past their decision date)."""
        cw, rng, today = self.cw, self.rng, self.today
        pool = [p for p in self.urgent_pool() if not p.home_dept]
        rng.shuffle(pool)
        n_refused, n_withdrawn, n_open = (30, 4, 14) if cw.size == "centre" else (2, 1, 3)
        for year in later_years(today):
            days = [d for d in cw.working_days[year] if d <= today - 10 * ONE_DAY][5:-5]
            frac = self.fraction(year)
            for i in range(round((n_refused + n_withdrawn) * frac)):
                if not pool or not days:
                    break
                p = pool.pop()
                received = rng.choice(days)
                app = cw.application(p, cw.home_department(p), Form.HOME, "home", received)
                cw.refuse_or_withdraw(app, received, i < round(n_refused * frac), rng)
        recent = [d for d in cw.working_days[today.year] if today - 30 * ONE_DAY <= d <= today]
        for i in range(n_open):
            if not pool or not recent:
                break
            p = pool.pop()
            received = recent[0] if i == 0 else rng.choice(recent)  # the first one is overdue
            app = cw.application(p, cw.home_department(p), Form.HOME, "home", received)
            if rng.random() < 0.5 and cw.add_wd(received, 1) <= today:
                cw.assessment(app, cw.add_wd(received, 1), rng.choice((1, 2, 3)))
                app.status = ApplicationStatus.ASSESSMENT

    def run(self) -> None:
        gen = self.gen
        saved = gen.rng, self.cw.rng
        gen.rng = self.cw.rng = self.rng
        try:
            self.open_applications_decided()
            pool = self.urgent_pool()
            for year in later_years(self.today):
                self.new_left = NEW_PEOPLE.get(self.size.name)
                self.home_year(year, pool)
                self.urgent_year(year, pool)
                self.day_stay_year(year, pool)
                self.adaptation_year(year)
            self.finish_people()
            self.casework()
        finally:
            gen.rng, self.cw.rng = saved


def _last_numbers(pairs: Iterable[Sequence[str]]) -> dict[int, int]:
    """year → the last number given in it, from (year, number, …) text pairs."""
    last: dict[int, int] = defaultdict(int)
    for parts in pairs:
        year, number = int(parts[0]), int(parts[-1])
        last[year] = max(last[year], number)
    return dict(last)


def extend(gen: _Generator, cw: Casework, today: datetime.date, seed: int) -> None:
    """Continue the demo from 1 January 2021 to `today` (nothing when today is in 2020 or before)."""
    if today < LATER_FROM:
        return
    _Later(gen, cw, today, seed).run()


