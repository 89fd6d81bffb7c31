"""Fee decisions: income from the records, household size, ПМ and rules from data, the cost of the programme,
free categories and minors, clear errors when data is missing, scoping, and the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from opora.accounts.roles import Perm
from opora.billing.actions import do_decide_fee
from opora.billing.models import FeeDecision, FeeRules, IncomeRecord, SubsistenceMinimum
from opora.billing.queries import get_programme_for
from opora.lib.errors import DomainError
from opora.people.models import Category, FamilyMember
from tests import factories as f
from tests import factories_billing as b

D = Decimal
APPLIED = datetime.date(2020, 1, 15)
DECIDED = datetime.date(2020, 1, 25)


@pytest.fixture
def case(world):
    """In_caseload applies on 15.01.2020 for home care costing 250 × 20 = 5 000 a month; ПМ 15 000."""
    b.region(world.org, per_capita="15000", pensioner="12000")
    svc = b.service(world.org, "H1", "250.00")
    prog = b.programme(world.in_caseload, world.home1, items=[(svc, 20, "month")], received_on=APPLIED)
    return prog


def test_it_decides_the_worked_example_from_the_records(world, case):
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "24000")
    b.monthly_income(world.in_caseload, datetime.date(2020, 1, 1), 1, "90000")  # the month of application: not counted
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    assert decision.income_total == D("288000.00")
    assert decision.household_size == 1
    assert decision.income_per_capita == D("24000.00")
    assert decision.subsistence_minimum == D("15000.00")
    assert decision.coefficient == D("1.50")
    assert decision.threshold == D("22500.00")
    assert decision.programme_cost == D("5000.00")
    assert (decision.fee, decision.branch) == (D("750.00"), "income_share")
    e = decision.explanation
    assert e["income_months"] == ["2019-01-01", "2020-01-01"]
    assert (e["threshold"], e["programme_cost"], e["fee"]) == ("22500.00", "5000.00", "750.00")
    assert e["subsistence_group"] == "per_capita"
    assert FeeDecision.objects.filter(pk=decision.pk).exists()


def test_it_counts_the_household_without_the_person_twice(world, case):
    family = f.FamilyFactory(organisation=world.org)
    world.in_caseload.family = family
    world.in_caseload.save()
    FamilyMember.objects.create(family=family, full_name="Фёдорова Алёна Петровна", recipient=world.in_caseload)
    FamilyMember.objects.create(family=family, full_name="Фёдоров Пётр Ильич")
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "20000")
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "40000", member="Фёдоров Пётр Ильич")
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    assert decision.household_size == 2
    assert decision.income_per_capita == D("30000.00")  # (20 000 + 40 000) / 2
    assert decision.fee == D("3750.00")
    # an explicit household size overrides the family
    assert do_decide_fee(case, DECIDED, actor=world.actor("accountant"), household_size=3).income_per_capita == \
        D("20000.00")


def test_it_uses_the_pensioners_minimum_for_a_pensioner(world, case):
    world.in_caseload.categories.add(Category.objects.get(code="pensioner"))
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "20000")
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    assert decision.subsistence_minimum == D("12000.00")
    assert decision.threshold == D("18000.00")
    assert decision.fee == D("1000.00")  # 0.5 × (20 000 − 18 000)
    assert decision.explanation["subsistence_group"] == "pensioner"


def test_it_serves_a_free_category_free_whatever_the_income(world, case):
    world.in_caseload.categories.add(Category.objects.get(code="wwii_invalid"))
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "90000")
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    assert (decision.fee, decision.branch, decision.free_category) == (D("0.00"), "free_category", "wwii_invalid")


def test_it_follows_the_regions_own_free_list(world, case):
    rules = FeeRules.objects.create(region=b.REGION, valid_from=datetime.date(2019, 1, 1), coefficient=D("2.00"))
    rules.free_categories.set([Category.objects.get(code="labour_veteran")])
    world.in_caseload.categories.add(Category.objects.get(code="wwii_invalid"))  # free by default, not here
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "40000")
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    assert decision.coefficient == D("2.00")
    assert decision.threshold == D("30000.00")
    assert (decision.fee, decision.branch) == (D("5000.00"), "cost")


def test_it_serves_minors_free(world):
    b.region(world.org)
    child = f.RecipientFactory(organisation=world.org, birth_date=datetime.date(2005, 6, 1))
    svc = b.service(world.org, "H1", "250.00")
    prog = b.programme(child, world.home1, items=[(svc, 20, "month")], received_on=APPLIED)
    b.monthly_income(child, datetime.date(2019, 1, 1), 12, "90000")
    decision = do_decide_fee(prog, DECIDED, actor=world.actor("director"))
    assert (decision.fee, decision.branch, decision.free_category) == (D("0.00"), "free_category", "minor")


def test_it_counts_weekly_volumes_52_weeks_over_12_months(world):
    b.region(world.org)
    weekly = b.service(world.org, "W", "100.00")
    monthly = b.service(world.org, "M", "10.00")
    prog = b.programme(world.in_caseload, world.home1, items=[(weekly, 3, "week"), (monthly, 5, "month")],
                       received_on=APPLIED)
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "90000")
    decision = do_decide_fee(prog, DECIDED, actor=world.actor("accountant"))
    assert decision.programme_cost == D("1350.00")  # 3 × 52 / 12 × 100 + 5 × 10
    assert decision.fee == D("1350.00")


def test_it_names_the_missing_subsistence_minimum_and_stores_nothing(world):
    world.org.region = "Новая область"
    world.org.save()
    svc = b.service(world.org, "H1", "250.00")
    prog = b.programme(world.in_caseload, world.home1, items=[(svc, 20, "month")], received_on=APPLIED)
    with pytest.raises(DomainError) as exc:
        do_decide_fee(prog, DECIDED, actor=world.actor("accountant"))
    assert exc.value.field == "subsistence_minimum"
    assert "Новая область" in exc.value.message and "2020" in exc.value.message
    assert not FeeDecision.objects.exists()


def test_it_lets_only_billing_staff_decide_within_their_scope(world, case):
    with pytest.raises(PermissionDenied):
        do_decide_fee(case, DECIDED, actor=world.actor("social_worker"))
    other = f.RecipientFactory(organisation=world.other_org)
    dept = f.DepartmentFactory(organisation=world.other_org)
    theirs = b.programme(other, dept, received_on=APPLIED)
    with pytest.raises(PermissionDenied):
        do_decide_fee(theirs, DECIDED, actor=world.actor("accountant"))
    with pytest.raises(Http404):
        get_programme_for(world.actor("accountant"), theirs.pk, Perm.EDIT_BILLING)
    assert world.client("accountant").get(reverse("billing:fee_decide", args=[theirs.pk])).status_code == 404
    # a head of home1 views billing but may not decide
    with pytest.raises(PermissionDenied):
        do_decide_fee(case, DECIDED, actor=world.actor("department_head"))
    assert not FeeDecision.objects.exists()


def test_it_decides_from_the_page_and_shows_the_explanation(world, case):
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "24000")
    client = world.client("accountant")
    url = reverse("billing:fee_decide", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decided_on": "2020-01-25", "household_size": ""})
    decision = FeeDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("billing:fee_detail", args=[decision.pk])
    page = client.get(response["Location"]).content.decode()
    for text in ("24 000,00", "22 500,00", "5 000,00", "750,00"):
        assert text in page.replace("\xa0", " ")
    assert world.client("social_worker").get(url).status_code == 403
    assert world.client("accountant").get(reverse("billing:fee_detail", args=[decision.pk])).status_code == 200


def test_it_shows_the_missing_data_error_on_the_page(world):
    world.org.region = "Новая область"
    world.org.save()
    prog = b.programme(world.in_caseload, world.home1, received_on=APPLIED)
    response = world.client("accountant").post(reverse("billing:fee_decide", args=[prog.pk]),
                                               {"decided_on": "2020-01-25"})
    assert response.status_code == 422
    assert "Новая область" in response.content.decode()


def test_it_calculates_on_the_calculator_page(world):
    client = world.client("specialist")
    url = reverse("billing:calculator")
    assert client.get(url).status_code == 200
    data = {"form": "home", "income_per_capita": "30000", "subsistence_minimum": "15000", "coefficient": "1.5",
            "programme_cost": "5000"}
    page = client.post(url, data).content.decode().replace("\xa0", " ")
    assert 'id="fee">3 750,00<' in page and 'data-branch="income_share"' in page and "22 500,00" in page
    partial = client.post(url, {**data, "categories": ["wwii_participant"]}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and 'data-branch="free_category"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    bad = client.post(url, {**data, "coefficient": "1.2"})
    assert bad.status_code == 422 and 'id="field-coefficient"' in bad.content.decode()
    assert world.client("hr").get(url).status_code == 403


def test_it_lets_the_administrator_edit_fee_data(world):
    admin = world.client("admin")
    assert admin.get(reverse("billing:minimums")).status_code == 200
    assert "Кемеровская область" in admin.get(reverse("billing:minimums")).content.decode()  # seeded
    response = admin.post(reverse("billing:minimums_create"), {"region": "Томская область", "year": "2021",
                                                               "group": "per_capita", "amount": "11500.00"})
    assert response.status_code == 302
    assert SubsistenceMinimum.objects.get(region="Томская область").amount == D("11500.00")
    default = FeeRules.objects.get(region="")
    assert set(default.free_categories.values_list("code", flat=True)) == {
        "wwii_invalid", "wwii_participant", "blockade_resident", "disabled_child", "combat_veteran"}
    minimums = admin.get(reverse("billing:minimums"), {"q": "Томская"}).content.decode()
    assert "<td>2021</td>" in minimums and "2\xa0021" not in minimums and "2 021" not in minimums  # a year: no grouping
    assert "11\xa0500,00" in minimums  # an amount: grouped
    bad = admin.post(reverse("billing:rules_create"), {"region": "Томская область", "valid_from": "2021-01-01",
                                                       "coefficient": "1.2"})
    assert bad.status_code == 200 and not FeeRules.objects.filter(region="Томская область").exists()
    assert world.client("accountant").get(reverse("billing:rules")).status_code == 403
    assert world.client("accountant").post(reverse("billing:minimums_create"), {}).status_code == 403


def test_it_records_income_and_prints_the_decision(world, case):
    client = world.client("accountant")
    response = client.post(reverse("billing:income_add", args=[world.in_caseload.pk]),
                           {"month": "2019-05", "source": "пенсия", "amount": "20000", "member_name": ""})
    assert response.status_code == 302
    assert IncomeRecord.objects.get().month == datetime.date(2019, 5, 1)
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    docx = client.get(reverse("billing:fee_print", args=[decision.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(reverse("billing:fee_print", args=[decision.pk, "odt"])).status_code == 404


def test_it_lets_casework_staff_record_income_for_the_people_in_their_scope(world, case):
    """The page, the API and the action agree: specialists and department heads (edit_casework) and accountants
    record income for people in their scope; a social worker may not; a person outside the scope is 404."""
    import json

    data = {"month": "2019-05", "source": "пенсия", "amount": "20000", "member_name": ""}
    specialist = world.client("specialist")
    url = reverse("billing:income_add", args=[world.in_caseload.pk])
    page = specialist.get(url)
    assert page.status_code == 200
    response = specialist.post(url, data)
    assert response.status_code == 302 and response["Location"] == url  # no billing page for a specialist
    record = IncomeRecord.objects.get()
    assert (record.recipient, record.amount) == (world.in_caseload, D("20000"))
    assert "20\xa0000,00" in specialist.get(url).content.decode()
    card = specialist.get(reverse("recipient_detail", args=[world.in_caseload.pk])).content.decode()
    assert url in card
    assert specialist.get(reverse("billing:income_add", args=[world.other_org_person.pk])).status_code == 404
    assert specialist.get(reverse("billing:person", args=[world.in_caseload.pk])).status_code == 403

    head = world.client("department_head")
    response = head.post(reverse("billing:income_add", args=[world.in_caseload.pk]), {**data, "month": "2019-06"})
    assert response.status_code == 302 and response["Location"] == reverse("billing:person",
                                                                           args=[world.in_caseload.pk])
    assert head.post(reverse("billing:income_add", args=[world.in_home2.pk]), data).status_code == 404
    assert world.client("social_worker").get(url).status_code == 403
    assert world.client("analyst").post(url, data).status_code == 403

    api = {"recipient_id": world.in_caseload.pk, "month": "2019-07-01", "source": "пенсия", "amount": 21000}
    response = specialist.post("/api/v1/billing/income", json.dumps(api), content_type="application/json")
    assert response.status_code == 201
    listed = specialist.get("/api/v1/billing/income", {"recipient_id": world.in_caseload.pk}).json()["results"]
    assert sorted(r["month"] for r in listed) == ["2019-05-01", "2019-06-01", "2019-07-01"]
    outside = {**api, "recipient_id": world.in_home2.pk}
    assert head.post("/api/v1/billing/income", json.dumps(outside), content_type="application/json"
                     ).status_code == 404
    assert world.client("social_worker").post("/api/v1/billing/income", json.dumps(api),
                                              content_type="application/json").status_code == 403
    assert IncomeRecord.objects.count() == 3

    # the action itself refuses a person outside the actor's scope, and deleting follows the same rule
    from opora.billing.actions import do_add_income

    with pytest.raises(PermissionDenied):
        do_add_income(world.in_home2, {"month": datetime.date(2019, 8, 1), "source": "пенсия",
                                       "amount": D("1")}, actor=world.actor("department_head"))
    delete = reverse("billing:income_delete", args=[world.in_caseload.pk, record.pk])
    assert specialist.post(delete).status_code == 302
    assert not IncomeRecord.objects.filter(pk=record.pk).exists()
    payment = world.client("accountant").get(reverse("billing:payment_add", args=[world.in_caseload.pk]))
    assert payment.status_code == 200 and "Доходы семьи" not in payment.content.decode()


def test_it_shows_the_application_date_or_says_the_decision_date_stands_in(world, case):
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "24000")
    client = world.client("accountant")
    decision = do_decide_fee(case, DECIDED, actor=world.actor("accountant"))
    page = client.get(reverse("billing:fee_detail", args=[decision.pk])).content.decode()
    assert '<dd id="applied-on">15.01.2020</dd>' in page
    # a decision stored without the date (as the demo once did): the programme's application gives it
    decision.explanation.pop("application_date")
    decision.save()
    page = client.get(reverse("billing:fee_detail", args=[decision.pk])).content.decode()
    assert '<dd id="applied-on">15.01.2020</dd>' in page
    # no application: the decision date, and the page says so
    bare = b.programme(world.in_home2, world.home2, number="P-bare")
    other = do_decide_fee(bare, DECIDED, actor=world.actor("accountant"))
    page = client.get(reverse("billing:fee_detail", args=[other.pk])).content.decode()
    assert '<dd id="applied-on">25.01.2020 <small class="muted">(к программе не привязано заявление' in page
