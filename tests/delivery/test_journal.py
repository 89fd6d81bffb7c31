"""The journal of services: recording lines with every check, the batch of a visit, the monthly grid, the list."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.delivery import actions
from opora.delivery.models import Delivery
from tests import factories as f
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are checked in English (the msgids), whatever the catalogues say."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cat(world):
    return make_catalogue(world.org)


@pytest.fixture
def prog(world, cat):
    return make_programme(world.in_caseload, world.home1, cat)


def record(world, role="director", **data):
    values = {"recipient": world.in_caseload, "department": world.home1, "worker": world.worker,
              "date": D(2020, 3, 2), "quantity": 1}
    values.update(data)
    return actions.do_record_delivery(world.org, values, actor=world.actor(role))


def error_of(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_it_records_a_basic_service_free_with_the_tariff_copied(world, cat, prog):
    line = record(world, service=cat.monthly, quantity=2)
    line.refresh_from_db()
    assert (line.list, line.tariff, line.amount, line.quantity) == ("basic", Decimal("100.00"), Decimal("0"), 2)
    assert AuditEvent.objects.filter(object_type="delivery.delivery", object_id=str(line.pk),
                                     event_type="created").exists()


def test_it_refuses_a_date_in_the_future(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, date=datetime.date.today() + datetime.timedelta(days=1))
    assert "future" in error_of(exc, "date")
    assert not Delivery.objects.exists()


def test_it_refuses_a_person_not_enrolled_on_that_date(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, date=D(2020, 1, 9))  # admitted on 10.01.2020
    message = error_of(exc, "recipient")
    assert "not enrolled" in message and "09.01.2020" in message and world.home1.name in message


def test_it_refuses_a_date_after_discharge_but_accepts_the_discharge_day(world, cat):
    person = f.RecipientFactory(organisation=world.org)
    f.EnrolmentFactory(recipient=person, department=world.home1, worker=world.worker, admitted_on=D(2020, 1, 10),
                       discharged_on=D(2020, 2, 1), discharge_reason="own_request")
    make_programme(person, world.home1, cat, number="П-2")
    record(world, recipient=person, service=cat.monthly, date=D(2020, 2, 1))
    with pytest.raises(ValidationError) as exc:
        record(world, recipient=person, service=cat.monthly, date=D(2020, 2, 2))
    assert "not enrolled" in error_of(exc, "recipient")


def test_it_refuses_a_department_where_the_person_is_not_enrolled(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, department=world.home2, worker=None)
    assert world.home2.name in error_of(exc, "recipient")


def test_it_refuses_an_inactive_service_and_another_organisations_service(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.inactive)
    assert "no longer" in error_of(exc, "service")
    foreign = f.ServiceFactory(organisation=world.other_org)
    with pytest.raises(ValidationError) as exc:
        record(world, service=foreign)
    assert "another organisation" in error_of(exc, "service")


def test_it_refuses_a_basic_service_outside_the_programme(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.not_in_programme)
    message = error_of(exc, "service")
    assert "not in the programme" in message and cat.not_in_programme.name in message
    assert "programme № П-1/1 in force on 02.03.2020" in message and "№ №" not in message


def test_it_refuses_a_basic_service_without_a_programme_in_force(world, cat, prog):
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, date=D(2021, 1, 5))  # the programme ended on 31.12.2020
    assert "no individual programme" in error_of(exc, "service")


def test_it_uses_the_latest_version_of_the_programme(world, cat, prog):
    prog.status = "superseded"
    prog.save()
    v2 = make_programme(world.in_caseload, world.home1, cat, valid_from=D(2020, 3, 1), version=2)
    v2.items.filter(service=cat.monthly).update(volume=1)
    record(world, service=cat.monthly, date=D(2020, 3, 3))
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, date=D(2020, 3, 4))
    assert "allows 1" in error_of(exc, "quantity")
    # before version 2, version 1 (8 a month) was in force
    record(world, service=cat.monthly, date=D(2020, 2, 3), quantity=8)


def test_it_checks_the_monthly_volume_and_accepts_a_recorded_reason(world, cat, prog):
    record(world, service=cat.monthly, date=D(2020, 3, 2), quantity=5)
    record(world, service=cat.monthly, date=D(2020, 3, 3), quantity=3)
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, date=D(2020, 3, 31), quantity=1)
    message = error_of(exc, "quantity")
    assert "allows 8" in message and "8 already delivered" in message and "reason" in message
    record(world, service=cat.monthly, date=D(2020, 3, 31), quantity=1, over_volume_reason="Обострение")
    record(world, service=cat.monthly, date=D(2020, 4, 1), quantity=8)  # a new month
    assert Delivery.objects.filter(over_volume_reason="Обострение").count() == 1


def test_it_checks_the_weekly_volume(world, cat, prog):
    record(world, service=cat.weekly, date=D(2020, 3, 2), quantity=1)  # Monday
    record(world, service=cat.weekly, date=D(2020, 3, 5), quantity=1)
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.weekly, date=D(2020, 3, 8), quantity=1)  # Sunday of the same week
    message = error_of(exc, "quantity")
    assert "allows 2" in message and "2 already delivered" in message and "02.03.2020" in message
    record(world, service=cat.weekly, date=D(2020, 3, 9), quantity=2)  # next Monday


def test_it_checks_the_volume_for_the_whole_term(world, cat, prog):
    record(world, service=cat.termly, date=D(2020, 2, 3), quantity=3)
    record(world, service=cat.termly, date=D(2020, 6, 1), quantity=2)
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.termly, date=D(2020, 11, 2), quantity=1)
    assert "allows 5" in error_of(exc, "quantity") and "5 already delivered" in error_of(exc, "quantity")


def test_it_charges_additional_services_at_the_tariff_of_the_day(world, cat):
    before = record(world, service=cat.additional, date=D(2020, 3, 10), quantity=3)
    after = record(world, service=cat.additional, date=D(2020, 3, 20), quantity=2)
    assert (before.list, before.tariff, before.amount) == ("additional", Decimal("50.00"), Decimal("150.00"))
    assert (after.tariff, after.amount) == (Decimal("60.00"), Decimal("120.00"))


def test_it_refuses_a_duplicate_line(world, cat, prog):
    record(world, service=cat.monthly)
    with pytest.raises(ValidationError) as exc:
        record(world, service=cat.monthly, quantity=2)
    assert "already exists" in error_of(exc, "service") and "quantity" in error_of(exc, "service")
    record(world, service=cat.monthly, worker=world.other_worker)  # another worker's line is not a duplicate



@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moment", ["after the check", "just before the save"])
def test_the_same_line_recorded_twice_at_once_is_refused_as_a_duplicate_not_a_server_error(world, cat, prog,
                                                                                             monkeypatch, moment):
    """Two people save the same visit at the same moment (seen under load on PostgreSQL as a 500: read committed, both
    checks saw no such line): the other one's line is committed on another connection between this one's check and
    its save — the model's unique check or the journal's unique constraint refuses the save, and the user gets the
    duplicate's message. SQLite runs one writer at a time (transactions begin IMMEDIATE): no such race there."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's writers never overlap")
    others: list[Delivery] = []

    def the_director_records_it_meanwhile():
        def run():
            try:
                others.append(record(world, service=cat.monthly, quantity=1))  # committed on its own connection
            finally:
                connection.close()
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()

    if moment == "after the check":
        checked = actions._check_line

        def check_then_the_other(line, **kwargs):
            result = checked(line, **kwargs)
            if line.quantity == 2:
                the_director_records_it_meanwhile()
            return result
        monkeypatch.setattr(actions, "_check_line", check_then_the_other)
    else:
        save = Delivery.save

        def the_other_then_save(self, *args, **kwargs):
            if self.quantity == 2:
                the_director_records_it_meanwhile()
            return save(self, *args, **kwargs)
        monkeypatch.setattr(Delivery, "save", the_other_then_save)
    with pytest.raises(actions.LinesError) as exc:
        actions.do_record_visit(world.in_caseload, D(2020, 3, 2), [{"service": cat.monthly, "quantity": 2}],
                                actor=world.actor("social_worker"))
    assert "already exists" in exc.value.line_errors[0]["service"][0]
    assert [(d.pk, d.quantity) for d in Delivery.objects.all()] == [(others[0].pk, 1)]
    assert list(AuditEvent.objects.filter(object_type="delivery.delivery").values_list("object_id", flat=True)) == [
        str(others[0].pk)]

