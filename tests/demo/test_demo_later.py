"""The demo's years after 2020 (demo/later.py): up to the build's today, 2019–2020 unchanged, every line within the
journal's rules, the minimums and charges of every year held."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest

from opora.billing.models import Charge, SubsistenceMinimum
from opora.catalogue.defaults import DEFAULT_SERVICES
from opora.catalogue.models import Service
from opora.delivery import bulk
from opora.delivery.models import Delivery
from opora.demo import builder, casework, later
from opora.org.calendar import calendar_for
from opora.org.models import Department, Organisation
from opora.people.models import Enrolment

D = datetime.date


def generated(size: str, today: datetime.date | None) -> casework.Casework:
    org = Organisation(code="x", **builder.ORGANISATION)
    deps = {c: Department(organisation=org, code=c, kind=k, name=n) for c, k, n in builder.DEPARTMENTS}
    gen = builder._Generator(builder.SIZES[size], builder.DEFAULT_SEED, org, deps, {})
    gen.generate()
    gen.generate_people()
    services = {code: Service(organisation=org, code=code, name=name, type=type_, list=list_, unit=unit)
                for code, name, type_, list_, unit, _m, _p in DEFAULT_SERVICES}
    cw = casework.Casework(
        gen, builder.DEFAULT_SEED, services, calendar=calendar_for(org),
        scale=casework.Scale(list(casework.DEFAULT_SCALE), [None] * 4),
        minimums={(y, g): v for y in range(2015, 2031) for g, v in casework.subsistence_minimums(y).items()},
        coefficient=Decimal("1.5"), free_categories=frozenset({"wwii_participant"}), tariffs=casework.default_tariffs())
    cw.generate()
    if today is not None:
        later.extend(gen, cw, today, builder.DEFAULT_SEED)
    return cw


@pytest.mark.django_db
def test_later_years_continue_without_changing_2019_and_2020():
    before = generated("small", None)
    after = generated("small", D(2023, 5, 17))
    by_year = Counter()
    for line in after.lines:
        by_year[line[4].year] += line[5]
    seed = Counter()
    for line in before.lines:
        seed[line[4].year] += line[5]
    assert by_year[2019] == seed[2019] and by_year[2020] == seed[2020]
    assert before.services_by() == {k: v for k, v in after.services_by().items() if k[0] <= 2020}
    assert all(by_year[y] > 0 for y in (2021, 2022, 2023))
    assert max(line[4] for line in after.lines) <= D(2023, 5, 17)
    assert any(line[4].month == 5 and line[4].year == 2023 for line in after.lines)  # the current month has data
    # enrolments of a person in one department never overlap, later ones included
    for p in after.gen.people:
        spans = sorted((e.department.code, e.admitted_on, e.discharged_on) for e in p.enrolments)
        for a, b in zip(spans, spans[1:], strict=False):
            if a[0] == b[0]:
                assert a[2] is not None and a[2] < b[1], (p.rec.full_name, a, b)
    # the same seed and the same today give the same demo
    again = generated("small", D(2023, 5, 17))
    assert [(x[4], x[5], x[2].code) for x in again.lines] == [(x[4], x[5], x[2].code) for x in after.lines]
    assert [a.number for a in again.applications] == [a.number for a in after.applications]
    numbers = [a.number for a in after.applications]
    assert len(numbers) == len(set(numbers))
    programme_numbers = [(p.number, p.version) for p in after.programmes]
    assert len(programme_numbers) == len(set(programme_numbers))


@pytest.mark.django_db
def test_the_small_demo_built_on_a_day_holds_casework_minimums_and_charges_up_to_it(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = builder.build_demo("small", 2020, today=D(2022, 3, 15))
    org = summary.organisation
    journal = Delivery.objects.filter(organisation=org)
    assert journal.filter(date__year=2022, date__month=3).exists()
    assert not journal.filter(date__gt=D(2022, 3, 15)).exists()
    assert bulk.check_journal(org.pk) == []
    years = set(SubsistenceMinimum.objects.filter(region=org.region).values_list("year", flat=True))
    assert set(range(2019, 2023)) <= years
    assert Charge.objects.filter(organisation=org, month=D(2022, 3, 1)).exists()
    assert not Charge.objects.filter(organisation=org, month__gt=D(2022, 3, 1)).exists()
    assert Enrolment.objects.filter(organisation=org, admitted_on__year=2021).exists()
    assert summary.counts["last_year"] == 2022
    with pytest.raises(ValueError):
        builder.build_demo("small", 2020, code="later", today=D(2099, 1, 1))
