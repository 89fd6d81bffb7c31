"""The main casework journeys through the real pages, in Russian, on Debian's Chromium: an application registered
for a registered or a new person, assessed and decided; a programme drawn up from it, printed and its contract
signed; a social worker's visit with the volume check; the monthly act; the fee calculator.

Dates are in 2020: the pages refuse dates in the future, and a contract cannot start in the future either.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from opora.delivery.actions import do_record_visit
from opora.delivery.models import Delivery
from opora.intake.models import Application
from opora.people.models import Enrolment, Recipient
from opora.programmes.actions import do_create_programme, do_sign_contract
from opora.programmes.models import Contract, Programme
from tests import factories_delivery as fd
from tests import factories_programmes as fp

pytestmark = pytest.mark.browser

D = datetime.date


def squash(text: str) -> str:
    """The text without any spaces (thousands are grouped with no-break spaces in Russian)."""
    return re.sub(r"\s+", "", text)


def url(live_server, name: str, *args) -> str:
    return live_server.url + reverse(name, args=args)


# --- 1. intake ------------------------------------------------------------------------------------------------

def test_it_registers_an_application_for_a_registered_person_assesses_and_recognises(
        seeded, world, live_server, page, log_in):
    log_in("department_head")
    page.goto(url(live_server, "intake:list"))
    page.click(f"a[href='{reverse('intake:create')}']")
    # The live search (HTMX) finds the registered person, lower case and without «ё».
    page.fill("#id_q", "федорова")
    choice = page.locator("#choices a", has_text="Фёдорова Алёна Петровна")
    choice.click()
    page.wait_for_url(re.compile(r"recipient=\d+"))
    assert "Фёдорова Алёна Петровна" in page.inner_text(".box >> nth=0")
    assert page.locator("#id_person-last_name").count() == 0  # no new person's form for a chosen person
    # Monday 02.03.2020: five working days later skips the weekend and the holiday of 09.03.2020.
    page.fill("#id_received_on", "2020-03-02")
    page.select_option("#id_channel", "in_person")
    page.select_option("#id_requested_form", "home")
    assert page.input_value("#id_department") == str(world.home1.pk)  # the head's own department
    page.fill("#id_request", "Помощь по дому: покупка продуктов, уборка")
    page.click("form.form button[type=submit]")
    page.check("#id_confirm_warnings")  # no consent to personal-data processing on file: confirmed (issue 11)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/intake/\d+/$"))
    application = Application.objects.get(recipient=world.in_caseload)
    assert page.inner_text("#decision-due").strip().startswith("10.03.2020")
    assert "срок принятия решения — 10.03.2020" in page.inner_text("body")
    assert application.decision_due == D(2020, 3, 10)
    assert application.status == "registered"

    # The needs assessment: the act of examination and the questionnaire (12 items, 1 point each → level 1).
    page.click(f"a[href='{reverse('intake:assess', args=[application.pk])}']")
    page.fill("#id_examined_on", "2020-03-04")
    page.fill("#id_housing", "Однокомнатная квартира, 3 этаж, без лифта")
    radios = page.locator("input[type=radio][value='1']")
    assert radios.count() == 12
    for i in range(radios.count()):
        radios.nth(i).check()
    page.click("form.form button[type=submit]")
    page.wait_for_url(url(live_server, "intake:detail", application.pk))
    text = page.locator(".box", has_text="сумма баллов").inner_text()
    assert "12 из 36" in text and "уровень нуждаемости в уходе 1" in text
    application.refresh_from_db()
    assert application.status == "assessment"

    # The decision: recognised as needing service at home.
    page.check("input[name=outcome][value=recognised]")
    page.fill("#id_decided_on", "2020-03-05")
    page.select_option("#id_form", "home")
    page.click(f"form[action='{reverse('intake:decide', args=[application.pk])}'] button[type=submit]")
    page.wait_for_url(url(live_server, "intake:detail", application.pk))
    assert "Признан нуждающимся в социальном обслуживании" in page.inner_text("#status")
    assert page.locator(f"a[href='{reverse('programmes:create')}?application={application.pk}']").is_visible()
    application.refresh_from_db()
    assert (application.status, application.decided_on, application.decided_form) == (
        "recognised", D(2020, 3, 5), "home")
    # The journal of applications lists it with its deadline.
    page.goto(url(live_server, "intake:list"))
    row = page.locator("table.grid tbody tr", has_text=application.number)
    assert "10.03.2020" in row.inner_text()


def test_it_registers_an_application_for_a_new_person(seeded, world, live_server, page, log_in):
    log_in("specialist")
    page.goto(url(live_server, "intake:create"))
    page.fill("#id_q", "Кузнецова")
    page.wait_for_selector("#choices li.muted")  # nobody found: the new person's data below
    page.fill("#id_person-last_name", "Кузнецова")
    page.fill("#id_person-first_name", "Мария")
    page.fill("#id_person-patronymic", "Ивановна")
    page.select_option("#id_person-sex", "F")
    page.fill("#id_person-birth_date", "1938-04-12")
    page.fill("#id_person-address", "ул. Ленина, 5, кв. 12")
    page.fill("#id_received_on", "2020-02-17")
    page.select_option("#id_channel", "in_person")
    page.select_option("#id_requested_form", "home")
    page.select_option("#id_department", str(world.home1.pk))
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/intake/\d+/$"))
    person = Recipient.objects.get(last_name="Кузнецова")
    application = Application.objects.get(recipient=person)
    assert "Кузнецова Мария Ивановна" in page.inner_text(".box >> nth=0")
    # Monday 17.02.2020 + 5 working days: 24.02.2020 is the holiday moved from Sunday 23.02.
    assert application.decision_due == D(2020, 2, 25)
    assert page.inner_text("#decision-due").strip().startswith("25.02.2020")
    assert person.registered_department_id == world.home1.pk

    # Registering the same person again asks to confirm: a possible duplicate, nothing saved.
    page.goto(url(live_server, "intake:create"))
    page.fill("#id_person-last_name", "Кузнецова")
    page.fill("#id_person-first_name", "Мария")
    page.fill("#id_person-patronymic", "Ивановна")
    page.select_option("#id_person-sex", "F")
    page.fill("#id_person-birth_date", "1938-04-12")
    page.fill("#id_received_on", "2020-02-18")
    page.select_option("#id_requested_form", "home")
    page.select_option("#id_department", str(world.home1.pk))
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#id_person-confirm_duplicate")
    assert page.locator(".errors").count() >= 1
    assert Recipient.objects.filter(last_name="Кузнецова").count() == 1
    assert Application.objects.filter(recipient__last_name="Кузнецова").count() == 1


# --- 2. programme and contract --------------------------------------------------------------------------------

def test_it_draws_up_a_programme_prints_it_and_signs_the_contract(seeded, world, live_server, page, log_in):
    import docx

    services = fp.make_services(world.org)
    person = world.unenrolled_home1
    application = fp.recognised_application(world, person)
    log_in("department_head")
    page.goto(url(live_server, "intake:detail", application.pk))
    page.click(f"a[href='{reverse('programmes:create')}?application={application.pk}']")
    assert page.input_value("#id_form") == "home"  # from the decision
    assert page.input_value("#id_department") == str(world.home1.pk)
    page.fill("#id_drawn_up_on", "2020-01-10")
    page.fill("#id_valid_from", "2020-01-10")
    page.fill("#id_valid_to", "2020-12-31")
    page.fill("#id_review_on", "2020-07-01")
    page.select_option("#id_items-0-service", str(services.shopping.pk))
    page.fill("#id_items-0-volume", "8")
    page.select_option("#id_items-0-period", "month")
    page.fill("#id_items-0-periodicity", "2 раза в неделю")
    page.select_option("#id_items-1-service", str(services.cleaning.pk))
    page.fill("#id_items-1-volume", "4")
    page.select_option("#id_items-1-period", "month")
    page.click("form.form button[type=submit]")
    page.check("#id_confirm_warnings")  # no consent to personal-data processing on file: confirmed (issue 11)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+/$"))
    programme = Programme.objects.get(recipient=person)
    assert programme.application_id == application.pk
    assert sorted((i.service.code, i.volume, i.period) for i in programme.items.all()) == [
        ("1.01", 8, "month"), ("1.02", 4, "month")]
    table = page.locator("section.box", has_text="1.01").locator("table.grid")
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert "Покупка и доставка продуктов питания" in rows.nth(0).inner_text()
    assert "Уборка жилого помещения" in rows.nth(1).inner_text()
    # The cost a month at the tariffs of the programme's last day: 8 × 120,00 + 4 × 40,00.
    assert squash(table.locator("tfoot").inner_text()).endswith("1120,00")

    # The DOCX: a download whose bytes python-docx opens, with the person's name in it.
    with page.expect_download() as info:
        page.click(f"a[href='{reverse('programmes:programme_print', args=[programme.pk])}?format=docx']")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    body = Path(download.path()).read_bytes()
    assert len(body) > 1000
    document = docx.Document(io.BytesIO(body))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert person.last_name in text and person.first_name in text

    # The contract: signed in 2020 for the programme's term, the social worker named; the person is admitted.
    page.click(f"a[href='{reverse('programmes:contract_create', args=[programme.pk])}']")
    page.fill("#id_signed_on", "2020-01-10")
    page.fill("#id_valid_from", "2020-01-10")
    page.fill("#id_valid_to", "2020-12-31")
    page.select_option("#id_payment", "free")
    page.select_option("#id_worker", str(world.worker.pk))
    page.click("form.form button[type=submit]")
    page.check("#id_confirm_warnings")  # no consent to personal-data processing on file: confirmed (issue 11)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/contracts/\d+/$"))
    contract = Contract.objects.get(programme=programme)
    assert contract.number in page.inner_text("h1")
    enrolment = Enrolment.objects.get(recipient=person, department=world.home1)
    assert (enrolment.admitted_on, enrolment.discharged_on, enrolment.worker_id) == (
        D(2020, 1, 10), None, world.worker.pk)
    assert "ОСО на дому №1, 10.01.2020" in page.inner_text("section.box >> nth=0")
    assert "Договор заключен, гражданин принят на обслуживание." in page.inner_text("body")


def programme_with_contract(world) -> fd.Catalogue:
    """The caseload person's programme in home1 (8 a month, 2 a week of two basic services) and its contract for
    10.01–31.12.2020, made through the actions."""
    cat = fd.make_catalogue(world.org)
    head = world.actor("department_head")
    programme = do_create_programme(world.in_caseload, {
        "drawn_up_on": D(2020, 1, 10), "valid_from": D(2020, 1, 10), "valid_to": D(2020, 12, 31), "form": "home",
        "department": world.home1}, [{"service": cat.monthly, "volume": 8, "period": "month"},
                                     {"service": cat.weekly, "volume": 2, "period": "week"}], actor=head)
    do_sign_contract(programme, {"signed_on": D(2020, 1, 10), "valid_from": D(2020, 1, 10), "payment": "free",
                                 "worker": world.worker}, actor=head)
    return cat


# --- 3. the social worker's visit -----------------------------------------------------------------------------

def test_it_records_todays_visit_and_refuses_a_quantity_over_the_volume(seeded, world, live_server, page, log_in):
    cat = programme_with_contract(world)
    log_in("social_worker")

    def open_visit(day: str) -> None:
        page.goto(url(live_server, "delivery:today"))
        page.fill("input[name=date]", day)
        page.click("form.filters button[type=submit]")
        page.wait_for_url(re.compile(rf"date={day}"))
        caseload = page.locator("section.box >> nth=0")
        assert "Иванов" not in caseload.inner_text()  # another worker's person is not in this caseload
        caseload.get_by_role("link", name="Фёдорова Алёна Петровна").click()
        page.wait_for_selector(f"input[name=q-{cat.monthly.pk}]")

    monthly, weekly = f"#line-{cat.monthly.pk}", f"#line-{cat.weekly.pk}"
    open_visit("2020-02-12")
    programme = Programme.objects.get(recipient=world.in_caseload)
    heading = page.inner_text("section.box >> nth=1")
    assert f"программа № {programme.number}/1 (10.01.2020 — 31.12.2020)" in heading
    assert "8" in page.inner_text(f"{monthly} td:nth-child(2)")
    page.fill(f"input[name=q-{cat.monthly.pk}]", "3")
    page.fill(f"input[name=q-{cat.weekly.pk}]", "1")
    page.click("button:has-text('Сохранить посещение')")
    page.wait_for_selector("text=Внесено строк: 2.")
    assert page.inner_text(f"{monthly} td:nth-child(3)").strip() == "3"  # delivered in the month so far
    assert "Уже зарегистрировано на эту дату" in page.inner_text("body")
    lines = Delivery.objects.filter(recipient=world.in_caseload)
    assert sorted((d.service_id, d.date, d.quantity, d.worker_id) for d in lines) == sorted([
        (cat.monthly.pk, D(2020, 2, 12), 3, world.worker.pk), (cat.weekly.pk, D(2020, 2, 12), 1, world.worker.pk)])

    # Two days later, 6 more of the monthly service would make 9 of 8: the error stands next to that line and
    # nothing of the visit is saved, not even the line that was fine.
    open_visit("2020-02-14")
    page.fill(f"input[name=q-{cat.monthly.pk}]", "6")
    page.fill(f"input[name=q-{cat.weekly.pk}]", "1")
    page.click("button:has-text('Сохранить посещение')")
    page.wait_for_selector(f"{monthly}.has-error")
    error = page.inner_text(f"{monthly} + tr .error")
    assert "Покупка продуктов" in error and "9" in error and "8" in error
    assert page.locator(f"{weekly}.has-error").count() == 0
    assert page.input_value(f"input[name=q-{cat.monthly.pk}]") == "6"  # what was typed stays
    assert Delivery.objects.filter(recipient=world.in_caseload).count() == 2

    # With the reason for exceeding the volume recorded, the visit is saved.
    page.fill(f"input[name=r-{cat.monthly.pk}]", "Выписка из стационара, закупка на две недели")
    page.click("button:has-text('Сохранить посещение')")
    page.wait_for_selector("text=Внесено строк: 2.")
    over = Delivery.objects.get(recipient=world.in_caseload, date=D(2020, 2, 14), service=cat.monthly)
    assert (over.quantity, over.over_volume_reason) == (6, "Выписка из стационара, закупка на две недели")


# --- 4. the monthly act ---------------------------------------------------------------------------------------

def test_it_shows_the_monthly_act_with_its_totals_and_prints_it(seeded, world, live_server, page, log_in):
    cat = programme_with_contract(world)
    worker = world.actor("social_worker")
    do_record_visit(world.in_caseload, D(2020, 2, 12), [{"service": cat.monthly, "quantity": 3},
                                                       {"service": cat.weekly, "quantity": 1}], actor=worker)
    do_record_visit(world.in_caseload, D(2020, 2, 14), [{"service": cat.additional, "quantity": 2}], actor=worker)
    do_record_visit(world.in_caseload, D(2020, 3, 2), [{"service": cat.monthly, "quantity": 1}], actor=worker)

    log_in("department_head")
    page.goto(url(live_server, "delivery:journal"))
    page.fill("input[name=month]", "2020-02")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"month=2020-02"))
    totals = page.locator("section.box", has_text="Фёдорова")
    totals.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/journal/monthly-act/\?.*month=2020-02"))
    assert "Фёдорова Алёна Петровна" in page.inner_text("body")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 3  # March is not in February's act
    text = [squash(rows.nth(i).inner_text()) for i in range(3)]
    assert text[0].startswith("11.01") and text[0].endswith("3100,00300,000,00")
    assert text[1].startswith("21.02") and text[1].endswith("140,0040,000,00")
    assert text[2].startswith("39.01") and text[2].endswith("250,00100,00100,00")  # additional: paid at tariff
    assert page.inner_text("#total-quantity").strip() == "6"
    assert page.inner_text("#total-amount").strip() == "100,00"
    assert page.inner_text("#basic-value").strip() == "340,00"

    # Issue the act (it gets a number), then download the PDF.
    page.click("button:has-text('Оформить акт')")
    page.wait_for_selector("#act-number")
    assert page.inner_text("#act-number").strip()
    with page.expect_download() as info:
        page.click("a.button:has-text('PDF')")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF")


# --- 5. the fee calculator ------------------------------------------------------------------------------------

def test_it_calculates_the_fee_and_explains_the_branch(seeded, world, live_server, page, log_in):
    log_in("department_head")
    page.goto(url(live_server, "billing:calculator"))
    page.select_option("#id_form", "home")
    page.fill("#id_income_per_capita", "24000")
    page.fill("#id_subsistence_minimum", "15000")
    assert page.input_value("#id_coefficient") == "1,50"  # written as every page writes a number (issue 11)
    page.fill("#id_programme_cost", "5000")
    page.click("button:has-text('Рассчитать')")
    page.wait_for_selector("#fee")
    # Threshold 1,5 × 15 000 = 22 500; half of the income above it, 750, is less than the cost of 5 000.
    assert squash(page.inner_text("#fee")) == "750,00"
    assert squash(page.inner_text("#e-threshold")) == "22500,00"
    assert squash(page.inner_text("#e-cost")) == "5000,00"
    assert page.inner_text("#e-coefficient").strip() == "1,50"
    assert page.get_attribute("#e-branch", "data-branch") == "income_share"
    assert page.inner_text("#e-branch").strip() and page.inner_text("#e-branch").strip() != "income_share"
    assert "750" in page.inner_text("#e-text")