def test_it_lets_a_social_worker_record_only_for_their_caseload_and_as_themselves(world, cat, prog):
    line = record(world, "social_worker", service=cat.monthly, worker=None)
    assert line.worker_id == world.worker.pk
    with pytest.raises(ValidationError) as exc:
        record(world, "social_worker", service=cat.monthly, date=D(2020, 3, 3), worker=world.other_worker)
    assert "themselves" in error_of(exc, "worker")
    with pytest.raises(PermissionDenied):
        record(world, "social_worker", recipient=world.in_home1_other_worker, service=cat.additional, worker=None)
    with pytest.raises(PermissionDenied):
        record(world, "social_worker", recipient=world.in_home2, department=world.home2, service=cat.additional)
    assert Delivery.objects.count() == 1


def test_it_lets_a_department_head_record_only_in_their_departments(world, cat, prog):
    record(world, "department_head", recipient=world.in_home1_other_worker, service=cat.additional,
           worker=world.other_worker)
    with pytest.raises(PermissionDenied):
        record(world, "department_head", recipient=world.in_home2, department=world.home2, service=cat.additional,
               worker=None)


def test_it_refuses_roles_without_the_right(world, cat, prog):
    with pytest.raises(PermissionDenied):
        record(world, "accountant", service=cat.monthly)


