"""Contracts: signing admits the person, amendments change the fee, termination discharges — atomically; printing;
and the JSON API of programmes and contracts."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as open_docx

from opora.billing.models import FeeDecision
from opora.lib.errors import DomainError
from opora.people.models import Consent, Enrolment
from opora.programmes import queries
from opora.programmes.actions import do_amend_contract, do_sign_contract, do_terminate_contract
from opora.programmes.models import Contract, Payment, Programme, ProgrammeStatus
from tests.factories_programmes import D, make_programme, make_services


@pytest.fixture
def s(world):
    return make_services(world.org)


@pytest.fixture
def unenrolled_programme(world, s):
    """A programme of a person registered in home1 but not yet admitted to service."""
    return make_programme(world, s, recipient=world.unenrolled_home1)


def fee_decision(programme, fee: str, cost: str = "1296.67", day: datetime.date | None = None) -> FeeDecision:
    day = day or D(2020, 1, 12)
    return FeeDecision.objects.create(
        organisation=programme.organisation, recipient=programme.recipient, programme=programme, decided_on=day,
        form="home", income_total=Decimal("240000"), household_size=1, income_per_capita=Decimal("20000"),
        subsistence_minimum=Decimal("9000"), coefficient=Decimal("1.5"), threshold=Decimal("13500"),
        programme_cost=Decimal(cost), fee=Decimal(fee), branch="income_share")


def sign(world, programme, role="director", **data):
    values = {"signed_on": D(2020, 1, 14), "valid_from": D(2020, 1, 15), "payment": "free"}
    values.update(data)
    return do_sign_contract(programme, values, actor=world.actor(role))


def docx_text(data: bytes) -> str:
    d = open_docx(io.BytesIO(data))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


# --- signing ---------------------------------------------------------------------------------------------------

def test_it_signs_a_contract_and_admits_the_person(world, unenrolled_programme):
    p = unenrolled_programme
    contract = sign(world, p, worker=world.worker)
    assert contract.number == "Д-2020-1"
    assert contract.valid_to == p.valid_to and contract.payment == Payment.FREE and contract.monthly_fee == 0
    enrolment = contract.enrolment
    assert (enrolment.department, enrolment.form, enrolment.admitted_on, enrolment.worker) == (
        world.home1, "home", D(2020, 1, 15), world.worker)
    assert enrolment.discharged_on is None
    world.unenrolled_home1.refresh_from_db()
    assert world.unenrolled_home1.status == "active"
    with pytest.raises(DomainError) as e:  # one open contract per programme
        sign(world, p)
    assert e.value.field == "programme"


def test_it_links_an_existing_open_enrolment_instead_of_admitting_twice(world, s):
    p = make_programme(world, s)  # in_caseload is already on service in home1 since 10.01.2020
    before = Enrolment.objects.filter(recipient=world.in_caseload).count()
    contract = sign(world, p)
    assert Enrolment.objects.filter(recipient=world.in_caseload).count() == before
    assert contract.enrolment == world.in_caseload.enrolments.get(department=world.home1)


def test_it_takes_the_fee_from_the_latest_fee_decision(world, unenrolled_programme):
    p = unenrolled_programme
    fee_decision(p, "0.00", day=D(2020, 1, 11))
    latest = fee_decision(p, "350.50", day=D(2020, 1, 12))
    contract = sign(world, p, payment="free", monthly_fee=Decimal("0"))
    assert (contract.payment, contract.monthly_fee, contract.fee_decision) == (
        Payment.PARTLY_PAID, Decimal("350.50"), latest)


@pytest.mark.parametrize("data, field", [
    ({"valid_from": D(2020, 1, 9)}, "valid_from"),  # before the programme
    ({"payment": ""}, "payment"),  # no fee decision and no terms
    ({"payment": "paid", "monthly_fee": Decimal("0")}, "monthly_fee"),
])
def test_it_refuses_bad_contracts_naming_the_field_and_admits_nobody(world, unenrolled_programme, data, field):
    with pytest.raises(DomainError) as e:
        sign(world, unenrolled_programme, **data)
    assert e.value.field == field
    assert not Contract.objects.exists()
    assert not Enrolment.objects.filter(recipient=world.unenrolled_home1).exists()


def test_it_refuses_a_contract_to_roles_without_the_right(world, unenrolled_programme):
    for role in ("social_worker", "accountant"):
        with pytest.raises(PermissionDenied):
            sign(world, unenrolled_programme, role=role)


# --- amendments and the fee in force -----------------------------------------------------------------------------

def test_it_numbers_amendments_and_applies_the_fee_in_force(world, unenrolled_programme):
    contract = sign(world, unenrolled_programme, payment="partly_paid", monthly_fee=Decimal("300"))
    actor = world.actor("director")
    first = do_amend_contract(contract, {"description": "Новый доход", "signed_on": D(2020, 3, 25),
                                         "valid_from": D(2020, 4, 1), "monthly_fee": Decimal("420.00")}, actor=actor)
    second = do_amend_contract(contract, {"description": "Признан малоимущим", "valid_from": D(2020, 9, 1),
                                          "signed_on": D(2020, 8, 20), "payment": "free"}, actor=actor)
    third = do_amend_contract(contract, {"description": "Сменился номер телефона", "valid_from": D(2020, 10, 1),
                                         "signed_on": D(2020, 10, 1)}, actor=actor)
    assert (first.number, second.number, third.number) == (1, 2, 3)
    contract = Contract.objects.prefetch_related("amendments").get(pk=contract.pk)
    assert queries.fee_in_force(contract, D(2020, 1, 14)) == 0  # before it starts
    assert queries.fee_in_force(contract, D(2020, 3, 31)) == Decimal("300")
    assert queries.fee_in_force(contract, D(2020, 4, 1)) == Decimal("420.00")
    assert queries.terms_in_force(contract, D(2020, 4, 1)).payment == Payment.PARTLY_PAID
    assert queries.fee_in_force(contract, D(2020, 9, 1)) == 0
    assert queries.terms_in_force(contract, D(2020, 10, 5)).payment == Payment.FREE  # the 3rd changes no fee
    with pytest.raises(DomainError) as e:
        do_amend_contract(contract, {"description": "x", "valid_from": D(2019, 12, 1)}, actor=actor)
    assert e.value.field == "valid_from"
    with pytest.raises(DomainError) as e:
        do_amend_contract(contract, {"description": " "}, actor=actor)
    assert e.value.field == "description"


# --- termination -----------------------------------------------------------------------------------------------

def test_it_terminates_the_contract_discharging_the_enrolment_and_closing_the_programme(world, unenrolled_programme):
    contract = sign(world, unenrolled_programme)
    do_terminate_contract(contract, D(2020, 6, 30), "own_request", actor=world.actor("director"))
    contract.refresh_from_db()
    assert (contract.terminated_on, contract.termination_reason) == (D(2020, 6, 30), "own_request")
    enrolment = Enrolment.objects.get(pk=contract.enrolment_id)
    assert (enrolment.discharged_on, enrolment.discharge_reason) == (D(2020, 6, 30), "own_request")
    programme = Programme.objects.get(pk=unenrolled_programme.pk)
    assert (programme.status, programme.closed_on) == (ProgrammeStatus.CLOSED, D(2020, 6, 30))
    assert queries.active_programme_on(world.unenrolled_home1, world.home1.pk, D(2020, 6, 30)) is not None
    assert queries.active_programme_on(world.unenrolled_home1, world.home1.pk, D(2020, 7, 1)) is None
    with pytest.raises(DomainError) as e:
        do_terminate_contract(contract, D(2020, 7, 1), "own_request", actor=world.actor("director"))
    assert e.value.field == "terminated_on" and "уже расторгнут" in e.value.message


@pytest.mark.parametrize("day, reason, field", [
    (D(2020, 1, 14), "own_request", "terminated_on"),  # before it starts
    (D(2099, 1, 1), "own_request", "terminated_on"),  # in the future
    (D(2020, 6, 30), "tired", "reason"),
])
def test_it_refuses_a_bad_termination_naming_the_field(world, unenrolled_programme, day, reason, field):
    contract = sign(world, unenrolled_programme)
    with pytest.raises(DomainError) as e:
        do_terminate_contract(contract, day, reason, actor=world.actor("director"))
    assert e.value.field == field


def test_it_leaves_contract_enrolment_and_programme_unchanged_when_termination_fails(world, s):
    # The person was admitted to home1 on 10.01.2020; a contract from 01.01 links that enrolment. Terminating on
    # 05.01 passes the contract's own checks, but the discharge before admission fails: nothing may change.
    p = make_programme(world, s, valid_from=D(2020, 1, 1), drawn_up_on=D(2020, 1, 1))
    contract = sign(world, p, signed_on=D(2020, 1, 1), valid_from=D(2020, 1, 1))
    with pytest.raises(ValidationError) as e:
        do_terminate_contract(contract, D(2020, 1, 5), "own_request", actor=world.actor("director"))
    assert "terminated_on" in e.value.message_dict
    contract.refresh_from_db()
    assert contract.terminated_on is None and contract.termination_reason == ""
    enrolment = Enrolment.objects.get(pk=contract.enrolment_id)
    assert enrolment.discharged_on is None and enrolment.discharge_reason == ""
    assert Programme.objects.get(pk=p.pk).status == ProgrammeStatus.ACTIVE


# --- printing and pages -----------------------------------------------------------------------------------------

def test_it_prints_the_contract_as_docx_and_pdf(world, unenrolled_programme):
    contract = sign(world, unenrolled_programme, payment="partly_paid", monthly_fee=Decimal("1234.5"))
    do_amend_contract(contract, {"description": "Изменение размера платы", "valid_from": D(2020, 4, 1),
                                 "signed_on": D(2020, 3, 30), "monthly_fee": Decimal("1500")},
                      actor=world.actor("director"))
    client = world.client("department_head")
    url = reverse("programmes:contract_print", args=[contract.pk])
    response = client.get(url + "?format=docx")
    assert response.status_code == 200
    text = docx_text(response.content)
    for expected in (contract.number, world.unenrolled_home1.full_name, "КЦСОН Тестовый", "1\u00a0234,50",
                     "Покупка и доставка продуктов питания", "Изменение размера платы", "442"):
        assert expected in text, expected
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_it_signs_amends_and_terminates_through_the_pages(world, unenrolled_programme):
    client = world.client("department_head")
    p = unenrolled_programme
    response = client.post(reverse("programmes:contract_create", args=[p.pk]), {
        "number": "", "signed_on": "2020-01-14", "valid_from": "2020-01-15", "valid_to": "", "payment": "paid",
        "monthly_fee": "1300", "worker": world.worker.pk, "signatory": "Петрова А. А.", "confirm_warnings": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.get()
    assert contract.enrolment.worker == world.worker
    page = client.get(reverse("programmes:contract_detail", args=[contract.pk])).content.decode()
    assert contract.number in page
    response = client.post(reverse("programmes:contract_amend", args=[contract.pk]), {
        "signed_on": "2020-03-01", "valid_from": "2020-03-01", "description": "Новая плата", "payment": "",
        "monthly_fee": "1400"})
    assert response.status_code == 302
    response = client.post(reverse("programmes:contract_terminate", args=[contract.pk]),
                           {"terminated_on": "2020-01-10", "reason": "own_request"})
    assert response.status_code == 422 and "раньше начала" in response.content.decode()
    response = client.post(reverse("programmes:contract_terminate", args=[contract.pk]),
                           {"terminated_on": "2020-05-31", "reason": "moved_away"})
    assert response.status_code == 200 and 'id="termination-confirm"' in response.content.decode()
    assert Contract.objects.get().terminated_on is None  # not before the confirmation
    response = client.post(reverse("programmes:contract_terminate", args=[contract.pk]),
                           {"terminated_on": "2020-05-31", "reason": "moved_away", "confirm": "1"})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.terminated_on == D(2020, 5, 31)
    card = client.get(reverse("recipient_detail", args=[world.unenrolled_home1.pk])).content.decode()
    assert 'id="programmes-and-contracts"' in card and contract.number in card
    assert 'id="programmes-and-contracts"' not in world.client("hr").get(
        reverse("recipient_detail", args=[world.unenrolled_home1.pk])).content.decode()


def test_it_defaults_the_contract_start_to_the_programme_start_or_after_the_last_contract(world, s):
    """A programme that ended in the past: the form offers its start, not today (which the action would refuse);
    after a terminated contract, the day after its end."""
    programme = make_programme(world, s, recipient=world.unenrolled_home1)  # 10.01.2020 – 31.12.2020
    client = world.client("department_head")
    url = reverse("programmes:contract_create", args=[programme.pk])
    initial = client.get(url).context["form"].initial
    assert initial["valid_from"] == D(2020, 1, 10) and initial["signed_on"] == D(2020, 1, 10)
    contract = sign(world, programme, signed_on=D(2020, 1, 10), valid_from=D(2020, 1, 10))
    do_terminate_contract(contract, D(2020, 4, 30), "own_request", actor=world.actor("director"))
    programme.refresh_from_db()
    programme.status = ProgrammeStatus.ACTIVE
    programme.save()
    initial = client.get(url).context["form"].initial
    assert initial["valid_from"] == D(2020, 5, 1)
    # and the default is accepted as it is
    data = {k: ("" if v is None else v.pk if hasattr(v, "pk") else v) for k, v in initial.items()}
    response = client.post(url, {**data, "number": "", "payment": "free", "monthly_fee": "", "confirm_warnings": "1"})
    assert response.status_code == 302, response.context["form"].errors
    assert Contract.objects.filter(programme=programme, valid_from=D(2020, 5, 1)).exists()


# --- API -------------------------------------------------------------------------------------------------------

def programme_body(world, s, **extra):
    body = {"recipient_id": world.unenrolled_home1.pk, "form": "home", "department_id": world.home1.pk,
            "drawn_up_on": "2020-01-10", "valid_from": "2020-01-10", "valid_to": "2020-12-31",
            "items": [{"service_id": s.shopping.pk, "volume": 8, "period": "month"},
                      {"service_id": s.cleaning.pk, "volume": 2, "period": "week"}]}
    body.update(extra)
    return body


def test_it_serves_programmes_and_contracts_over_the_api(world, s):
    # the consent on file: nothing to confirm (the warnings of the API: tests/programmes/test_api_warnings.py)
    Consent.objects.create(recipient=world.unenrolled_home1, given_on=D(2020, 1, 1), scope="processing")
    client = world.client("director")
    r = client.post("/api/v1/programmes", programme_body(world, s), content_type="application/json")
    assert r.status_code == 201, r.content
    programme = r.json()
    assert programme["number"] == "2020-1" and len(programme["items"]) == 2 and programme["warnings"] == []
    assert client.get(f"/api/v1/programmes/{programme['id']}").json()["id"] == programme["id"]
    listed = client.get("/api/v1/programmes?status=active").json()
    assert [p["id"] for p in listed["results"]] == [programme["id"]]
    r = client.post(f"/api/v1/programmes/{programme['id']}/revise",
                    {"drawn_up_on": "2020-03-01", "valid_from": "2020-03-01"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["version"] == 2
    new_id = r.json()["id"]
    r = client.post(f"/api/v1/programmes/{programme['id']}/revise", {}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "status"]
    r = client.post("/api/v1/contracts", {"programme_id": new_id, "signed_on": "2020-03-01",
                                          "valid_from": "2020-03-01", "payment": "free"},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    contract = r.json()
    assert contract["enrolment_id"] and contract["payment_in_force"] == "free"
    r = client.post(f"/api/v1/contracts/{contract['id']}/amendments",
                    {"description": "Плата", "valid_from": "2020-04-01", "signed_on": "2020-04-01",
                     "payment": "partly_paid", "monthly_fee": "250.00"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["amendments"][0]["number"] == 1
    assert r.json()["amendments"][0]["monthly_fee"] == 250
    assert b'"monthly_fee": 250.00' in r.content  # money: a JSON number with two decimals
    # today the contract (until 31.12.2020) is no longer in force
    assert r.json()["fee_in_force"] == 0 and b'"fee_in_force": 0.00' in r.content
    r = client.post(f"/api/v1/contracts/{contract['id']}/terminate",
                    {"terminated_on": "2020-02-01", "reason": "own_request"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "terminated_on"]
    r = client.post(f"/api/v1/contracts/{contract['id']}/terminate",
                    {"terminated_on": "2020-06-30", "reason": "death"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["termination_reason"] == "death"
    assert client.get(f"/api/v1/contracts/{contract['id']}").json()["terminated_on"] == "2020-06-30"


@pytest.mark.parametrize("extra, loc", [
    ({"valid_to": "2024-01-01"}, "valid_to"),
    ({"department_id": 999999}, "department_id"),
    ({"items": []}, "items"),
    ({"form": "urgent"}, "form"),
])
def test_it_answers_422_naming_the_field(world, s, extra, loc):
    r = world.client("director").post("/api/v1/programmes", programme_body(world, s, **extra),
                                      content_type="application/json")
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["loc"][-1] == loc
    assert not Programme.objects.exists()


def test_it_answers_403_without_the_right_and_404_out_of_scope(world, s):
    r = world.client("social_worker").post("/api/v1/programmes", programme_body(world, s),
                                           content_type="application/json")
    assert r.status_code == 403
    r = world.client("hr").get("/api/v1/programmes")
    assert r.status_code == 200 and r.json()["count"] == 0
    home2 = make_programme(world, s, recipient=world.in_home2, department=world.home2)
    head = world.client("department_head")
    assert head.get(f"/api/v1/programmes/{home2.pk}").status_code == 404
    assert head.post(f"/api/v1/programmes/{home2.pk}/revise", {}, content_type="application/json").status_code == 404
    assert head.post("/api/v1/contracts", {"programme_id": home2.pk, "payment": "free"},
                     content_type="application/json").status_code == 404
    contract = sign(world, home2, valid_from=D(2020, 1, 15))
    assert head.get(f"/api/v1/contracts/{contract.pk}").status_code == 404
    assert world.client("social_worker").get(f"/api/v1/contracts/{contract.pk}").status_code == 404
    accountant = world.client("accountant")
    assert accountant.get(f"/api/v1/contracts/{contract.pk}").status_code == 200
    assert accountant.post(f"/api/v1/contracts/{contract.pk}/terminate",
                           {"terminated_on": "2020-06-30", "reason": "own_request"},
                           content_type="application/json").status_code == 403
