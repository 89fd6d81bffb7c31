"""Issue 10: the four corrections and the tables of the record, on a small centre whose every figure is known.

The centre: two home-care departments (h1, h2), an urgent one (u), a day stay (ds).
- p1 in h1 since 10.01.2019, discharged on 31.12.2020 (the last day of the year);
- p2 in h1 from 01.05.2018 to 31.12.2019 (discharged on the last day of the previous year);
- p3 in h1 since 01.03.2019, transferred to h2: discharged from h1 on 30.04.2020, admitted to h2 on 01.05.2020;
- p4 in h2 since 01.02.2020; p5 served once in urgent; p6 in the day stay (applied online).
Register of home care for 2020, in people: start (31.12.2019) = p1, p3 = 2; admitted = p4 = 1; discharged = p1 = 1;
end (31.12.2020) = p3, p4 = 2. Enrolments would say start 3 (p2 still on), admitted 2, discharged 2.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from opora.billing.models import Charge, FeeDecision
from opora.catalogue.models import Service
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.intake.models import Application
from opora.lib.periods import Period
from opora.org.models import AssignmentPlan
from opora.people.models import Enrolment
from opora.programmes.models import Contract, Programme
from opora.reports import figures
from opora.reports.registry import build_report, system_actor
from opora.reports.render import render
from tests import factories as f

D = datetime.date
YEAR = Period.year_of(2020)


class Centre:
    def __init__(self) -> None:
        self.org = org = f.OrganisationFactory(code="r")
        dept = lambda code, kind: f.DepartmentFactory(organisation=org, code=code, kind=kind, name=code)  # noqa: E731
        self.h1, self.h2, self.u, self.ds = (dept("h1", "home_care"), dept("h2", "home_care"), dept("u", "urgent"),
                                             dept("ds", "day_stay"))
        svc = lambda code, name, type_, list_: Service.objects.create(  # noqa: E731
            organisation=org, code=code, name=name, type=type_, list=list_, unit="услуга")
        self.household = svc("1.1", "Покупка продуктов", "household", "basic")
        self.nurse = svc("2.1", "Сиделка", "medical", "additional")
        self.urgent = svc("8.1", "Продуктовый набор", "urgent", "basic")
        people = [f.RecipientFactory(organisation=org, sector="city") for _ in range(6)]
        self.p1, self.p2, self.p3, self.p4, self.p5, self.p6 = people

        def enrol(p, d, admitted, discharged=None, reason="own_request"):
            return f.EnrolmentFactory(recipient=p, department=d, admitted_on=admitted, discharged_on=discharged,
                                      discharge_reason=reason if discharged else "")

        enrol(self.p1, self.h1, D(2019, 1, 10), D(2020, 12, 31))
        enrol(self.p2, self.h1, D(2018, 5, 1), D(2019, 12, 31))
        enrol(self.p3, self.h1, D(2019, 3, 1), D(2020, 4, 30))
        enrol(self.p3, self.h2, D(2020, 5, 1))
        enrol(self.p4, self.h2, D(2020, 2, 1))

        def line(p, d, s, day, qty, amount="0"):
            Delivery.objects.create(organisation=org, recipient=p, department=d, service=s, date=day, quantity=qty,
                                    list=s.list, amount=Decimal(amount))

        line(self.p1, self.h1, self.household, D(2020, 1, 5), 1)
        line(self.p1, self.h1, self.nurse, D(2020, 2, 1), 1, "500.00")
        line(self.p3, self.h1, self.household, D(2020, 3, 2), 2)
        line(self.p3, self.h2, self.household, D(2020, 6, 3), 3)
        line(self.p4, self.h2, self.household, D(2020, 2, 10), 4)
        line(self.p5, self.u, self.urgent, D(2020, 3, 3), 1)
        line(self.p6, self.ds, self.household, D(2020, 9, 1), 2)
        line(self.p1, self.h1, self.household, D(2019, 6, 1), 2)       # previous year
        line(self.p2, self.h1, self.nurse, D(2019, 7, 1), 1, "300.00")  # previous year
        aggregates.refresh_organisation(org.pk)
        for d, services, people_ in ((self.h1, 100, 4), (self.h2, 100, 4), (self.u, 10, 2)):
            AssignmentPlan.objects.create(organisation=org, department=d, year=2020, services_plan=services,
                                          recipients_plan=people_)

        # Intake: p4 applied in person (home, recognised 2020), p6 online (semi-stationary, recognised), p5 by phone
        # (home, refused); p1 applied in 2018 (outside).
        def apply(p, number, d, form, channel, received, status="registered", decided=None):
            return Application.objects.create(
                organisation=org, number=number, received_on=received, channel=channel, recipient=p,
                requested_form=form, department=d, status=status, decided_on=decided,
                decision_due=received + datetime.timedelta(days=7),
                refusal_reason="нет оснований" if status == "refused" else "")

        apply(self.p1, "A-1", self.h1, "home", "in_person", D(2018, 12, 1), "recognised", D(2018, 12, 5))
        a4 = apply(self.p4, "A-4", self.h2, "home", "in_person", D(2020, 1, 20), "recognised", D(2020, 1, 24))
        apply(self.p6, "A-6", self.ds, "semi_stationary", "online", D(2020, 8, 3), "recognised", D(2020, 8, 5))
        apply(self.p5, "A-5", self.h1, "home", "phone", D(2020, 12, 28))  # decided next year: not refused in 2020
        apply(self.p2, "A-2", self.h1, "home", "phone", D(2019, 12, 20), "refused", D(2020, 1, 9))
        prog = Programme.objects.create(organisation=org, recipient=self.p4, application=a4, number="P-4",
                                        drawn_up_on=D(2020, 1, 28), valid_from=D(2020, 2, 1),
                                        valid_to=D(2022, 1, 31), form="home", department=self.h2)
        Contract.objects.create(organisation=org, recipient=self.p4, programme=prog, number="C-4",
                                signed_on=D(2020, 1, 30), valid_from=D(2020, 2, 1), payment="partly_paid",
                                monthly_fee=Decimal("150.00"))
        decision = FeeDecision.objects.create(
            organisation=org, recipient=self.p4, programme=prog, decided_on=D(2020, 1, 28), form="home",
            income_total=Decimal("360000"), household_size=1, income_per_capita=Decimal("30000"),
            subsistence_minimum=Decimal("15000"), coefficient=Decimal("1.5"), threshold=Decimal("22500"),
            programme_cost=Decimal("5000"), fee=Decimal("150.00"), branch="income_share")
        # Fees of 2020: February to December = 11 × 150 = 1 650 in h2; one charge without a decision (unknown).
        for month in range(2, 13):
            Charge.objects.create(organisation=org, recipient=self.p4, month=D(2020, month, 1),
                                  receipt_number=f"R-{month}", basic_fee=Decimal("150.00"),
                                  total=Decimal("150.00"), fee_decision=decision)
        Charge.objects.create(organisation=org, recipient=self.p1, month=D(2019, 3, 1), receipt_number="R-2019",
                              basic_fee=Decimal("100.00"), total=Decimal("100.00"))


@pytest.fixture
def centre(db):
    return Centre()


def build(centre, report="annual", period=YEAR):
    return build_report(report, [centre.org], period, actor=system_actor([centre.org]))


def values(doc, table):
    return {row.key: row.values for row in doc.tables()[table].rows}


# --- the four corrections -----------------------------------------------------------------------------------------

def test_off_the_register_on_the_day_of_discharge_and_a_transfer_is_no_movement(centre):
    doc = build(centre)
    register = values(doc, "home_care_register")["total"]
    movement = values(doc, "home_care_movement")["all"]
    assert register == {"start": 2, "end": 2, "deviation": 0}
    assert (movement["admitted"], movement["discharged"]) == (1, 1)
    assert register["start"] + movement["admitted"] - movement["discharged"] == register["end"]
    assert movement["served"] == 3  # p1, p3, p4: p3 served in both departments counts once


def test_the_spells_merge_a_transfer_on_the_next_day_but_not_a_later_return():
    rows = [{"recipient_id": 1, "sector": "city", "admitted_on": D(2020, 1, 1), "discharged_on": D(2020, 3, 31)},
            {"recipient_id": 1, "sector": "city", "admitted_on": D(2020, 4, 1), "discharged_on": None},
            {"recipient_id": 2, "sector": "rural", "admitted_on": D(2020, 1, 1), "discharged_on": D(2020, 3, 31)},
            {"recipient_id": 2, "sector": "rural", "admitted_on": D(2020, 4, 2), "discharged_on": None}]
    spells = figures.spells(rows)
    assert [(s.recipient_id, s.admitted_on, s.discharged_on) for s in spells] == [
        (1, D(2020, 1, 1), None), (2, D(2020, 1, 1), D(2020, 3, 31)), (2, D(2020, 4, 2), None)]
    reg = figures.register_of(spells, D(2020, 1, 1), D(2020, 12, 31))
    assert (reg.admitted, reg.discharged, dict(reg.end)) == (3, 1, {"city": 1, "rural": 1})
    assert not figures.on_register(spells[1], D(2020, 3, 31))  # off on the day of discharge


def test_the_assignment_counts_people_across_a_kind_and_sums_the_kinds(centre):
    table = values(build(centre), "state_assignment")
    # ds has a fact but no plan: shown, but out of the total (as before)
    assert list(table) == ["ds", "h1", "h2", "u", "home_care", "total"]
    assert (table["h1"]["recipients_fact"], table["h2"]["recipients_fact"]) == (2, 2)  # p3 in each
    assert table["home_care"] == {"services_plan": 200, "services_fact": 11, "services_pct": Decimal("5.50"),
                                  "recipients_plan": 8, "recipients_fact": 3, "recipients_pct": Decimal("37.50")}
    assert table["total"] == {"services_plan": 210, "services_fact": 12, "services_pct": Decimal("5.71"),
                              "recipients_plan": 10, "recipients_fact": 4, "recipients_pct": Decimal("40.00")}
    # The state_assignment report and journal_summary give the same rows.
    assert values(build(centre, "state_assignment"), "state_assignment") == table
    assert values(build(centre, "journal_summary"), "state_assignment") == table


def test_the_annual_total_of_recipients_is_the_sum_over_kinds_in_people(centre):
    # p3 was served in h1 and in h2: one home-care recipient. Home care {p1, p3, p4} + urgent {p5} + day stay {p6}
    # = 5 (RULES.md: «530 487 услуг 3 807 получателям»); the sum over departments would say 2 + 2 + 1 + 1 = 6.
    totals = values(build(centre), "totals")["all"]
    assert (totals["recipients_total"], totals["persons_distinct"]) == (5, 5)
    # p5 served in the day stay as well: a recipient of two kinds counts in each, but is one person
    Delivery.objects.create(organisation=centre.org, recipient=centre.p5, department=centre.ds,
                            service=centre.household, date=D(2020, 10, 1), quantity=1, list="basic", amount=0)
    aggregates.refresh_organisation(centre.org.pk)
    totals = values(build(centre), "totals")["all"]
    assert (totals["recipients_total"], totals["persons_distinct"]) == (6, 5)


def test_a_quarter_compares_the_year_to_date_in_both_reports(centre):
    q2 = Period.quarter_of(2020, 2)
    annual = values(build(centre, period=q2), "state_assignment")
    report = values(build(centre, "state_assignment", q2), "state_assignment")
    assert annual == report == values(build(centre, "journal_summary", q2), "state_assignment")
    # January to June: h2 has 4 (Feb) + 3 (Jun) services, not the quarter's 3.
    assert annual["h2"]["services_fact"] == 7 and annual["total"]["services_fact"] == 12
    assert figures.year_to_date(q2) == Period.range_of(D(2020, 1, 1), D(2020, 6, 30))
    assert figures.year_to_date(YEAR) == YEAR


def test_income_is_the_journal_plus_the_monthly_fees(centre):
    doc = build(centre)
    yoy = values(doc, "home_care_yoy")["income"]
    # 2020: 500 (journal, additional) + 11 × 150 (fees) = 2 150; 2019: 300 (journal) + 100 (a fee with no
    # department: not home care) = 300.
    assert yoy == {"previous": Decimal("300.00"), "current": Decimal("2150.00"), "change_pct": Decimal("616.67")}
    income = values(doc, "income")
    assert income["h1"] == {"basic": Decimal("0.00"), "additional": Decimal("500.00"), "total": Decimal("500.00"),
                            "previous": Decimal("300.00"), "change_pct": Decimal("66.67")}
    assert income["h2"] == {"basic": Decimal("1650.00"), "additional": Decimal("0.00"),
                            "total": Decimal("1650.00"), "previous": Decimal("0.00"), "change_pct": None}
    assert income["unknown"]["previous"] == Decimal("100.00") and income["unknown"]["total"] == Decimal("0.00")
    assert income["total"] == {"basic": Decimal("1650.00"), "additional": Decimal("500.00"),
                               "total": Decimal("2150.00"), "previous": Decimal("400.00"),
                               "change_pct": Decimal("437.50")}


# --- the tables of the record ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("report", ["annual", "journal_summary"])
def test_services_by_department_type_and_by_service(centre, report):
    doc = build(centre, report)
    assert values(doc, "services_by_department_type") == {
        "ds:household": {"basic": 2, "additional": 0, "people": 1},
        "h1:household": {"basic": 3, "additional": 0, "people": 2},
        "h1:medical": {"basic": 0, "additional": 1, "people": 1},
        "h2:household": {"basic": 7, "additional": 0, "people": 2},
        "u:urgent": {"basic": 1, "additional": 0, "people": 1}}
    assert values(doc, "services_by_service") == {
        "1.1": {"services": 12, "people": 4, "amount": Decimal("0.00")},
        "2.1": {"services": 1, "people": 1, "amount": Decimal("500.00")},
        "8.1": {"services": 1, "people": 1, "amount": Decimal("0.00")}}
    assert {r.key: r.label for r in doc.tables()["services_by_service"].rows}["2.1"] == "Сиделка"


@pytest.mark.parametrize("report", ["annual", "journal_summary"])
def test_intake_by_form_and_by_channel(centre, report):
    doc = build(centre, report)
    assert values(doc, "intake") == {
        "home": {"applications": 2, "recognised": 1, "refused": 1, "programmes": 1, "contracts": 1},
        "semi_stationary": {"applications": 1, "recognised": 1, "refused": 0, "programmes": 0, "contracts": 0},
        "all": {"applications": 3, "recognised": 2, "refused": 1, "programmes": 1, "contracts": 1}}
    assert values(doc, "applications_by_channel") == {"in_person": {"applications": 1},
                                                      "phone": {"applications": 1}, "online": {"applications": 1}}


def test_a_quarter_shows_the_quarter_in_the_record_tables(centre):
    doc = build(centre, period=Period.quarter_of(2020, 1))
    assert values(doc, "intake")["all"] == {"applications": 1, "recognised": 1, "refused": 1, "programmes": 1,
                                            "contracts": 1}
    assert values(doc, "income")["h2"]["basic"] == Decimal("300.00")  # February and March fees
    assert values(doc, "services_by_department_type")["h2:household"] == {"basic": 4, "additional": 0, "people": 1}


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx", "pdf"])
def test_the_new_tables_render_in_every_format(centre, fmt):
    doc = build(centre)
    data = render(doc, fmt)
    assert data
    if fmt == "json":
        import json
        tables = json.loads(data)["tables"]
        assert tables["income"]["rows"][-1]["total"] == 2150.0
        assert tables["services_by_department_type"]["rows"][0]["key"] == "ds:household"


@pytest.mark.parametrize("report", ["annual", "journal_summary"])
def test_a_fixed_number_of_queries_however_long_the_history(centre, report):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build(centre, report)
        return len(ctx.captured_queries)

    before = count()
    for year in range(2010, 2019):
        for month in (1, 6, 11):
            Delivery.objects.create(organisation=centre.org, recipient=centre.p2, department=centre.h1,
                                    service=centre.nurse, date=D(year, month, 2), quantity=1, list="additional",
                                    amount=Decimal("10.00"))
            Charge.objects.create(organisation=centre.org, recipient=centre.p2, month=D(year, month, 1),
                                  receipt_number=f"H-{year}-{month}", basic_fee=Decimal("1.00"))
    aggregates.refresh_organisation(centre.org.pk)
    assert count() == before


@pytest.mark.parametrize("report", ["annual", "journal_summary"])
def test_the_journal_and_the_aggregates_give_the_same_tables(centre, report):
    # 01.01–30.12 is cut inside December: read from the journal; nothing was delivered on 31.12.
    from_aggregates = build(centre, report)
    from_journal = build(centre, report, Period.range_of(D(2020, 1, 1), D(2020, 12, 30)))
    for table in ("services_by_department_type", "services_by_service", "intake", "applications_by_channel"):
        assert values(from_journal, table) == values(from_aggregates, table), table
    if report == "journal_summary":
        assert values(from_journal, "by_department") == values(from_aggregates, "by_department")
        assert values(from_journal, "by_type") == values(from_aggregates, "by_type")


# --- groups of categories -------------------------------------------------------------------------------------------

def test_by_category_tables_count_the_groups_an_administrator_edits(centre):
    from opora.people.categories import do_create_category_group
    from opora.people.models import Category, CategoryGroup

    cat = {c.code: c for c in Category.objects.all()}
    centre.p1.categories.set([cat["pensioner"], cat["disabled_2"]])
    centre.p3.categories.set([cat["pensioner"], cat["labour_veteran"]])
    # p5's family is a large family: a family category counts for its members
    family = f.FamilyFactory(organisation=centre.org)
    family.categories.set([cat["family_large"]])
    centre.p5.family = family
    centre.p5.save()
    doc = build(centre)
    home = values(doc, "home_care_by_category_group")
    assert list(home) == ["pensioners", "pensioners_disabled", "others", "families_with_children", "total"]
    assert home == {"pensioners": {"recipients": 2}, "pensioners_disabled": {"recipients": 1},
                    "others": {"recipients": 1}, "families_with_children": {"recipients": 0},
                    "total": {"recipients": 3}}
    urgent = values(doc, "urgent_by_category_group")
    assert urgent["families_with_children"] == {"recipients": 1, "services": 1}
    assert urgent["others"] == {"recipients": 0, "services": 0}
    # journal_summary shows the same tables, for any period (a period cut inside a month reads the journal)
    for period in (YEAR, Period.range_of(D(2020, 1, 1), D(2020, 12, 30))):
        summary = build(centre, "journal_summary", period)
        assert values(summary, "home_care_by_category_group") == home
        assert values(summary, "urgent_by_category_group") == urgent

    # An administrator adds a group: labour veterans, within the pensioners. An analyst may not.
    from django.core.exceptions import PermissionDenied

    from opora.accounts.actions import do_create_user
    from opora.accounts.actor import Actor

    with pytest.raises(PermissionDenied):
        do_create_category_group({"code": "x"}, actor=system_actor([centre.org]), organisation_id=centre.org.pk)
    actor = Actor.for_user(do_create_user("adm", role="admin", organisation=centre.org, password="demo-pass-1",
                                          check_password=False))
    do_create_category_group({"code": "veterans", "name": "Ветераны труда", "parent": CategoryGroup.objects.get(
        code="pensioners"), "categories": [cat["labour_veteran"]], "rest": False, "sort": 15}, actor=actor,
        organisation_id=centre.org.pk)
    home = values(build(centre), "home_care_by_category_group")
    assert list(home)[:3] == ["pensioners", "veterans", "pensioners_disabled"] and home["veterans"] == {
        "recipients": 1}


def test_an_administrator_edits_the_groups_on_their_page(db):
    from django.test import Client

    from opora.accounts.actions import do_create_user
    from opora.people.models import Category, CategoryGroup

    org = f.OrganisationFactory(code="g")
    client = Client()
    client.force_login(do_create_user("adm", role="admin", organisation=org, password="demo-pass-1",
                                      check_password=False))
    page = client.get("/catalogue/category_groups/")
    assert page.status_code == 200 and "pensioners_disabled" in page.content.decode()
    veteran = Category.objects.get(code="labour_veteran")
    answer = client.post("/catalogue/category_groups/new/", {"code": "veterans", "name": "Ветераны",
                                                              "categories": [veteran.pk], "sort": 50})
    assert answer.status_code == 302
    assert list(CategoryGroup.objects.get(code="veterans").categories.values_list("code", flat=True)) == [
        "labour_veteran"]
    # the rest group takes no categories: a clear error, nothing changed
    others = CategoryGroup.objects.get(code="others")
    answer = client.post(f"/catalogue/category_groups/{others.pk}/", {"code": "others", "rest": "on",
                                                                      "categories": [veteran.pk], "sort": 30})
    assert answer.status_code == 200 and not others.categories.exists()


@pytest.mark.parametrize("period", [YEAR, Period.range_of(D(2020, 1, 1), D(2020, 12, 15))],
                         ids=["aggregates", "journal"])
def test_people_are_distinct_at_each_level_service_type_and_department(centre, period):
    # p1 gets a second household service in h1 (already served 1.1 there) and the same in h2; p3 (1.1 in h1 and h2)
    # gets it in h2 (record_tables.people_counts): a type's people are distinct people, a service's too.
    laundry = Service.objects.create(organisation=centre.org, code="1.2", name="Стирка", type="household",
                                     list="basic", unit="услуга")
    for p, d in ((centre.p1, centre.h1), (centre.p1, centre.h1), (centre.p1, centre.h2), (centre.p3, centre.h2)):
        Delivery.objects.create(organisation=centre.org, recipient=p, department=d, service=laundry,
                                date=D(2020, 10, 5), quantity=1, list="basic", amount=Decimal(0))
    aggregates.refresh_organisation(centre.org.pk)
    doc = build(centre, "journal_summary", period)
    by_type = values(doc, "services_by_department_type")
    assert by_type["h1:household"] == {"basic": 3 + 2, "additional": 0, "people": 2}  # p1 once, p3
    assert by_type["h2:household"] == {"basic": 7 + 2, "additional": 0, "people": 3}  # p3 once, p4, p1
    by_service = values(doc, "services_by_service")
    assert by_service["1.1"]["people"] == 4 and by_service["1.2"] == {"services": 4, "people": 2,
                                                                      "amount": Decimal("0.00")}


def test_the_register_leaves_out_only_enrolments_that_cannot_change_it(db):
    """kind_register does not read the enrolments discharged before the day before the period (issue 18: half of a
    region's); the register and the movement are those of the spells of ALL the enrolments (figures.spells)."""
    centre = Centre()
    start, end = D(2020, 1, 1), D(2020, 12, 31)
    chains = [  # (admitted, discharged) per person, in the two home-care departments by turns
        [(D(2017, 1, 1), D(2018, 6, 30)), (D(2018, 7, 1), None)],                  # an old start, open
        [(D(2019, 1, 1), D(2019, 12, 29)), (D(2019, 12, 30), D(2020, 3, 1))],       # old, then on the 30th
        [(D(2019, 1, 1), D(2019, 12, 29)), (D(2019, 12, 31), D(2020, 3, 1))],       # a gap: a new spell
        [(D(2018, 1, 1), D(2019, 12, 30)), (D(2019, 12, 31), D(2020, 1, 1))],       # discharged on the day before
        [(D(2018, 1, 1), D(2019, 5, 1)), (D(2019, 3, 1), D(2019, 12, 30)), (D(2019, 12, 31), None)],  # overlap
        [(D(2016, 1, 1), D(2017, 1, 1)), (D(2019, 12, 31), D(2020, 12, 31))],       # an old spell, then another
        [(D(2018, 1, 1), D(2019, 12, 30)), (D(2020, 6, 1), None)],                  # back in the period
    ]
    for chain in chains:
        person = f.RecipientFactory(organisation=centre.org, sector="rural")
        for i, (admitted, discharged) in enumerate(chain):
            f.EnrolmentFactory(recipient=person, department=(centre.h1, centre.h2)[i % 2], admitted_on=admitted,
                               discharged_on=discharged, discharge_reason="own_request" if discharged else "")
    ids = [centre.h1.pk, centre.h2.pk]
    every = Enrolment.objects.filter(department_id__in=ids, admitted_on__lte=end).values(
        "recipient_id", "admitted_on", "discharged_on", sector=F("recipient__sector"))
    assert every.filter(discharged_on__lt=D(2019, 12, 31)).count() >= 8  # some are left out
    expected = figures.register_of(figures.spells(list(every)), start, end)
    got = figures.kind_register(ids, start, end)
    assert (dict(got.start), dict(got.end), got.admitted, got.discharged) == (
        dict(expected.start), dict(expected.end), expected.admitted, expected.discharged)
    assert got.start["rural"] == 6 and got.admitted >= 1  # the chains do reach the register and the movement


def test_the_register_counted_in_sql_is_that_of_the_spells_merged_in_python(db):
    """kind_register (window functions in the database) gives `register_of(spells(…))` of every enrolment of the
    departments, on random chains: transfers on the same and the next day, gaps of two days, overlaps, admissions on
    the same day (ties), open enrolments, several sectors, people on none of the dates."""
    import random

    centre = Centre()
    rnd = random.Random(18)
    start, end = D(2020, 1, 1), D(2020, 12, 31)
    for n in range(60):
        person = f.RecipientFactory(organisation=centre.org, sector=("city", "rural", "")[n % 3])
        day = D(2018, 1, 1) + datetime.timedelta(days=rnd.randrange(0, 1000))
        for i in range(rnd.randrange(1, 5)):
            admitted = day
            discharged = None if rnd.random() < 0.2 else admitted + datetime.timedelta(days=rnd.randrange(0, 300))
            if discharged is not None and discharged > D(2021, 6, 1):
                discharged = None
            f.EnrolmentFactory(recipient=person, department=(centre.h1, centre.h2)[i % 2], admitted_on=admitted,
                               discharged_on=discharged, discharge_reason="own_request" if discharged else "")
            if discharged is None:
                break
            day = rnd.choice([discharged, discharged + datetime.timedelta(days=1),
                              discharged + datetime.timedelta(days=2), admitted,
                              admitted + datetime.timedelta(days=rnd.randrange(0, 60))])
    ids = [centre.h1.pk, centre.h2.pk]
    for first, last in ((start, end), (D(2019, 1, 1), D(2019, 12, 31)), (D(2020, 5, 1), D(2020, 5, 31))):
        every = Enrolment.objects.filter(department_id__in=ids, admitted_on__lte=last).values(
            "recipient_id", "admitted_on", "discharged_on", sector=F("recipient__sector"))
        expected = figures.register_of(figures.spells(list(every)), first, last)
        got = figures.kind_register(ids, first, last)
        assert (dict(got.start), dict(got.end), got.admitted, got.discharged) == (
            dict(expected.start), dict(expected.end), expected.admitted, expected.discharged)
    assert sum(expected.start.values()) and expected.admitted and expected.discharged  # the counts are not all 0