def test_it_updates_a_line_with_the_same_checks(world, cat, prog):
    line = record(world, service=cat.monthly, quantity=7)
    actions.do_update_delivery(line, {"quantity": 8}, actor=world.actor("director"))  # itself is not counted
    with pytest.raises(ValidationError) as exc:
        actions.do_update_delivery(line, {"quantity": 9}, actor=world.actor("director"))
    assert "allows 8" in error_of(exc, "quantity")
    with pytest.raises(ValidationError) as exc:
        actions.do_update_delivery(line, {"service": cat.not_in_programme}, actor=world.actor("director"))
    assert "not in the programme" in error_of(exc, "service")
    line = actions.do_update_delivery(line, {"service": cat.additional, "quantity": 2},
                                      actor=world.actor("director"))
    line.refresh_from_db()
    assert (line.list, line.amount, line.quantity) == ("additional", Decimal("100.00"), 2)
    assert AuditEvent.objects.filter(object_id=str(line.pk), event_type="updated").count() == 2


def test_it_deletes_a_line_and_audits_it(world, cat, prog):
    line = record(world, service=cat.monthly)
    with pytest.raises(PermissionDenied):
        actions.do_delete_delivery(line, actor=world.actor("accountant"))
    actions.do_delete_delivery(line, actor=world.actor("director"))
    assert not Delivery.objects.exists()
    assert AuditEvent.objects.filter(object_type="delivery.delivery", event_type="deleted").count() == 1


def test_it_records_a_visit_atomically(world, cat, prog):
    actor = world.actor("social_worker")
    lines = [{"service": cat.monthly, "quantity": 2}, {"service": cat.additional, "quantity": 1},
             {"service": cat.not_in_programme, "quantity": 1}]
    with pytest.raises(actions.LinesError) as exc:
        actions.do_record_visit(world.in_caseload, D(2020, 3, 2), lines, actor=actor)
    assert set(exc.value.line_errors) == {2}
    assert "not in the programme" in exc.value.line_errors[2]["service"][0]
    assert "lines.2.service" in exc.value.message_dict
    assert not Delivery.objects.exists()
    saved = actions.do_record_visit(world.in_caseload, D(2020, 3, 2), lines[:2], actor=actor)
    assert [d.department_id for d in saved] == [world.home1.pk, world.home1.pk]
    assert {d.worker_id for d in saved} == {world.worker.pk}


def test_it_counts_earlier_lines_of_the_same_visit_against_the_volume(world, cat, prog):
    actor = world.actor("director")
    record(world, service=cat.weekly, date=D(2020, 3, 2), quantity=1)
    lines = [{"service": cat.weekly, "quantity": 1, "worker": world.other_worker},
             {"service": cat.weekly, "quantity": 1}]
    with pytest.raises(actions.LinesError) as exc:
        actions.do_record_visit(world.in_caseload, D(2020, 3, 3), lines, actor=actor, department=world.home1)
    assert set(exc.value.line_errors) == {1}
    assert "2 already delivered" in exc.value.line_errors[1]["quantity"][0]
    assert Delivery.objects.count() == 1


