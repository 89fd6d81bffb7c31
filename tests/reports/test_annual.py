"""The annual analysis (`annual`): every figure of every table on a small centre built here with known answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.catalogue.models import Service
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.lib.periods import Period
from opora.org.models import AssignmentPlan
from opora.people.models import Category
from opora.reports.generators import state_assignment
from opora.reports.registry import build_report, get_generator, system_actor
from opora.reports.render import render
from tests import factories as f

D = datetime.date
YEAR = Period.year_of(2020)


class Centre:
    """Two home-care departments (h1, h2), urgent, day stay, an inactive one and the administration."""

    def __init__(self, code: str = "t"):
        self.org = org = f.OrganisationFactory(code=code)
        dept = lambda code, kind, **kw: f.DepartmentFactory(organisation=org, code=code, kind=kind, **kw)  # noqa: E731
        self.h1, self.h2 = dept("h1", "home_care", name="Надомное 1"), dept("h2", "home_care", name="Надомное 2")
        self.urg, self.ds = dept("urg", "urgent"), dept("ds", "day_stay")
        self.old, self.adm = dept("old", "social_adaptation", is_active=False), dept("adm", "administration")
        svc = lambda code, type_, list_: Service.objects.create(  # noqa: E731
            organisation=org, code=code, name=code, type=type_, list=list_, unit="услуга")
        self.household = svc("1.1", "household", "basic")
        self.medical = svc("2.1", "medical", "additional")
        self.urgent = svc("8.1", "urgent", "basic")
        cats = {c: Category.objects.get_or_create(code=c)[0] for c in ("pensioner", "lonely", "labour_veteran")}

        def person(sector, *categories):
            p = f.RecipientFactory(organisation=org, sector=sector)
            p.categories.set([cats[c] for c in categories])
            return p

        def enrol(p, dept, admitted, discharged=None):
            f.EnrolmentFactory(recipient=p, department=dept, admitted_on=admitted, discharged_on=discharged,
                               discharge_reason="own_request" if discharged else "")

        self.a, self.b = person("city", "pensioner", "lonely"), person("private", "pensioner")
        self.c, self.d = person("rural", "labour_veteran"), person("rural")
        self.e, self.fp = person("city"), person("", "pensioner")
        enrol(self.a, self.h1, D(2019, 5, 1))
        enrol(self.b, self.h1, D(2020, 3, 10))
        enrol(self.c, self.h2, D(2018, 1, 1), D(2020, 6, 30))
        enrol(self.d, self.h2, D(2019, 2, 1), D(2019, 11, 15))
        enrol(self.e, self.h2, D(2020, 12, 31))

        def line(p, dept, service, day, qty, amount="0"):
            Delivery.objects.create(organisation=org, recipient=p, department=dept, service=service, date=day,
                                    quantity=qty, list=service.list, amount=Decimal(amount))

        # 2020
        line(self.a, self.h1, self.household, D(2020, 1, 15), 3)
        line(self.a, self.h1, self.medical, D(2020, 2, 10), 2, "100.00")
        line(self.a, self.urg, self.urgent, D(2020, 4, 1), 1)
        line(self.b, self.h1, self.household, D(2020, 3, 15), 2)
        line(self.b, self.h1, self.household, D(2020, 12, 31), 1)
        line(self.c, self.h2, self.household, D(2020, 6, 1), 4)
        line(self.c, self.h2, self.medical, D(2020, 6, 2), 1, "60.00")
        line(self.e, self.h2, self.household, D(2020, 12, 31), 1)
        line(self.fp, self.urg, self.urgent, D(2020, 5, 5), 2)
        # 2019 (the previous year), 2018 and 2021 (outside both)
        line(self.a, self.h1, self.household, D(2019, 6, 1), 5)
        line(self.c, self.h2, self.medical, D(2019, 7, 1), 1, "40.00")
        line(self.d, self.h2, self.household, D(2019, 10, 1), 2)
        line(self.c, self.h2, self.household, D(2018, 3, 1), 7)
        line(self.a, self.h1, self.household, D(2021, 1, 5), 9)
        aggregates.refresh_organisation(org.pk)

        for dept, services, people in ((self.h1, 20, 3), (self.h2, 192, 3), (self.urg, 3, 1)):
            AssignmentPlan.objects.create(organisation=org, department=dept, year=2020, services_plan=services,
                                          recipients_plan=people)
        AssignmentPlan.objects.create(organisation=org, department=self.ds, year=2019, services_plan=5,
                                      recipients_plan=5)  # another year: not shown
        emp = lambda dept, position, hired, dismissed=None: f.EmployeeFactory(  # noqa: E731
            organisation=org, department=dept, position=position, hired_on=hired, dismissed_on=dismissed)
        emp(self.h1, "social_worker", D(2015, 1, 1))
        emp(self.h1, "social_worker", D(2020, 4, 1))  # hired in 2020
        emp(self.h2, "social_worker", D(2016, 1, 1), D(2020, 8, 31))  # dismissed in 2020
        emp(self.h2, "social_worker", D(2010, 1, 1), D(2020, 12, 31))  # dismissed on the last day: still counts
        emp(self.urg, "social_work_specialist", D(2012, 1, 1))
        emp(self.adm, "director", D(2000, 1, 1))
        emp(self.urg, "social_worker", D(2021, 2, 1))  # hired later


@pytest.fixture
def centre(db):
    return Centre()


def build(centre, period=YEAR):
    return build_report("annual", [centre.org], period, actor=system_actor([centre.org]))


def values(doc, table):
    return {row.key: row.values for row in doc.tables()[table].rows}


def test_it_counts_the_totals_and_services_by_type(centre):
    doc = build(centre)
    assert values(doc, "totals") == {"all": {"services_total": 17, "services_basic": 14, "services_additional": 3,
                                             "recipients_total": 6, "persons_distinct": 5}}
    by_type = values(doc, "services_by_type")
    assert list(by_type) == ["household", "medical", "psychological", "pedagogical", "labour", "legal",
                             "communicative", "urgent"]
    assert by_type["household"] == {"basic": 11, "additional": 0}
    assert by_type["medical"] == {"basic": 0, "additional": 3}
    assert by_type["urgent"] == {"basic": 3, "additional": 0}
    assert all(v == {"basic": 0, "additional": 0} for k, v in by_type.items()
               if k not in ("household", "medical", "urgent"))


def test_it_computes_the_state_assignment_with_half_up_rounding_and_the_sum_over_departments(centre):
    table = values(build(centre), "state_assignment")
    assert list(table) == ["h1", "h2", "urg", "home_care", "total"]
    assert table["h1"] == {"services_plan": 20, "services_fact": 8, "services_pct": Decimal("40.00"),
                           "recipients_plan": 3, "recipients_fact": 2, "recipients_pct": Decimal("66.67")}
    # 6 / 192 × 100 = 3.125: half-up gives 3.13 (half-even would give 3.12)
    assert table["h2"] == {"services_plan": 192, "services_fact": 6, "services_pct": Decimal("3.13"),
                           "recipients_plan": 3, "recipients_fact": 2, "recipients_pct": Decimal("66.67")}
    assert table["urg"] == {"services_plan": 3, "services_fact": 3, "services_pct": Decimal("100.00"),
                            "recipients_plan": 1, "recipients_fact": 2, "recipients_pct": Decimal("200.00")}
    # the two home-care departments together: a, b in h1; c, e in h2 — four people
    assert table["home_care"] == {"services_plan": 212, "services_fact": 14, "services_pct": Decimal("6.60"),
                                  "recipients_plan": 6, "recipients_fact": 4, "recipients_pct": Decimal("66.67")}
    # the total of recipients is the sum over kinds: home care 4 + urgent 2
    assert table["total"] == {"services_plan": 215, "services_fact": 17, "services_pct": Decimal("7.91"),
                              "recipients_plan": 7, "recipients_fact": 6, "recipients_pct": Decimal("85.71")}


def test_it_counts_the_home_care_register_by_sector_and_its_movement(centre):
    doc = build(centre)
    register = values(doc, "home_care_register")
    assert register == {"city": {"start": 1, "end": 2, "deviation": 1},
                        "private": {"start": 0, "end": 1, "deviation": 1},
                        "rural": {"start": 1, "end": 0, "deviation": -1},
                        "total": {"start": 2, "end": 3, "deviation": 1}}
    movement = values(doc, "home_care_movement")["all"]
    assert movement == {"admitted": 2, "discharged": 1, "served": 4}
    assert register["total"]["start"] + movement["admitted"] - movement["discharged"] == register["total"]["end"]


def test_it_counts_home_care_recipients_by_category_with_bars_not_a_pie(centre):
    doc = build(centre)
    assert values(doc, "home_care_by_category") == {"pensioner": {"recipients": 2}, "lonely": {"recipients": 1},
                                                    "labour_veteran": {"recipients": 1}}
    chart = next(c for c in doc.charts() if c.id == "recipients_by_category")
    # a person may be in several categories: the shares of a pie would not add up, so bars with the note
    assert chart.kind == "bar" and sorted(chart.series[0].values) == [1, 1, 2]
    assert "нескольким категориям" in chart.note


def test_it_compares_home_care_services_and_income_with_the_previous_year(centre):
    doc = build(centre)
    assert values(doc, "home_care_yoy") == {
        "services": {"previous": 8, "current": 14, "change_pct": Decimal("75.00")},
        "income": {"previous": Decimal("40.00"), "current": Decimal("160.00"), "change_pct": Decimal("300.00")}}
    bars = next(c for c in doc.charts() if c.id == "services_yoy")
    assert bars.kind == "bar" and [s.values for s in bars.series] == [[5, 3], [8, 6]]
    assert doc.previous_period is not None and doc.previous_period.start == D(2019, 1, 1)


def test_it_counts_staff_and_the_average_load(centre):
    doc = build(centre)
    assert values(doc, "staff") == {"all": {"total": 5, "social_workers": 3, "hired": 1, "dismissed": 2}}
    assert values(doc, "avg_load") == {"all": {"social_workers": 3, "recipients_served": 4,
                                               "load": Decimal("1.33")}}
    assert "trained" not in values(doc, "staff")["all"]


def test_it_shows_the_structure_and_the_plan_fact_chart_and_nothing_invented(centre):
    doc = build(centre)
    assert values(doc, "structure") == {"home_care": {"departments": 2}, "urgent": {"departments": 1},
                                        "day_stay": {"departments": 1}, "total": {"departments": 4}}
    chart = next(c for c in doc.charts() if c.id == "plan_fact")
    assert [s.values for s in chart.series] == [[20, 192, 3], [8, 6, 3]]
    assert set(doc.tables()) == {"structure", "staff", "totals", "services_by_type", "state_assignment",
                                 "home_care_register", "home_care_movement", "home_care_by_category",
                                 "home_care_yoy", "avg_load", "urgent_by_category", "day_stay",
                                 "social_adaptation", "services_by_department_type", "services_by_service",
                                 "income", "intake", "applications_by_channel", "home_care_by_category_group",
                                 "urgent_by_category_group"}
    assert (doc.report_id, doc.organisation_code, doc.period.start, doc.period.end) == (
        "annual", "t", D(2020, 1, 1), D(2020, 12, 31))


def test_it_reads_a_period_cut_inside_months_from_the_journal(centre):
    doc = build(centre, Period.range_of(D(2020, 1, 15), D(2020, 3, 14)))
    assert values(doc, "totals")["all"] == {"services_total": 5, "services_basic": 3, "services_additional": 2,
                                            "recipients_total": 1, "persons_distinct": 1}
    assert values(doc, "home_care_movement")["all"] == {"admitted": 1, "discharged": 0, "served": 1}


def test_it_builds_a_quarter_against_the_same_quarter_of_the_previous_year(centre):
    doc = build(centre, Period.quarter_of(2020, 2))
    assert values(doc, "totals")["all"]["services_total"] == 1 + 4 + 1 + 2
    yoy = values(doc, "home_care_yoy")
    assert (yoy["services"]["previous"], yoy["services"]["current"]) == (5, 5)


def test_it_runs_a_fixed_number_of_queries_whatever_the_history(centre):
    generator = get_generator("annual")
    actor = system_actor([centre.org])
    with CaptureQueriesContext(connection) as first:
        generator.build([centre.org], YEAR, actor=actor)
    # Ten more years of history, twelve lines a year.
    for year in range(2005, 2015):
        for month in range(1, 13):
            Delivery.objects.create(organisation=centre.org, recipient=centre.c, department=centre.h2,
                                    service=centre.household, date=D(year, month, 3), quantity=1, list="basic")
    aggregates.refresh_organisation(centre.org.pk)
    with CaptureQueriesContext(connection) as second:
        doc = generator.build([centre.org], YEAR, actor=actor)
    # Twelve queries for the original tables, the fees (2) and the people of a kind (1) for the corrections,
    # eleven for the tables of the record (record_tables.py) and eight for the groups of categories (the record's
    # tables reuse the sums and the fees the report read already); one for whether the year holds money records,
    # one for quality records, three for the family register and the field work (issue 14), and four for the
    # taxi, groups and events (issue 13).
    assert len(first) == len(second) <= 39 + 2  # + 2: the brigade's trips and the day-stay shifts (issue 13)
    assert values(doc, "totals")["all"]["services_total"] == 17  # the history does not leak in


def test_it_counts_urgent_service_recipients_and_services_by_category(centre):
    # a (pensioner, lonely) got 1 urgent service, fp (pensioner) 2; a counts in both of her categories.
    doc = build(centre)
    table = values(doc, "urgent_by_category")
    assert list(table) == ["pensioner", "lonely", "total"]
    assert table == {"pensioner": {"recipients": 2, "services": 3}, "lonely": {"recipients": 1, "services": 1},
                     "total": {"recipients": 2, "services": 3}}
    labels = {row.key: row.label for row in doc.tables()["urgent_by_category"].rows}
    assert labels["pensioner"] == Category.objects.get(code="pensioner").label


def test_it_compares_day_stay_and_social_adaptation_with_the_previous_year(centre):
    def line(p, dept, day, qty):
        Delivery.objects.create(organisation=centre.org, recipient=p, department=dept, service=centre.household,
                                date=day, quantity=qty, list="basic")

    line(centre.b, centre.ds, D(2019, 4, 2), 2)
    line(centre.b, centre.ds, D(2020, 4, 2), 2)
    line(centre.b, centre.ds, D(2020, 9, 2), 1)
    line(centre.c, centre.ds, D(2020, 9, 3), 1)
    line(centre.d, centre.old, D(2019, 3, 1), 4)
    line(centre.e, centre.old, D(2020, 2, 1), 3)
    line(centre.e, centre.old, D(2021, 2, 1), 5)  # outside both years
    aggregates.refresh_organisation(centre.org.pk)
    doc = build(centre)
    assert values(doc, "day_stay") == {"all": {
        "services_previous": 2, "services_current": 4, "recipients_previous": 1, "recipients_current": 2,
        "change_pct": Decimal("100.00")}}
    assert values(doc, "social_adaptation") == {"all": {
        "services_previous": 4, "services_current": 3, "recipients_previous": 1, "recipients_current": 1,
        "change_pct": Decimal("-25.00")}}
    assert values(doc, "urgent_by_category")["total"] == {"recipients": 2, "services": 3}


def test_it_shows_empty_day_stay_without_a_change_when_nothing_was_delivered(centre):
    doc = build(centre)
    assert values(doc, "day_stay") == {"all": {
        "services_previous": 0, "services_current": 0, "recipients_previous": 0, "recipients_current": 0,
        "change_pct": None}}


def test_the_income_is_labelled_in_the_currency_of_the_jurisdiction(centre):
    """Issue 17: hryvnias for a Ukrainian organisation (jurisdiction_for(org)), roubles for a Russian one."""

    def income_label(organisations):
        doc = build_report("annual", organisations, YEAR, actor=system_actor(organisations))
        return next(row.label for row in doc.tables()["home_care_yoy"].rows if row.key == "income")

    assert income_label([centre.org]) == "Доход от оказания услуг, руб."
    ua_org = f.OrganisationFactory(code="tc", jurisdiction="ua")
    assert income_label([centre.org, ua_org]) == "Доходы от оказания услуг"  # two currencies: no unit
    centre.org.jurisdiction = "ua"
    centre.org.save(update_fields=["jurisdiction"])
    assert income_label([centre.org]) == "Доход от оказания услуг, грн"


def test_a_calendar_year_counts_its_people_from_the_yearly_aggregates_as_from_the_months(db, monkeypatch):
    """Issue 18: for a whole calendar year the people (of a department, a kind, a service, the organisation, the
    region) are read from RecipientYear / RecipientServiceYear; every figure of the document is the same as when they
    are read from the months, for one organisation and for several; a quarter still reads the months."""
    one, two = Centre(), Centre("t2")
    # a person of the second centre served in both home-care departments and in urgent service in 2020
    for dept, service in ((two.h2, two.household), (two.urg, two.urgent)):
        Delivery.objects.create(organisation=two.org, recipient=two.a, department=dept, service=service,
                                date=D(2020, 9, 1), quantity=1, list=service.list, amount=Decimal(0))
    aggregates.refresh_organisation(two.org.pk)

    def json_of(orgs, period=YEAR):
        with CaptureQueriesContext(connection) as queries:
            body = render(build_report("annual", orgs, period, actor=system_actor(orgs)), "json")
        return body, " ".join(q["sql"] for q in queries.captured_queries)

    for orgs in ([one.org], [one.org, two.org]):
        yearly, sql = json_of(orgs)
        assert "delivery_recipientyear" in sql and "delivery_recipientserviceyear" in sql
        with monkeypatch.context() as m:
            m.setattr(state_assignment, "whole_calendar_year", lambda start, end: None)  # as for any other period
            monthly, sql = json_of(orgs)
        assert "delivery_recipientyear" not in sql and "delivery_recipientservicemonth" in sql
        assert yearly == monthly
    doc = build_report("annual", [one.org, two.org], YEAR, actor=system_actor([one.org, two.org]))
    # 5 distinct people in each centre; in the second, a counts once though served in three departments
    assert values(doc, "totals")["all"]["persons_distinct"] == 10
    # a (already in h1 and urgent) counts once per kind: 6 in each centre, not 6 + 8
    assert values(doc, "totals")["all"]["recipients_total"] == 6 + 6
    assert values(doc, "state_assignment")["h2"]["recipients_fact"] == 2 + 3
    quarter, sql = json_of([one.org], Period.range_of(D(2020, 1, 1), D(2020, 3, 31)))
    assert "delivery_recipientyear" not in sql and "delivery_recipientserviceyear" not in sql
