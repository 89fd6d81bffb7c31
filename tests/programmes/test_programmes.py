"""Individual programmes (ИППСУ): drawing up, checks, versions, the programme on a day, cost, scope, printing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document as open_docx

from opora.audit.models import AuditEvent
from opora.lib.errors import DomainError
from opora.programmes import queries
from opora.programmes.actions import do_close_programme, do_create_programme, do_revise_programme
from opora.programmes.models import Programme, ProgrammeStatus
from tests.factories_programmes import D, make_programme, make_services, recognised_application, standard_items


@pytest.fixture
def s(world):
    return make_services(world.org)


def docx_text(data: bytes) -> str:
    d = open_docx(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


# --- drawing up ------------------------------------------------------------------------------------------------

def test_it_draws_up_a_programme_from_a_recognised_application_with_defaults(world, s):
    application = recognised_application(world)
    p = do_create_programme(world.in_caseload, {"application": application, "valid_from": D(2020, 1, 15),
                                                "valid_to": D(2021, 1, 14), "drawn_up_on": D(2020, 1, 15)},
                            standard_items(s), actor=world.actor("director"))
    assert p.form == "home" and p.department == world.home1  # from the decision
    assert p.number == "2020-1" and p.version == 1 and p.status == ProgrammeStatus.ACTIVE
    assert p.review_on == D(2021, 1, 14)
    assert p.provider == "КЦСОН Тестовый"
    assert [i.service.code for i in p.items.order_by("service__code")] == ["1.01", "1.02", "1.03"]
    assert p.warnings == []
    second = make_programme(world, s, recipient=world.in_home2, department=world.home2)
    assert second.number == "2020-2"
    assert AuditEvent.objects.filter(object_type="programmes.programme", object_id=str(p.pk)).exists()


def test_it_warns_when_the_programme_is_drawn_up_later_than_ten_working_days_after_the_decision(world, s):
    application = recognised_application(world, decided_on=D(2020, 1, 9))  # Thursday; +10 working days = 23.01
    on_time = do_create_programme(world.in_caseload, {"application": application, "drawn_up_on": D(2020, 1, 23),
                                                      "valid_to": D(2020, 12, 31)}, standard_items(s),
                                  actor=world.actor("director"))
    assert on_time.warnings == []
    do_close_programme(on_time, D(2020, 1, 31), actor=world.actor("director"))
    late = do_create_programme(world.in_caseload, {"application": application, "drawn_up_on": D(2020, 1, 24),
                                                   "valid_from": D(2020, 2, 1), "valid_to": D(2020, 12, 31)},
                               standard_items(s), actor=world.actor("director"))
    assert len(late.warnings) == 1 and "23.01.2020" in late.warnings[0]


def test_it_refuses_a_programme_from_an_application_not_recognised(world, s):
    application = recognised_application(world)
    application.status = "registered"
    application.save()
    with pytest.raises(DomainError) as e:
        do_create_programme(world.in_caseload, {"application": application, "valid_to": D(2020, 12, 31)},
                            standard_items(s), actor=world.actor("director"))
    assert e.value.field == "application"


def test_it_refuses_a_term_longer_than_three_years_naming_the_field(world, s):
    with pytest.raises(DomainError) as e:
        make_programme(world, s, valid_from=D(2020, 1, 10), valid_to=D(2023, 1, 11))
    assert e.value.field == "valid_to"
    assert "3" in e.value.message
    assert make_programme(world, s, valid_from=D(2020, 1, 10), valid_to=D(2023, 1, 10)).pk  # exactly 3 years


@pytest.mark.parametrize("rows, words", [
    ([], "хотя бы одну"),
    ([{"service": "windows", "volume": 1}], "дополнительная услуга"),
    ([{"service": "retired", "volume": 1}], "больше не предоставляется"),
    ([{"service": "shopping", "volume": 0}], "не меньше 1"),
    ([{"service": "shopping", "volume": 2, "period": "day"}], "в неделю, в месяц"),
    ([{"service": "shopping", "volume": 2}, {"service": "shopping", "volume": 3}], "уже включена в программу"),
])
def test_it_checks_the_services_of_the_programme(world, s, rows, words):
    items = [{**r, "service": getattr(s, r["service"])} for r in rows]
    with pytest.raises(DomainError) as e:
        do_create_programme(world.in_caseload, {"form": "home", "department": world.home1, "valid_from": D(2020, 1, 10),
                                                "valid_to": D(2020, 12, 31)}, items, actor=world.actor("director"))
    assert e.value.field == "items"
    assert words in e.value.message
    assert not Programme.objects.exists()


def test_it_refuses_a_service_of_another_organisation(world, s):
    foreign = make_services(world.other_org)
    with pytest.raises(DomainError) as e:
        do_create_programme(world.in_caseload, {"form": "home", "department": world.home1,
                                                "valid_from": D(2020, 1, 10), "valid_to": D(2020, 12, 31)},
                            [{"service": foreign.shopping, "volume": 1}], actor=world.actor("director"))
    assert e.value.field == "items"


def test_it_refuses_urgent_form_and_a_second_programme_over_an_active_one(world, s):
    with pytest.raises(DomainError) as e:
        make_programme(world, s, form="urgent")
    assert e.value.field == "form"
    make_programme(world, s)
    with pytest.raises(DomainError) as e:
        make_programme(world, s, valid_from=D(2020, 6, 1))
    assert e.value.field == "valid_from"


def test_it_lets_only_casework_editors_draw_up_within_their_departments(world, s):
    with pytest.raises(PermissionDenied):
        make_programme(world, s, role="social_worker")
    with pytest.raises(PermissionDenied):
        make_programme(world, s, role="accountant")
    with pytest.raises(DomainError) as e:  # the head of home1 cannot draw up in home2
        make_programme(world, s, role="department_head", recipient=world.in_caseload, department=world.home2)
    assert e.value.field == "department"
    assert make_programme(world, s, role="department_head").pk


# --- versions --------------------------------------------------------------------------------------------------

def test_it_revises_a_programme_as_a_new_version(world, s):
    v1 = make_programme(world, s)
    v2 = do_revise_programme(v1, {"drawn_up_on": D(2020, 6, 1), "valid_from": D(2020, 6, 1), "care_level": 2},
                             [{"service": s.shopping, "volume": 12, "period": "month"},
                              {"service": s.nurse, "volume": 4, "period": "month"}], actor=world.actor("director"))
    v1.refresh_from_db()
    assert v1.status == ProgrammeStatus.SUPERSEDED
    assert (v2.number, v2.version, v2.previous, v2.status) == (v1.number, 2, v1, ProgrammeStatus.ACTIVE)
    assert v2.valid_to == v1.valid_to and v2.care_level == 2
    assert {i.service.code: i.volume for i in v2.items.all()} == {"1.01": 12, "2.01": 4}
    assert [v.version for v in queries.versions_of(v1)] == [1, 2]
    with pytest.raises(DomainError) as e:
        do_revise_programme(v1, {}, None, actor=world.actor("director"))
    assert e.value.field == "status"
    v3 = do_revise_programme(v2, {"drawn_up_on": D(2020, 9, 1)}, None, actor=world.actor("director"))
    assert v3.version == 3 and v3.valid_from == D(2020, 9, 1)
    assert {i.service.code for i in v3.items.all()} == {"1.01", "2.01"}  # copied


def test_it_finds_the_version_that_applies_on_a_day(world, s):
    v1 = make_programme(world, s)
    v2 = do_revise_programme(v1, {"drawn_up_on": D(2020, 6, 1), "valid_from": D(2020, 6, 1)},
                             [{"service": s.nurse, "volume": 4, "period": "month"}], actor=world.actor("director"))
    person, home1 = world.in_caseload, world.home1.pk
    assert queries.active_programme_on(person, home1, D(2020, 1, 9)) is None
    on_march = queries.active_programme_on(person, home1, D(2020, 3, 1))
    assert on_march.pk == v1.pk and {i.service.code for i in on_march.items.all()} == {"1.01", "1.02", "1.03"}
    assert queries.active_programme_on(person, home1, D(2020, 6, 1)).pk == v2.pk
    assert queries.active_programme_on(person.pk, None, D(2020, 12, 31)).pk == v2.pk
    assert queries.active_programme_on(person, home1, D(2021, 1, 1)) is None
    assert queries.active_programme_on(person, world.home2.pk, D(2020, 3, 1)) is None
    do_close_programme(v2, D(2020, 8, 31), actor=world.actor("director"))
    assert queries.active_programme_on(person, home1, D(2020, 8, 31)).pk == v2.pk
    assert queries.active_programme_on(person, home1, D(2020, 9, 1)) is None
    assert queries.active_programme_on(person, home1, D(2020, 3, 1)).pk == v1.pk  # the past keeps its version


def test_it_computes_the_monthly_cost_from_week_month_and_term_volumes(world, s):
    p = make_programme(world, s)  # 10.01.2020–31.12.2020: 12 months
    # shopping 8 a month × 100 + cleaning 2 a week × 52/12 × 40 + repair 6 for the term / 12 × 300
    assert queries.programme_monthly_cost(p, on=D(2020, 3, 1)) == Decimal("1296.67")
    assert queries.programme_monthly_cost(p, on=D(2020, 7, 1)) == Decimal("1456.67")  # new tariff: 8 × 120
    lines = {line.item.service.code: line for line in queries.programme_cost_lines(p, D(2020, 3, 1))}
    assert (lines["1.02"].monthly_volume.quantize(Decimal("0.0001")), lines["1.02"].amount) == (
        Decimal("8.6667"), Decimal("346.67"))


def test_it_refuses_a_review_date_more_than_three_years_after_the_start(world, s):
    data = {"valid_from": D(2020, 1, 15), "valid_to": D(2022, 12, 31), "drawn_up_on": D(2020, 1, 15),
            "form": "home", "department": world.home1}
    with pytest.raises(DomainError) as caught:
        do_create_programme(world.in_caseload, {**data, "review_on": D(2023, 1, 16)}, standard_items(s),
                            actor=world.actor("director"))
    assert caught.value.field == "review_on" and "15.01.2023" in caught.value.message
    p = do_create_programme(world.in_caseload, {**data, "review_on": D(2023, 1, 15)}, standard_items(s),
                            actor=world.actor("director"))
    assert p.review_on == D(2023, 1, 15)


# --- scope -----------------------------------------------------------------------------------------------------

def test_it_scopes_programmes_per_role(world, s):
    mine = make_programme(world, s)
    other_worker = make_programme(world, s, recipient=world.in_home1_other_worker)
    home2 = make_programme(world, s, recipient=world.in_home2, department=world.home2)
    every = {mine.pk, other_worker.pk, home2.pk}
    assert set(queries.programmes_for(world.actor("director")).values_list("pk", flat=True)) == every
    assert set(queries.programmes_for(world.actor("accountant")).values_list("pk", flat=True)) == every
    assert set(queries.programmes_for(world.actor("department_head")).values_list("pk", flat=True)) == {
        mine.pk, other_worker.pk}
    assert set(queries.programmes_for(world.actor("social_worker")).values_list("pk", flat=True)) == {mine.pk}
    assert not queries.programmes_for(world.actor("hr")).exists()
    client = world.client("social_worker")
    assert client.get(reverse("programmes:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("programmes:detail", args=[other_worker.pk])).status_code == 404
    page = client.get(reverse("programmes:list")).content.decode()
    assert mine.number in page and "Иванов" not in page


def test_it_offers_in_the_filter_only_the_departments_of_the_actor(world, s):
    from tests import factories as f

    admin_dept = f.DepartmentFactory(organisation=world.org, code="adm", kind="administration", name="Администрация")
    closed = f.DepartmentFactory(organisation=world.org, code="old", kind="home_care", name="Закрытое", is_active=False)
    url = reverse("programmes:list")
    head = world.client("department_head").get(url).context["form"].fields["department"].queryset
    assert list(head) == [world.home1]
    director = set(world.client("director").get(url).context["form"].fields["department"].queryset)
    assert director == {world.home1, world.home2, world.urgent}
    assert admin_dept not in director and closed not in director
    # a department not offered is refused, not silently ignored
    response = world.client("department_head").get(url, {"department": world.home2.pk})
    assert response.context["form"].errors and "department" in response.context["form"].errors


def test_it_answers_404_for_another_organisations_programme(world, s):
    foreign_services = make_services(world.other_org)
    from opora.programmes.models import ProgrammeItem

    foreign = Programme.objects.create(
        organisation=world.other_org, recipient=world.other_org_person, number="X-1", drawn_up_on=D(2020, 1, 1),
        valid_from=D(2020, 1, 1), valid_to=D(2020, 12, 31), form="home",
        department=world.other_org_person.enrolments.get().department)
    ProgrammeItem.objects.create(programme=foreign, service=foreign_services.shopping, volume=1)
    for role in ("director", "department_head", "social_worker"):
        client = world.client(role)
        assert client.get(reverse("programmes:detail", args=[foreign.pk])).status_code == 404
        assert client.get(reverse("programmes:programme_print", args=[foreign.pk]) + "?format=pdf").status_code == 404
        assert client.get(f"/api/v1/programmes/{foreign.pk}").status_code == 404


# --- pages -----------------------------------------------------------------------------------------------------

def test_it_draws_up_a_programme_through_the_page(world, s):
    application = recognised_application(world)
    client = world.client("department_head")
    url = reverse("programmes:create") + f"?application={application.pk}"
    page = client.get(url)
    assert page.status_code == 200 and "Фёдорова" in page.content.decode()
    response = client.post(url, {
        "drawn_up_on": "2020-01-15", "valid_from": "2020-01-15", "valid_to": "2020-12-31", "form": "home",
        "department": world.home1.pk, "number": "", "provider": "", "review_on": "", "care_level": "0",
        "weekly_hours": "0", "days_per_week": "0", "visits_per_day": "0", "support_measures": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0",
        "items-0-service": s.shopping.pk, "items-0-volume": "8", "items-0-period": "month",
        "items-0-periodicity": "2 раза в неделю",
        "items-1-service": s.cleaning.pk, "items-1-volume": "2", "items-1-period": "week", "items-1-periodicity": "",
        "items-2-service": "", "items-2-volume": "", "items-2-period": "month", "items-2-periodicity": "",
        "confirm_warnings": "1",  # the person has no consent on file (a warning, confirmed)
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Programme.objects.get()
    assert p.application == application and p.items.count() == 2
    assert response["Location"] == reverse("programmes:detail", args=[p.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Покупка и доставка продуктов питания" in detail


def test_it_shows_the_errors_of_a_bad_programme_on_the_page_and_saves_nothing(world, s):
    client = world.client("director")
    url = reverse("programmes:create") + f"?recipient={world.in_caseload.pk}"
    response = client.post(url, {
        "drawn_up_on": "2020-01-15", "valid_from": "2020-01-15", "valid_to": "2024-12-31", "form": "home",
        "department": world.home1.pk, "care_level": "0", "weekly_hours": "0", "days_per_week": "0",
        "visits_per_day": "0", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-service": s.shopping.pk, "items-0-volume": "8", "items-0-period": "month",
    })
    assert response.status_code == 200
    assert "не более 3 лет" in response.content.decode()
    assert not Programme.objects.exists()


def test_it_prints_the_programme_as_docx_and_pdf(world, s):
    p = make_programme(world, s, care_level=2, weekly_hours=6, days_per_week=3, visits_per_day=1,
                       support_measures="Содействие в получении медицинской помощи")
    client = world.client("social_worker")
    url = reverse("programmes:programme_print", args=[p.pk])
    docx = client.get(url + "?format=docx")
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(docx.content)
    for expected in ("Фёдорова Алёна Петровна", "01.05.1940", "112-233-445 95", "Покупка и доставка продуктов питания",
                     "Уборка жилого помещения", "10.01.2020 – 31.12.2020", "Содействие в получении медицинской",
                     "Фёдорова А. П.", "2 раза в неделю",
                     "8 услуг в месяц", "2 услуги в неделю"):  # programmes.rules.volume_text, as the grid writes it
        assert expected in text, expected
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    assert client.get(url + "?format=odt").status_code == 404