def test_it_applies_the_monthly_grid_atomically(world, cat, prog):
    actor = world.actor("department_head")
    keep = record(world, service=cat.monthly, date=D(2020, 3, 2), quantity=1)
    change = record(world, service=cat.monthly, date=D(2020, 3, 3), quantity=1)
    remove = record(world, service=cat.monthly, date=D(2020, 3, 4), quantity=1)
    m = cat.monthly.pk
    cells = {(m, 2): 1, (m, 3): 3, (m, 4): 0, (m, 5): 2, (cat.not_in_programme.pk, 6): 1}
    with pytest.raises(actions.LinesError) as exc:
        actions.do_apply_grid(world.in_caseload, world.home1, D(2020, 3, 1), cells, actor=actor)
    assert set(exc.value.line_errors) == {f"{cat.not_in_programme.pk}-6"}
    assert sorted(Delivery.objects.values_list("pk", "quantity")) == [(keep.pk, 1), (change.pk, 1), (remove.pk, 1)]
    del cells[(cat.not_in_programme.pk, 6)]
    counts = actions.do_apply_grid(world.in_caseload, world.home1, D(2020, 3, 1), cells, actor=actor)
    assert counts == {"added": 1, "changed": 1, "removed": 1}
    by_day = {d.date.day: (d.quantity, d.worker_id) for d in Delivery.objects.all()}
    assert by_day == {2: (1, world.worker.pk), 3: (3, world.worker.pk), 5: (2, world.worker.pk)}


def test_it_frees_volume_in_the_grid_before_using_it(world, cat, prog):
    actor = world.actor("department_head")
    record(world, service=cat.monthly, date=D(2020, 3, 2), quantity=8)
    m = cat.monthly.pk
    actions.do_apply_grid(world.in_caseload, world.home1, D(2020, 3, 1), {(m, 9): 3, (m, 2): 5}, actor=actor)
    assert sorted(Delivery.objects.values_list("quantity", flat=True)) == [3, 5]


# --- the journal page --------------------------------------------------------------------------------------------

def _fill(world, cat, days):
    for n in range(days):
        Delivery.objects.create(organisation=world.org, recipient=world.in_caseload, department=world.home1,
                                service=cat.additional, worker=world.worker, date=D(2020, 3, 1 + n), quantity=2,
                                list="additional", tariff=Decimal("50"), amount=Decimal("100"))


def test_it_lists_the_journal_with_totals_for_the_filter(world, cat):
    _fill(world, cat, 5)
    Delivery.objects.create(organisation=world.org, recipient=world.in_home2, department=world.home2,
                            service=cat.additional, date=D(2020, 4, 1), quantity=1, list="additional",
                            tariff=Decimal("50"), amount=Decimal("50"))
    response = world.client("director").get(reverse("delivery:journal"), {"month": "2020-03"})
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.lines, totals.quantity, totals.amount) == (5, 10, Decimal("500"))
    assert world.in_caseload.last_name in response.content.decode()
    assert response.context["month_totals"][0]["amount"] == Decimal("500")
    response = world.client("social_worker").get(reverse("delivery:journal"), {"month": "2020-04"})
    assert response.context["totals"].lines == 0  # home2 is outside the social worker's scope


