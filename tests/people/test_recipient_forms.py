"""Registering and editing people through the web forms: validation next to the field."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from opora.audit.models import AuditEvent
from opora.people.models import Recipient

VALID = {
    "last_name": "Семёнова", "first_name": "Галина", "patronymic": "Ивановна", "sex": "F",
    "birth_date": "1944-03-08", "snils": "148-481-255 85",
}


def test_it_registers_a_person_and_opens_the_card(world):
    response = world.client("director").post("/people/new/", VALID)
    assert response.status_code == 302
    person = Recipient.objects.get(last_name="Семёнова")
    assert person.snils == "14848125585"
    assert person.search_name == "семенова галина ивановна"
    card = world.client("director").get(response["Location"]).content.decode()
    assert "148-481-255 85" in card


def test_it_shows_a_bad_snils_checksum_next_to_the_field_in_russian(world):
    response = world.client("director").post("/people/new/", {**VALID, "snils": "148-481-255 86"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "snils" in form.errors
    assert "контрольн" in form.errors["snils"][0].lower()
    assert not Recipient.objects.filter(last_name="Семёнова").exists()


def test_it_answers_in_ukrainian_when_the_user_chose_it(world):
    client = world.client("director")
    client.cookies["django_language"] = "uk"
    response = client.post("/people/new/", {**VALID, "snils": "123"})
    assert "11" in response.context["form"].errors["snils"][0]
    assert "СНІЛС" in response.context["form"].errors["snils"][0]


def test_it_rejects_a_birth_date_in_the_future_and_missing_required_fields(world):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = world.client("director").post("/people/new/", {**VALID, "birth_date": tomorrow.isoformat(),
                                                              "first_name": ""})
    errors = response.context["form"].errors
    assert "birth_date" in errors and "first_name" in errors


def test_it_refuses_a_second_person_with_the_same_snils_without_naming_them(world):
    # A department head of home2 must not learn who in home1 holds the SNILS.
    world.users["department_head"].memberships.get().departments.set([world.home2])
    response = world.client("department_head").post("/people/new/", {**VALID, "snils": "112-233-445 95"})
    message = response.context["form"].errors["snils"][0]
    assert "СНИЛС" in message and "Фёдорова" not in message
    assert world.org.recipients.filter(snils="11223344595").count() == 1


def test_it_names_namesakes_only_within_the_actors_scope(world):
    from opora.people.actions import do_create_recipient

    p = world.in_caseload
    data = {"last_name": p.last_name, "first_name": p.first_name, "patronymic": p.patronymic, "sex": "F",
            "birth_date": p.birth_date}
    with pytest.raises(ValidationError) as outside:
        do_create_recipient(world.org, data, actor=world.actor("social_worker"), confirm_duplicate=False)
    assert "Фёдорова" in str(outside.value)
    world.users["department_head"].memberships.get().departments.set([world.home2])
    with pytest.raises(ValidationError) as hidden:
        do_create_recipient(world.org, data, actor=world.actor("department_head"))
    assert "Фёдорова" not in str(hidden.value)


def test_it_warns_of_a_namesake_and_registers_after_confirmation(world):
    same = {**VALID, "last_name": "Федорова", "first_name": "Алена", "patronymic": "Петровна",
            "birth_date": "1940-05-01", "snils": ""}
    client = world.client("director")
    first = client.post("/people/new/", same)
    assert first.status_code == 200
    assert "Фёдорова Алёна Петровна" in " ".join(first.context["form"].non_field_errors())
    assert Recipient.objects.filter(search_name="федорова алена петровна").count() == 1
    second = client.post("/people/new/", {**same, "confirm_duplicate": "on"})
    assert second.status_code == 302
    assert Recipient.objects.filter(search_name="федорова алена петровна").count() == 2


def test_it_records_old_and_new_values_when_a_person_is_edited(world):
    person = world.in_caseload
    data = {**VALID, "last_name": "Фёдорова", "first_name": "Алёна", "patronymic": "Петровна",
            "birth_date": "1940-05-01", "snils": "112-233-445 95", "phone": "+7 900 000-00-01"}
    response = world.client("social_worker").post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(object_type="people.recipient", object_id=str(person.pk),
                                      event_type="updated").get()
    assert event.changes["phone"] == ["", "+7 900 000-00-01"]
    assert event.actor == world.users["social_worker"]
    assert event.organisation == world.org


def test_it_does_not_let_hr_open_the_registration_form(world):
    assert world.client("hr").get("/people/new/").status_code == 403
