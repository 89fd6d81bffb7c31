"""Urgent social services: recorded without programme or enrolment, each with its act, free of charge."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opora.accounts.actions import do_create_user
from opora.accounts.actor import Actor
from opora.delivery import actions
from opora.delivery.models import Delivery, UrgentAct
from tests import factories as f
from tests.factories_delivery import make_catalogue

D = datetime.date
MAY_6 = D(2020, 5, 6)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cat(world):
    return make_catalogue(world.org)


def create(world, cat, role="director", day=MAY_6, lines=None, **data):
    values = {"department": world.urgent, "date": day, "situation": "Пожар в доме", **data}
    lines = lines if lines is not None else [{"service": cat.urgent, "quantity": 1}]
    return actions.do_create_urgent_act(world.unenrolled_home1, values, lines, actor=world.actor(role))


def test_it_records_urgent_help_without_enrolment_or_programme_free_but_additional_services_at_tariff(world, cat):
    act = create(world, cat, lines=[{"service": cat.urgent, "quantity": 2}, {"service": cat.monthly, "quantity": 1},
                                    {"service": cat.additional, "quantity": 3}])
    lines = list(act.deliveries.order_by("service__code"))
    assert [(d.service_id, d.quantity, d.amount, d.date) for d in lines] == [
        (cat.monthly.pk, 1, Decimal("0"), D(2020, 5, 6)), (cat.urgent.pk, 2, Decimal("0"), D(2020, 5, 6)),
        (cat.additional.pk, 3, Decimal("180.00"), D(2020, 5, 6))]  # 3 × 60.00, the tariff of 06.05.2020
    assert lines[0].tariff == Decimal("100.00")  # a basic service's tariff is copied for information only
    assert all(d.department_id == world.urgent.pk and d.recipient_id == world.unenrolled_home1.pk for d in lines)


def test_it_adds_up_an_additional_service_of_an_urgent_act_in_the_monthly_act_and_the_charges(world, cat):
    from opora.billing.actions import do_compute_charges
    from opora.billing.models import Charge
    from opora.delivery.queries import monthly_act_lines

    act = create(world, cat, lines=[{"service": cat.urgent, "quantity": 1}, {"service": cat.additional,
                                                                             "quantity": 2}])
    assert [(d.service_id, d.amount) for d in act.deliveries.order_by("service__code")] == [
        (cat.urgent.pk, Decimal("0")), (cat.additional.pk, Decimal("120.00"))]
    data = monthly_act_lines(world.unenrolled_home1, world.urgent.pk, D(2020, 5, 1))
    assert (data.total_quantity, data.total_amount) == (3, Decimal("120.00"))
    assert [(x.list, x.amount) for x in data.lines] == [("basic", Decimal("0")), ("additional", Decimal("120.00"))]
    do_compute_charges(world.org, D(2020, 5, 1), actor=world.actor("accountant"))
    charge = Charge.objects.get(recipient=world.unenrolled_home1, month=D(2020, 5, 1))
    assert (charge.basic_fee, charge.additional, charge.total) == (Decimal("0"), Decimal("120.00"),
                                                                    Decimal("120.00"))
    page = world.client("director").get(reverse("delivery:urgent_detail", args=[act.pk])).content.decode()
    assert "To pay for additional services: 120.00." in page
    from opora.delivery.printing import urgent_act_document
    from opora.documents.render import to_html
    assert "To pay for additional services: 120.00." in to_html(urgent_act_document(act))


def test_it_refuses_an_additional_service_without_a_tariff_on_an_urgent_act(world, cat):
    untariffed = f.ServiceFactory(organisation=world.org, list="additional", type="urgent")
    untariffed.tariffs.all().delete()
    with pytest.raises(actions.LinesError) as exc:
        create(world, cat, lines=[{"service": untariffed, "quantity": 1}])
    assert "no tariff" in exc.value.line_errors[0]["service"][0]
    assert not UrgentAct.objects.exists()


def test_it_numbers_acts_per_organisation_and_year(world, cat):
    assert create(world, cat, day=D(2020, 5, 6)).number == "1/2020"
    assert create(world, cat, day=D(2020, 5, 7)).number == "2/2020"
    assert create(world, cat, day=D(2021, 1, 11)).number == "1/2021"
    other = f.RecipientFactory(organisation=world.other_org)
    other_dept = f.DepartmentFactory(organisation=world.other_org, kind="urgent")
    director = do_create_user("other_director", role="director", organisation=world.other_org,
                              check_password=False)
    foreign_service = f.ServiceFactory(organisation=world.other_org, type="urgent")
    act = actions.do_create_urgent_act(other, {"department": other_dept, "date": D(2020, 6, 1)},
                                       [{"service": foreign_service, "quantity": 1}], actor=Actor.for_user(director))
    assert act.number == "1/2020"


def test_it_saves_the_act_and_its_lines_all_or_nothing(world, cat):
    with pytest.raises(actions.LinesError) as exc:
        create(world, cat, lines=[{"service": cat.urgent, "quantity": 1}, {"service": cat.inactive, "quantity": 1}])
    assert "no longer" in exc.value.line_errors[1]["service"][0]
    assert not UrgentAct.objects.exists() and not Delivery.objects.exists()
    with pytest.raises(ValidationError) as exc:
        create(world, cat, day=datetime.date.today() + datetime.timedelta(days=1))
    assert "future" in " ".join(exc.value.message_dict["date"])
    with pytest.raises(ValidationError) as exc:
        create(world, cat, lines=[])
    assert "lines" in exc.value.message_dict


def test_it_refuses_urgent_services_without_an_act(world, cat):
    with pytest.raises(ValidationError) as exc:
        actions.do_record_delivery(world.org, {"recipient": world.unenrolled_home1, "department": world.urgent,
                                               "service": cat.urgent, "date": D(2020, 5, 6), "quantity": 1},
                                   actor=world.actor("director"))
    assert "act of urgent services" in " ".join(exc.value.message_dict["service"])


def test_it_refuses_urgent_acts_without_the_right_or_for_a_foreign_department(world, cat):
    with pytest.raises(PermissionDenied):
        create(world, cat, role="accountant")
    foreign = f.DepartmentFactory(organisation=world.other_org)
    with pytest.raises(ValidationError) as exc:
        create(world, cat, department=foreign)
    assert "another organisation" in " ".join(exc.value.message_dict["department"])


def test_it_creates_shows_and_prints_an_act_in_the_web_ui(world, cat):
    c = world.client("director")
    url = reverse("delivery:urgent_create")
    assert c.get(url, {"q": "Сидорова"}).context["found"] == [world.unenrolled_home1]
    response = c.post(url, {"recipient": world.unenrolled_home1.pk, "department": world.urgent.pk,
                            "date": "2020-05-06", "situation": "Пожар", f"q-{cat.urgent.pk}": "2"})
    act = UrgentAct.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("delivery:urgent_detail", args=[act.pk])
    assert act.deliveries.get().quantity == 2
    detail = c.get(response["Location"])
    assert detail.status_code == 200 and "1/2020" in detail.content.decode()
    printed = c.get(reverse("delivery:urgent_print", args=[act.pk]), {"format": "docx"})
    document = docx.Document(io.BytesIO(printed.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Act of urgent social services No. 1/2020" in text and "free of charge" in text
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert cat.urgent.name in " ".join(cells) and "2" in cells
    assert c.get(reverse("delivery:urgent_print", args=[act.pk]), {"format": "pdf"}).content.startswith(b"%PDF")
    assert c.get(reverse("delivery:urgent_print", args=[act.pk]), {"format": "odt"}).status_code == 404
    listing = c.get(reverse("delivery:urgent_list"))
    assert list(listing.context["page"]) == [act]


def test_it_shows_an_error_next_to_the_line_and_saves_nothing(world, cat):
    c = world.client("director")
    response = c.post(reverse("delivery:urgent_create"), {
        "recipient": world.unenrolled_home1.pk, "department": world.urgent.pk, "date": "2099-05-06",
        f"q-{cat.urgent.pk}": "1"})
    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert not UrgentAct.objects.exists()


def test_it_keeps_acts_of_another_organisation_out_of_reach(world, cat):
    act = create(world, cat)
    other = f.RecipientFactory(organisation=world.other_org)
    assert other.pk
    stranger_user = do_create_user("stranger", role="director", organisation=world.other_org,
                                   password="demo-pass-1", check_password=False)
    stranger = Client()
    stranger.force_login(stranger_user)  # Client.login() passes no request, which the login protection needs
    assert stranger.get(reverse("delivery:urgent_detail", args=[act.pk])).status_code == 404
    assert stranger.get(reverse("delivery:urgent_print", args=[act.pk]), {"format": "docx"}).status_code == 404
    # a social worker of home1 sees acts of the people they may see or of their departments only
    foreign = actions.do_create_urgent_act(world.in_home2, {"department": world.urgent, "date": D(2020, 5, 6)},
                                           [{"service": cat.urgent, "quantity": 1}], actor=world.actor("director"))
    sw = world.client("social_worker")
    assert sw.get(reverse("delivery:urgent_detail", args=[foreign.pk])).status_code == 404
    assert sw.get(reverse("delivery:urgent_detail", args=[act.pk])).status_code == 200


def test_the_only_line_of_an_act_is_not_deleted_alone_the_act_is(world, cat):
    """Item 10 of issue 9: no numbered act stands without services."""
    act = create(world, cat, lines=[{"service": cat.urgent, "quantity": 1}, {"service": cat.monthly, "quantity": 1}])
    first, last = list(act.deliveries.order_by("pk"))
    actions.do_delete_delivery(first, actor=world.actor("director"))  # one of two: deleted
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        actions.do_delete_delivery(last, actor=world.actor("director"))
    assert "only service of the act of urgent services" in " ".join(exc.value.messages)
    assert act.deliveries.count() == 1
    # the API answers 422, the web page says so, and the line stays
    client = world.client("director")
    r = client.delete(f"/api/v1/deliveries/{last.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "delivery"]
    page = client.post(reverse("delivery:line_delete", args=[last.pk]))
    assert page.status_code == 422
    assert Delivery.objects.filter(pk=last.pk).exists()
    # the act itself is deleted with its line
    actions.do_delete_urgent_act(act, actor=world.actor("director"))
    assert not UrgentAct.objects.filter(pk=act.pk).exists() and not Delivery.objects.filter(pk=last.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_acts_saved_at_the_same_moment_get_the_next_numbers_not_a_server_error(world, cat):
    """Numbers are the largest taken + 1: two specialists saving an act at the same moment both read «none yet» (read
    committed) and the second save met the number's unique constraint. The numbering is held until the first commits
    (org.queries.hold_numbering): the second waits and takes the next number. PostgreSQL only (SQLite runs one writer
    at a time)."""
    import threading
    import time

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's writers never overlap")
    saved, first = threading.Event(), []

    def the_other_specialist():
        try:
            with transaction.atomic():
                first.append(create(world, cat, situation="Первый"))
                saved.set()
                time.sleep(0.5)  # not committed yet
        finally:
            saved.set()
            connection.close()

    thread = threading.Thread(target=the_other_specialist)
    thread.start()
    saved.wait(10)
    second = create(world, cat, situation="Второй", lines=[{"service": cat.additional, "quantity": 1}])
    thread.join()
    assert (first[0].number, second.number) == ("1/2020", "2/2020")
    assert UrgentAct.objects.count() == 2
