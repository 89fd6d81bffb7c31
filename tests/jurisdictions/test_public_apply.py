"""The public page of electronic applications (/apply/<code>/): no login, CSRF-protected, rate-limited, nothing
personal shown; what is sent lands in the applications journal with the channel `online`."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from opora.audit.models import AuditEvent
from opora.intake.models import Application
from opora.people.models import Recipient
from tests import factories as f


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def centre(db):
    org = f.OrganisationFactory(code="pokrov", name="Територіальний центр м. Покров", jurisdiction="ua")
    home = f.DepartmentFactory(organisation=org, code="home", kind="home_care",
                               name="Відділення соціальної допомоги вдома")
    f.DepartmentFactory(organisation=org, code="adm", kind="administration", name="Адміністрація")
    f.ServiceFactory(organisation=org, code="015.1", name="Догляд вдома")
    return org, home


def form(home, **kw):
    return {"who": "relative", "applicant_name": "Марія Коваленко", "last_name": "Коваленко", "first_name": "Іван",
            "patronymic": "Петрович", "sex": "M", "birth_date": "1941-05-09", "phone": "+380 67 123 45 67",
            "email": "maria@example.org", "address": "м. Покров, вул. Центральна, 1",
            "department": str(home.pk), "service": "015.1", "request": "Потрібна допомога вдома.", "consent": "on",
            **kw}


def test_the_page_opens_without_a_login_in_ukrainian_and_shows_nothing_personal(centre):
    org, home = centre
    Recipient.objects.create(organisation=org, last_name="Таємна", first_name="Особа", sex="F",
                             birth_date=datetime.date(1950, 1, 1))
    response = Client().get("/apply/pokrov/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Територіальний центр м. Покров" in page and "Відділення соціальної допомоги вдома" in page
    assert 'lang="uk"' in page and "Подати заяву на соціальну послугу" in page
    assert "Таємна" not in page and "Адміністрація" not in page  # no person, no administration
    assert "<script" not in page and "script-src" not in response["Content-Security-Policy"]
    assert Client().get("/apply/nowhere/").status_code == 404


def test_an_application_lands_in_the_journal_with_the_channel_online(centre):
    org, home = centre
    response = Client().post("/apply/pokrov/", form(home))
    assert response.status_code == 200, response.content.decode()[:2000]
    assert 'id="state"' in response.content.decode()
    application = Application.objects.get(organisation=org)
    assert (application.channel, application.status, application.department_id) == ("online", "registered", home.pk)
    assert application.received_on == datetime.date.today() and application.requested_form == "home"
    assert application.applicant_name == "Марія Коваленко"
    assert "015.1 Догляд вдома" in application.request and "+380 67 123 45 67" in application.request
    person = application.recipient
    assert (person.last_name, person.birth_date, person.phone) == ("Коваленко", datetime.date(1941, 5, 9),
                                                                   "+380 67 123 45 67")
    assert AuditEvent.objects.filter(object_id=str(application.pk)).exists() or AuditEvent.objects.exists()
    # a second application of the same person (name and birth date) is attached to the same person
    assert Client().post("/apply/pokrov/", form(home, request="Ще раз")).status_code == 200
    assert Application.objects.filter(organisation=org, recipient=person).count() == 2
    assert Recipient.objects.filter(organisation=org).count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"consent": ""}, "consent"),
    ({"phone": ""}, "phone"),
    ({"applicant_name": ""}, "applicant_name"),
    ({"birth_date": "2999-01-01"}, "birth_date"),
    ({"department": "999999"}, "department"),
])
def test_a_wrong_application_is_refused_and_nothing_is_stored(centre, change, field):
    org, home = centre
    response = Client().post("/apply/pokrov/", form(home, **change))
    assert response.status_code == 400
    assert 'id="error"' in response.content.decode()
    assert not Application.objects.exists() and not Recipient.objects.exists()


def test_the_page_is_csrf_protected(centre):
    org, home = centre
    assert Client(enforce_csrf_checks=True).post("/apply/pokrov/", form(home)).status_code == 403
    assert not Application.objects.exists()


def test_the_page_is_rate_limited_per_address(centre, settings):
    settings.OPORA_APPLY_RATE_LIMIT = 2
    org, home = centre
    client = Client()
    for i in range(2):
        assert client.post("/apply/pokrov/", form(home, request=str(i))).status_code == 200
    response = client.post("/apply/pokrov/", form(home, request="3"))
    assert response.status_code == 429
    assert Application.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/apply/pokrov/", form(home, request="4")).status_code == 200
