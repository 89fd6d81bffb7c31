"""Reports `family_register` and `field_work`, and their tables in `annual`: known figures on a small centre."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from opora.fieldwork import queries
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.lib.periods import Period
from opora.money.models import Aid, Fund
from opora.people.models import Category, FamilyMember
from opora.reports.registry import build_report, system_actor
from opora.reports.render import json as render_json
from tests import factories as f

D = datetime.date
YEAR = Period.year_of(2020)


def rows(doc, table):
    return {r["key"]: {k: v for k, v in r.items() if k != "key" and v is not None}
            for r in render_json.to_data(doc)["tables"][table]["rows"]}


@pytest.fixture
def centre(db):
    org = f.OrganisationFactory(code="fw")
    cats = {c: Category.objects.get_or_create(code=c)[0] for c in ("family_large", "family_sop", "pensioner")}

    def family(registered, deregistered=None, children=0, *categories):
        fam = f.FamilyFactory(organisation=org, registered_on=registered, deregistered_on=deregistered,
                              deregistration_reason="own_request" if deregistered else "", children=children)
        fam.categories.set([cats[c] for c in categories])
        return fam

    c = type("Centre", (), {})()
    c.org, c.cats = org, cats
    c.large = family(D(2019, 5, 1), None, 3, "family_large")
    c.gone_day_one = family(D(2019, 5, 1), D(2020, 1, 1), 2)
    c.gone_last_day = family(D(2019, 12, 31), D(2020, 12, 31), 1, "family_sop")
    c.new_day_one = family(D(2020, 1, 1), None, 4, "family_large", "family_sop")
    c.new_last_day = family(D(2020, 12, 31), None, 2)
    c.never = f.FamilyFactory(organisation=org)  # not on the register at all
    c.member = f.RecipientFactory(organisation=org, family=c.large)
    c.loner = f.RecipientFactory(organisation=org)
    c.loner.categories.set([cats["pensioner"]])
    c.village = f.SettlementFactory(organisation=org)
    visit = lambda day, kind, **kw: Visit.objects.create(organisation=org, date=day, kind=kind, **kw)  # noqa: E731
    visit(D(2020, 2, 1), "fire_safety", family=c.large, people=3)
    visit(D(2020, 3, 1), "fire_safety", recipient=c.member)           # the same household as the family
    visit(D(2020, 3, 2), "fire_safety", recipient=c.loner)
    visit(D(2020, 4, 1), "patronage", family=c.new_day_one, people=2)
    visit(D(2020, 4, 2), "patronage", family=c.new_day_one, people=5)
    visit(D(2020, 6, 1), "raid", settlement=c.village, people=4)
    visit(D(2019, 12, 31), "patronage", family=c.large)               # before the period
    visit(D(2021, 1, 1), "fire_safety", family=c.new_day_one)         # after it
    notice = lambda received, outcome, checked=None, **kw: ReleaseNotice.objects.create(  # noqa: E731
        organisation=org, received_on=received, full_name=f"Освобождённый {received}", birth_date=D(1980, 1, 1),
        release_date=received + datetime.timedelta(days=30), outcome=outcome, checked_on=checked, **kw)
    notice(D(2020, 1, 1), "arrived", D(2020, 2, 5), recipient=c.loner)
    notice(D(2020, 2, 1), "arrived", D(2020, 3, 5))
    notice(D(2020, 3, 1), "not_arrived", D(2020, 4, 5))
    notice(D(2020, 4, 1), "moved", D(2020, 5, 5))
    notice(D(2020, 12, 31), "pending")
    notice(D(2019, 12, 31), "arrived", D(2020, 1, 31))                # received before the period
    return c


def test_it_counts_the_family_register_on_its_boundary_days(centre):
    doc = build_report("family_register", [centre.org], YEAR, actor=system_actor([centre.org]))
    table = rows(doc, "family_register")
    assert table["all"] == {"start": 3, "registered": 2, "deregistered": 2, "end": 3, "children_end": 9}
    assert table["family_large"] == {"families_end": 2, "children_end": 7}
    assert table["family_sop"] == {"families_end": 1, "children_end": 4}
    # the day before: the family removed on 1 January is still on the register on 31 December
    dec31 = build_report("family_register", [centre.org], Period.range_of(D(2019, 12, 31), D(2019, 12, 31)),
                         actor=system_actor([centre.org]))
    assert rows(dec31, "family_register")["all"]["end"] == 3


def test_it_counts_visits_households_and_notices(centre):
    doc = build_report("field_work", [centre.org], YEAR, actor=system_actor([centre.org]))
    assert rows(doc, "visits") == {
        "fire_safety": {"visits": 3, "households": 2, "people": 5},
        "patronage": {"visits": 2, "households": 1, "people": 7},
        "raid": {"visits": 1, "households": 0, "people": 4},
    }
    assert rows(doc, "fire_safety") == {"all": {"households_visited": 2, "households_equipped": 0, "detectors": 0}}
    assert rows(doc, "release_notices") == {"all": {"notices": 5, "arrived": 2, "not_arrived": 1, "moved": 1,
                                                    "pending": 1, "registered": 1}}


def test_it_counts_the_households_equipped_with_fire_detectors_and_their_categories(centre):
    # Fire detectors are aid of kind fire_detector (money): a large family reached once through the family and once
    # through its member, and a pensioner; aid of another kind or outside the period does not count.
    fund = Fund.objects.create(organisation=centre.org, code="reg", name="Бюджет", source="regional_budget")
    aid = lambda day, kind="fire_detector", quantity=1, **kw: Aid.objects.create(  # noqa: E731
        organisation=centre.org, fund=fund, kind=kind, date=day, amount=Decimal("500"), quantity=quantity, **kw)
    aid(D(2020, 2, 1), quantity=2, family=centre.large)
    aid(D(2020, 3, 1), recipient=centre.member)
    aid(D(2020, 3, 2), quantity=2, recipient=centre.loner)
    aid(D(2020, 3, 3), kind="food_set", recipient=centre.loner)
    aid(D(2021, 1, 1), family=centre.new_day_one)
    doc = build_report("field_work", [centre.org], YEAR, actor=system_actor([centre.org]))
    assert rows(doc, "fire_safety") == {
        "all": {"households_visited": 2, "households_equipped": 2, "detectors": 5},
        "family_large": {"households": 1}, "pensioner": {"households": 1}}


def test_it_renders_both_reports_in_every_format(centre):
    from opora.reports.render import render

    for report in ("family_register", "field_work"):
        doc = build_report(report, [centre.org], YEAR, actor=system_actor([centre.org]))
        for fmt in ("json", "html", "docx", "xlsx", "pdf"):
            body = render(doc, fmt)
            assert len(body) > 100, (report, fmt)
    data = json.loads(render(build_report("field_work", [centre.org], YEAR, actor=system_actor([centre.org])),
                             "json"))
    assert data["report"] == "field_work" and set(data["tables"]) == {"visits", "fire_safety", "release_notices"}


def test_the_annual_report_shows_the_tables_only_when_the_year_has_records(centre):
    doc = build_report("annual", [centre.org], YEAR, actor=system_actor([centre.org]))
    assert {"family_register", "visits", "fire_safety", "release_notices"} <= set(doc.tables())
    assert doc.tables()["family_register"].rows[0].values["end"] == 3
    empty = build_report("annual", [centre.org], Period.year_of(2015), actor=system_actor([centre.org]))
    assert not {"family_register", "visits", "fire_safety", "release_notices"} & set(empty.tables())


def test_a_family_member_link_makes_the_person_part_of_the_household(centre):
    FamilyMember.objects.create(family=centre.new_day_one, full_name="x", recipient=centre.loner)
    assert queries.person_families([centre.loner.pk]) == {centre.loner.pk: {centre.new_day_one.pk}}
