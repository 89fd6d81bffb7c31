"""The monthly act of services delivered: lines and totals from the journal, number, signing, DOCX and PDF."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.delivery import actions, printing, queries
from opora.delivery.models import MonthlyAct
from opora.org.models import Employee
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def march(world):
    """March 2020 of Фёдорова in home1, with numbers to check by hand:

    1.01 basic  3 + 2 = 5 × 100.00 → value 500.00, to pay 0
    1.02 basic  1 × 40.00          → value 40.00, to pay 0
    9.01 add.   3 × 50.00 (10.03)  → 150.00
    9.01 add.   2 × 60.00 (20.03, new tariff from 16.03) → 120.00
    totals: quantity 11, to pay 270.00, basic value 540.00, value 810.00
    """
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)
    actor = world.actor("director")

    def rec(service, day, quantity, **extra):
        return actions.do_record_delivery(world.org, {
            "recipient": world.in_caseload, "department": world.home1, "worker": world.worker, "service": service,
            "date": day, "quantity": quantity, **extra}, actor=actor)

    rec(cat.monthly, D(2020, 3, 2), 3)
    rec(cat.monthly, D(2020, 3, 3), 2)
    rec(cat.weekly, D(2020, 3, 4), 1)
    rec(cat.additional, D(2020, 3, 10), 3)
    rec(cat.additional, D(2020, 3, 20), 2)
    rec(cat.monthly, D(2020, 4, 1), 4)  # another month
    rec(cat.additional, D(2020, 2, 28), 1)  # another month
    # an urgent act for the same person in the urgent department is not in home1's act
    actions.do_create_urgent_act(world.in_caseload, {"department": world.urgent, "date": D(2020, 3, 5)},
                                 [{"service": cat.urgent, "quantity": 1}], actor=actor)
    return cat


def test_it_groups_the_month_by_service_and_tariff_with_hand_computed_totals(world, march):
    data = queries.monthly_act_lines(world.in_caseload, world.home1.pk, D(2020, 3, 1))
    assert [(x.code, x.list, x.quantity, x.tariff, x.value, x.amount) for x in data.lines] == [
        ("1.01", "basic", 5, Decimal("100.00"), Decimal("500.00"), Decimal("0.00")),
        ("1.02", "basic", 1, Decimal("40.00"), Decimal("40.00"), Decimal("0.00")),
        ("9.01", "additional", 3, Decimal("50.00"), Decimal("150.00"), Decimal("150.00")),
        ("9.01", "additional", 2, Decimal("60.00"), Decimal("120.00"), Decimal("120.00")),
    ]
    assert data.total_quantity == 11
    assert data.total_amount == Decimal("270.00")
    assert data.basic_value == Decimal("540.00")
    assert data.total_value == Decimal("810.00")


def test_it_issues_a_numbered_act_once_and_records_the_signing(world, march):
    actor = world.actor("social_worker")
    act = actions.do_issue_monthly_act(world.in_caseload, world.home1, D(2020, 3, 15), actor=actor)
    assert (act.number, act.month) == ("1/2020", D(2020, 3, 1))
    assert actions.do_issue_monthly_act(world.in_caseload, world.home1, D(2020, 3, 1), actor=actor).pk == act.pk
    april = actions.do_issue_monthly_act(world.in_caseload, world.home1, D(2020, 4, 1), actor=actor)
    assert april.number == "2/2020"
    with pytest.raises(ValidationError) as exc:
        actions.do_issue_monthly_act(world.in_caseload, world.home1, D(2020, 5, 1), actor=actor)
    assert "No services" in " ".join(exc.value.message_dict["month"])
    with pytest.raises(ValidationError) as exc:
        actions.do_sign_monthly_act(act, D(2020, 2, 28), actor=actor)
    assert "before its month" in " ".join(exc.value.message_dict["signed_on"])
    with pytest.raises(ValidationError) as exc:
        actions.do_sign_monthly_act(act, datetime.date.today() + datetime.timedelta(days=2), actor=actor)
    assert "future" in " ".join(exc.value.message_dict["signed_on"])
    with pytest.raises(PermissionDenied):
        actions.do_sign_monthly_act(act, D(2020, 4, 2), actor=world.actor("accountant"))
    signed = actions.do_sign_monthly_act(act, D(2020, 4, 2), actor=actor)
    assert MonthlyAct.objects.get(pk=signed.pk).signed_on == D(2020, 4, 2)
    assert AuditEvent.objects.filter(object_type="delivery.monthlyact", event_type="updated").count() == 1


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_it_prints_the_act_as_docx_with_the_totals(world, march):
    actions.do_issue_monthly_act(world.in_caseload, world.home1, D(2020, 3, 1), actor=world.actor("director"))
    Employee.objects.filter(department=world.home1, position="department_head").update(
        last_name="Начальникова", first_name="Ольга", patronymic="Петровна")
    response = world.client("director").get(reverse("delivery:monthly_act"), {
        "recipient": world.in_caseload.pk, "department": world.home1.pk, "month": "2020-03", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert "Act of social services delivered for March 2020" in text
    assert "1/2020" in text and world.in_caseload.full_name in text
    total_row = next(line for line in text.splitlines() if line.startswith(" | Total"))
    assert "11" in total_row and "810.00" in total_row and "270.00" in total_row
    assert "540.00" in text  # the basic services' value, for information
    assert "/ Фёдорова А. П. /" in text and "/ Начальникова О. П. /" in text  # signature lines
    assert f"/ {world.worker.last_name} М. И. /" in text


def test_it_prints_the_act_as_pdf(world, march):
    response = world.client("director").get(reverse("delivery:monthly_act"), {
        "recipient": world.in_caseload.pk, "department": world.home1.pk, "month": "2020-03", "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_it_names_the_month_in_russian():
    with translation.override("ru"):
        assert printing.month_label(D(2020, 3, 1)) == "март 2020"


def test_it_shows_issues_and_signs_the_act_on_its_page(world, march):
    c = world.client("social_worker")
    url = reverse("delivery:monthly_act")
    params = {"recipient": world.in_caseload.pk, "department": world.home1.pk, "month": "2020-03"}
    page = c.get(url, params)
    assert page.status_code == 200
    assert page.context["data"].total_amount == Decimal("270.00")
    assert 'id="total-quantity">11<' in page.content.decode()
    c.post(url, {**params, "action": "issue"})
    act = MonthlyAct.objects.get()
    c.post(url, {**params, "action": "sign", "signed_on": "2020-04-03"})
    act.refresh_from_db()
    assert act.signed_on == D(2020, 4, 3)
    # scope: another worker's person, another organisation's person
    assert c.get(url, {**params, "recipient": world.in_home1_other_worker.pk}).status_code == 404
    assert world.client("director").get(url, {**params, "recipient": world.other_org_person.pk}).status_code == 404
    assert c.get(url, {**params, "department": world.home2.pk}).status_code == 404


def test_it_shows_the_monthly_totals_in_the_journal(world, march):
    response = world.client("director").get(reverse("delivery:journal"), {"month": "2020-03",
                                                                          "department": world.home1.pk})
    rows = response.context["month_totals"]
    assert [(r["recipient_id"], r["quantity"], r["amount"]) for r in rows] == [
        (world.in_caseload.pk, 11, Decimal("270.00"))]