def test_it_lists_the_journal_in_a_constant_number_of_queries(world, cat, client, django_assert_max_num_queries):
    _fill(world, cat, 3)
    c = world.client("department_head")
    url = reverse("delivery:journal")
    with django_assert_max_num_queries(25) as few:
        c.get(url, {"month": "2020-03"})
    for n in range(25):
        Delivery.objects.create(organisation=world.org, recipient=world.in_home1_other_worker, department=world.home1,
                                service=cat.additional, worker=world.other_worker, date=D(2020, 3, 1 + n),
                                quantity=1, list="additional", tariff=Decimal("50"), amount=Decimal("50"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = c.get(url, {"month": "2020-03"})
    assert response.context["totals"].lines == 28


# --- the pages: today's visit, the monthly grid, editing a line ----------------------------------------------------

def test_it_records_todays_visit_from_the_caseload_page(world, cat, prog):
    c = world.client("social_worker")
    url = reverse("delivery:today")
    page = c.get(url, {"date": "2020-03-02"})
    assert [e.recipient_id for e in page.context["caseload"]] == [world.in_caseload.pk]
    enrolment = page.context["caseload"][0]
    page = c.get(url, {"date": "2020-03-02", "enrolment": enrolment.pk})
    services = [e["service"].pk for e in page.context["entries"]]
    assert services[:3] == [cat.monthly.pk, cat.weekly.pk, cat.termly.pk] and cat.additional.pk in services
    # one bad line (over the weekly volume, no reason): nothing saved, the error next to its line
    response = c.post(url, {"date": "2020-03-02", "enrolment": enrolment.pk, f"q-{cat.monthly.pk}": "2",
                            f"q-{cat.weekly.pk}": "3", f"q-{cat.additional.pk}": "1"})
    assert response.status_code == 200 and not Delivery.objects.exists()
    entry = next(e for e in response.context["entries"] if e["service"].pk == cat.weekly.pk)
    assert "allows 2" in entry["errors"][0] and entry["value"] == "3"
    response = c.post(url, {"date": "2020-03-02", "enrolment": enrolment.pk, f"q-{cat.monthly.pk}": "2",
                            f"q-{cat.weekly.pk}": "3", f"r-{cat.weekly.pk}": "Генеральная уборка",
                            f"q-{cat.additional.pk}": "1"})
    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("service_id", "quantity", "worker_id")) == sorted([
        (cat.monthly.pk, 2, world.worker.pk), (cat.weekly.pk, 3, world.worker.pk),
        (cat.additional.pk, 1, world.worker.pk)])
    # someone else's enrolment cannot be picked
    other = world.in_home1_other_worker.enrolments.get()
    assert c.get(url, {"date": "2020-03-02", "enrolment": other.pk}).context["enrolment"] is None


def test_the_visit_forms_delivered_so_far_is_each_items_own_period_in_one_query_per_period(world, cat, prog):
    """Issue 18: the «delivered» of the visit form's items is read per period, not per item, and stays each item's
    own figure (month, week, term) — the same as `delivered_in` item by item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opora.delivery import queries

    for day, service, quantity in ((D(2020, 3, 2), cat.monthly, 2), (D(2020, 3, 3), cat.weekly, 1),
                                   (D(2020, 2, 28), cat.weekly, 1), (D(2020, 2, 3), cat.termly, 3),
                                   (D(2020, 3, 4), cat.termly, 1), (D(2020, 2, 10), cat.monthly, 4)):
        record(world, service=service, quantity=quantity, date=day)
    day = D(2020, 3, 5)
    items = list(prog.items.all())
    spans = {item.service_id: queries.period_bounds(item, prog, day) for item in items}
    with CaptureQueriesContext(connection) as captured:
        delivered = queries.delivered_by_service(world.in_caseload.pk, world.home1.pk, spans)
    assert len(captured) == len(set(spans.values())) == 3
    expected = {service_id: queries.delivered_in(world.in_caseload.pk, world.home1.pk, service_id, *span)
                for service_id, span in spans.items()}
    assert delivered == expected and expected[cat.monthly.pk] == 2 and expected[cat.weekly.pk] == 1
    page = world.client("social_worker").get(reverse("delivery:today"), {"date": day.isoformat()})
    enrolment = page.context["caseload"][0]
    page = world.client("social_worker").get(reverse("delivery:today"),
                                             {"date": day.isoformat(), "enrolment": enrolment.pk})
    assert {e["service"].pk: e["delivered"] for e in page.context["entries"] if not e["additional"]} == expected


def _date_form_params(page) -> dict:
    """The fields the date form of the "today's visit" page submits besides the date."""
    import re

    form = re.search(r'<form class="filters" method="get">(.*?)</form>', page.content.decode(), re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_it_keeps_the_chosen_person_when_the_date_of_todays_visit_changes(world, cat, prog):
    c = world.client("social_worker")
    url = reverse("delivery:today")
    enrolment = world.in_caseload.enrolments.get()
    page = c.get(url, {"date": "2020-03-02", "enrolment": enrolment.pk})
    assert page.context["enrolment"] == enrolment
    page = c.get(url, {**_date_form_params(page), "date": "2020-03-05"})
    assert page.context["enrolment"] == enrolment and page.context["day"] == D(2020, 3, 5)
    # a new enrolment on the new date (discharged and admitted again): still the same person
    enrolment.discharged_on, enrolment.discharge_reason = D(2020, 3, 10), "own_request"
    enrolment.save()
    again = f.EnrolmentFactory(recipient=world.in_caseload, department=world.home1, worker=world.worker,
                               admitted_on=D(2020, 3, 16))
    page = c.get(url, {**_date_form_params(page), "date": "2020-03-20"})
    assert page.context["enrolment"] == again
    # not in the caseload on that date: nobody is chosen
    page = c.get(url, {**_date_form_params(page), "date": "2020-03-12"})
    assert page.context["enrolment"] is None
    assert world.in_caseload.pk not in [e.recipient_id for e in page.context["caseload"]]


def test_it_edits_the_month_in_the_grid_with_per_cell_errors(world, cat, prog):
    c = world.client("department_head")
    url = reverse("delivery:grid")
    record(world, service=cat.monthly, date=D(2020, 3, 2), quantity=2)
    params = {"department": world.home1.pk, "month": "2020-03", "recipient": world.in_caseload.pk}
    page = c.get(url, params)
    row = next(r for r in page.context["rows"] if r["service"].pk == cat.monthly.pk)
    assert row["cells"][1]["value"] == "2" and row["delivered"] == 2 and row["item"].volume == 8
    assert len(row["cells"]) == 31
    m, w = cat.monthly.pk, cat.weekly.pk
    bad = {**params, f"c-{m}-2": "", f"c-{m}-3": "4", f"c-{w}-2": "1", f"c-{w}-3": "2"}  # 3 a week > 2
    response = c.post(url, bad)
    assert response.status_code == 200
    assert set(response.context["errors"]) == {f"{w}-3"}
    assert list(Delivery.objects.values_list("date", "quantity")) == [(D(2020, 3, 2), 2)]
    response = c.post(url, {**bad, f"c-{w}-3": "1"})
    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("service_id", "date", "quantity")) == sorted([
        (m, D(2020, 3, 3), 4), (w, D(2020, 3, 2), 1), (w, D(2020, 3, 3), 1)])
    # a person of another department is not in the head's grid
    assert c.get(url, {**params, "recipient": world.in_home2.pk}).status_code == 404
    assert c.get(url, {**params, "department": world.home2.pk}).status_code == 404


def test_it_lists_basic_services_before_additional_ones_in_the_grid_as_in_the_monthly_act(world, cat, prog):
    record(world, service=cat.additional, date=D(2020, 3, 2), quantity=1)
    record(world, service=cat.monthly, date=D(2020, 3, 2), quantity=1)
    page = world.client("department_head").get(reverse("delivery:grid"), {
        "department": world.home1.pk, "month": "2020-03", "recipient": world.in_caseload.pk})
    codes = [r["service"].code for r in page.context["rows"]]
    assert codes == ["1.01", "1.02", "1.03", "9.01"]


def test_the_grid_writes_each_volume_with_its_unit_agreeing(world, cat, prog):
    """«8 услуг в месяц», «2 услуги в неделю», «5 услуг за весь срок» (lib/units.py through programmes.rules), as
    the printed programme writes them; the additional service outside the programme has none."""
    record(world, service=cat.additional, date=D(2020, 3, 2), quantity=1)
    args = {"department": world.home1.pk, "month": "2020-03", "recipient": world.in_caseload.pk}
    page = world.client("department_head").get(reverse("delivery:grid"), args)
    volumes = [r["volume"] for r in page.context["rows"]]
    assert volumes == ["8 services a month", "2 services a week", "5 services for the whole term", ""]
    assert "8 services a month" in page.content.decode()
    with translation.override("ru"):
        page = world.client("department_head").get(reverse("delivery:grid"), args, HTTP_ACCEPT_LANGUAGE="ru")
    assert [r["volume"] for r in page.context["rows"]] == [
        "8 услуг в месяц", "2 услуги в неделю", "5 услуг на весь срок", ""]


def test_it_edits_and_deletes_a_line_on_its_pages(world, cat, prog):
    line = record(world, service=cat.monthly, quantity=2)
    c = world.client("social_worker")
    url = reverse("delivery:line_edit", args=[line.pk])
    response = c.post(url, {"date": "2020-03-02", "service": cat.monthly.pk, "quantity": "9",
                            "worker": world.worker.pk})
    assert response.status_code == 200 and "allows 8" in response.content.decode()
    response = c.post(url, {"date": "2020-03-02", "service": cat.monthly.pk, "quantity": "3",
                            "worker": world.worker.pk})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 3
    other = record(world, recipient=world.in_home1_other_worker, service=cat.additional, worker=world.other_worker)
    assert c.get(reverse("delivery:line_edit", args=[other.pk])).status_code == 404
    assert c.post(reverse("delivery:line_delete", args=[other.pk])).status_code == 404
    assert c.post(reverse("delivery:line_delete", args=[line.pk])).status_code == 302
    assert list(Delivery.objects.all()) == [other]


def test_it_links_the_persons_card_to_the_journal_pages(world, cat, prog):
    card = world.client("social_worker").get(reverse("recipient_detail", args=[world.in_caseload.pk])).content.decode()
    enrolment = world.in_caseload.enrolments.get()
    assert f"{reverse('delivery:today')}?enrolment={enrolment.pk}" in card
    assert f"{reverse('delivery:monthly_act')}?recipient={world.in_caseload.pk}" in card
    card = world.client("accountant").get(reverse("recipient_detail", args=[world.in_caseload.pk])).content.decode()
    assert reverse("delivery:today") + "?" not in card and reverse("delivery:monthly_act") in card
    act = world.client("social_worker").get(reverse("delivery:monthly_act"), {"recipient": world.in_caseload.pk,
                                                                              "month": "2020-03"})
    assert act.status_code == 200 and act.context["department"] == world.home1


@pytest.mark.parametrize("role", ["director", "department_head", "social_worker", "accountant", "hr", "analyst"])
def test_it_opens_every_page_or_refuses_cleanly_for_each_role(world, cat, prog, role):
    line = record(world, service=cat.monthly)
    c = world.client(role)
    pages = [reverse("delivery:journal"), reverse("delivery:today"), reverse("delivery:grid"),
             reverse("delivery:grid") + f"?department={world.home1.pk}&month=2020-03&recipient={world.in_caseload.pk}",
             reverse("delivery:urgent_list"), reverse("delivery:urgent_create"),
             reverse("delivery:line_edit", args=[line.pk]),
             reverse("delivery:monthly_act") + f"?recipient={world.in_caseload.pk}&month=2020-03"]
    for url in pages:
        status = c.get(url).status_code
        assert status in (200, 403, 404), (url, status)
        if role in ("director", "department_head", "social_worker"):
            assert status == 200, (url, status)
        if role == "hr":
            assert status in (403, 404), (url, status)


def test_it_lists_in_the_grid_people_enrolled_there_despite_a_closed_enrolment_elsewhere(world, cat, prog):
    """A person on home care since January with a short urgent enrolment in May is in December's home1 grid;
    a person whose only home1 enrolment ended before the month is not."""
    f.EnrolmentFactory(recipient=world.in_caseload, department=world.urgent, admitted_on=D(2020, 5, 4),
                       discharged_on=D(2020, 5, 20), discharge_reason="own_request")
    left = f.RecipientFactory(organisation=world.org, last_name="Ушедший")
    f.EnrolmentFactory(recipient=left, department=world.home1, worker=world.worker, admitted_on=D(2020, 2, 1),
                       discharged_on=D(2020, 6, 30), discharge_reason="own_request")
    f.EnrolmentFactory(recipient=left, department=world.home2, admitted_on=D(2020, 7, 1))
    page = world.client("department_head").get(reverse("delivery:grid"),
                                               {"department": world.home1.pk, "month": "2020-12"})
    people = list(page.context["people"])
    assert world.in_caseload in people and world.in_home1_other_worker in people
    assert left not in people
    page = world.client("department_head").get(reverse("delivery:grid"),
                                               {"department": world.home1.pk, "month": "2020-06"})
    assert left in list(page.context["people"])


def test_it_records_a_visit_delivered_online_and_edits_the_mark(world, cat, prog):  # issue 17
    c = world.client("social_worker")
    url = reverse("delivery:today")
    enrolment = c.get(url, {"date": "2020-03-02"}).context["caseload"][0]
    page = c.get(url, {"date": "2020-03-02", "enrolment": enrolment.pk})
    assert b'name="online"' in page.content
    response = c.post(url, {"date": "2020-03-02", "enrolment": enrolment.pk, f"q-{cat.monthly.pk}": "1",
                            f"q-{cat.additional.pk}": "1", "online": "1"})
    assert response.status_code == 302
    assert sorted(Delivery.objects.values_list("service_id", "online")) == sorted([
        (cat.monthly.pk, True), (cat.additional.pk, True)])
    line = Delivery.objects.get(service=cat.additional)
    edit = reverse("delivery:line_edit", args=[line.pk])
    form = c.get(edit).context["form"]
    assert form["online"].value() is True
    data = {"date": "2020-03-02", "service": cat.additional.pk, "quantity": 1, "worker": world.worker.pk}
    assert c.post(edit, data).status_code == 302  # the box unticked: not online any more
    line.refresh_from_db()
    assert line.online is False
