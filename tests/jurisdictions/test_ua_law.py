"""The jurisdictions layer and Ukraine's law in the casework: РНОКПП (check digit, worked examples), a SNILS or a
Russian-coded service on the Ukrainian side refused (model, form, API, import naming file and line), КЕКВ codes,
the default catalogue, the Ukrainian calendar."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opora.catalogue.actions import install_default_catalogue
from opora.catalogue.models import Service
from opora.exchange.export import export_directory
from opora.jurisdictions import all_jurisdictions, get, jurisdiction_for
from opora.lib.errors import DomainError
from opora.lib.workdays import JURISDICTION_COUNTRIES
from opora.org.calendar import calendar_for
from opora.org.models import Organisation
from opora.people.models import Recipient
from tests import factories as f

WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)  # the РНОКПП check digit: (Σ dᵢ·wᵢ mod 11) mod 10


def check_digit(first_nine: str) -> int:
    return sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True)) % 11 % 10


@pytest.mark.parametrize("number", ["1759013776", "3012345670", "175901377-6", " 3012345670 "])
def test_a_valid_rntrc_passes(number):
    compact = number.replace("-", "").strip()
    assert check_digit(compact[:9]) == int(compact[9])  # the worked example, restated independently
    assert get("ua").validate_identity(number) == compact


@pytest.mark.parametrize(("number", "says"), [
    ("1759013777", "check digit"),  # 1·(−1)+7·5+5·7+9·9+0+1·6+3·10+7·5+7·7 = 270; 270 mod 11 = 6 ≠ 7
    ("3012345678", "check digit"),  # Σ = 187 ≡ 0 (mod 11): the check digit is 0
    ("17590137", "10 digits"),
    ("17590137AB", "10 digits"),
    ("11223344595", "SNILS"),  # a valid SNILS is named as such
])
def test_a_wrong_rntrc_is_refused_naming_the_field(number, says):
    with translation.override("en"), pytest.raises(DomainError) as caught:
        get("ua").validate_identity(number)
    assert caught.value.field == "rntrc" and says in caught.value.message


def test_each_jurisdiction_supplies_its_law():
    ru, ua = get("ru"), get("ua")
    assert (ru.currency, ua.currency) == ("RUB", "UAH")
    assert (ru.calendar_country, ua.calendar_country) == ("RU", "UA")
    assert (ru.identity_field, ua.identity_field) == ("snils", "rntrc")
    assert (ru.fee_rule, ua.fee_rule) == ("442-FZ", "KMU-429")
    assert ua.budget_classifier == "КЕКВ" and ua.check_budget_code("2110") == "2110"
    with pytest.raises(DomainError) as caught:
        ua.check_budget_code("2115")
    assert caught.value.field == "code" and "2115" in caught.value.message
    assert ru.check_budget_code("211") == "211"  # КОСГУ: not checked
    codes = {row[0] for row in ua.default_services}
    assert {"001.0", "002.0", "015.1"} <= codes
    assert all(ua.check_service_code(code) for code in codes)
    with pytest.raises(DomainError):
        ua.check_service_code("1.1")
    assert "family_children" not in ua.department_kinds and "home_care" in ua.department_kinds
    assert jurisdiction_for(None) is ru and jurisdiction_for("ua") is ua


@pytest.fixture
def ua_org(db):
    return f.OrganisationFactory(code="tc", name="Територіальний центр", jurisdiction="ua")


def test_the_ukrainian_calendar_comes_from_the_holidays_package(ua_org):
    ru_org = f.OrganisationFactory(code="ru1", name="КЦСОН")
    independence_day = datetime.date(2021, 8, 24)  # a Tuesday: День Незалежності України
    assert not calendar_for(ua_org).is_working_day(independence_day)
    assert calendar_for(ru_org).is_working_day(independence_day)
    russia_day = datetime.date(2021, 6, 14)  # Monday: День России (moved from Saturday 12 June)
    assert not calendar_for(ru_org).is_working_day(russia_day)
    assert calendar_for(ua_org).is_working_day(russia_day)
    # a deadline of 5 working days from Friday 20 August 2021 skips the weekend and Independence Day
    assert calendar_for(ua_org).add_working_days(datetime.date(2021, 8, 20), 5) == datetime.date(2021, 8, 30)
    # the calendar code of each jurisdiction is the one the production calendar uses
    assert {j.code: j.calendar_country for j in all_jurisdictions()} == JURISDICTION_COUNTRIES


def test_the_default_catalogue_of_a_ukrainian_organisation_is_the_classifier(ua_org):
    assert install_default_catalogue(ua_org) == len(get("ua").default_services)
    assert Service.objects.get(organisation=ua_org, code="015.1").name == "Догляд вдома"
    assert not Service.objects.filter(organisation=ua_org, code="1.1").exists()


def test_the_model_refuses_a_snils_and_a_russian_service_code_in_ukraine(ua_org):
    person = Recipient(organisation=ua_org, last_name="Шевченко", first_name="Олена", sex="F",
                       birth_date=datetime.date(1950, 1, 1), snils="11223344595")
    with pytest.raises(Exception) as caught:
        person.full_clean()
    assert "snils" in caught.value.message_dict
    person.snils, person.rntrc = "", "1759013777"
    with pytest.raises(Exception) as caught:
        person.full_clean()
    assert "rntrc" in caught.value.message_dict
    person.rntrc = "1759013776"
    person.full_clean()
    service = Service(organisation=ua_org, code="1.1", name="Покупка", type="household", list="basic", unit="x")
    with pytest.raises(Exception) as caught:
        service.full_clean()
    assert "code" in caught.value.message_dict


# --- the API and the web form ----------------------------------------------------------------------------------

def _ua(world):
    Organisation.objects.filter(pk=world.org.pk).update(jurisdiction="ua")
    world.org.refresh_from_db()


def _create(client, **kw):
    data = {"last_name": "Коваленко", "first_name": "Іван", "sex": "M", "birth_date": "1948-03-02", **kw}
    return client.post("/api/v1/recipients", json.dumps(data), content_type="application/json")


def test_the_api_takes_an_rntrc_and_refuses_a_snils_for_a_ukrainian_organisation(world):
    _ua(world)
    client = world.client("specialist")
    response = _create(client, snils="148-481-255 85")
    assert response.status_code == 422, response.content
    assert any(d["loc"][-1] == "snils" for d in response.json()["detail"])
    response = _create(client, rntrc="1759013770")
    assert response.status_code == 422
    assert any(d["loc"][-1] == "rntrc" for d in response.json()["detail"])
    response = _create(client, rntrc="1759013776")
    assert response.status_code == 201, response.content
    assert response.json()["rntrc"] == "1759013776"
    assert Recipient.objects.get(rntrc="1759013776").organisation_id == world.org.pk
    found = client.get("/api/v1/recipients?search=17590137").json()  # found by the beginning of the RNOKPP
    assert [r["rntrc"] for r in found["results"]] == ["1759013776"]


def test_the_web_form_of_a_ukrainian_organisation_asks_for_the_rntrc(world):
    client = world.client("director")
    assert b'name="snils"' in client.get("/people/new/").content
    _ua(world)
    page = client.get("/people/new/").content
    assert b'name="rntrc"' in page and b'name="snils"' not in page


# --- the import ------------------------------------------------------------------------------------------------

def _write(directory: Path, name: str, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    (directory / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _import(directory: Path) -> tuple[int, str]:
    err = io.StringIO()
    try:
        with translation.override("en"):
            call_command("import", str(directory), "--quiet", stdout=io.StringIO(), stderr=err)
    except CommandError as exc:
        return exc.returncode, err.getvalue() + str(exc)
    return 0, err.getvalue()


PEOPLE_HEADER = ["external_id", "last_name", "first_name", "sex", "birth_date", "snils", "rntrc"]


def _centre(directory: Path, jurisdiction: str = "ua") -> Path:
    directory.mkdir()
    _write(directory, "organisation", [["code", "name", "jurisdiction"], ["tc", "Територіальний центр", jurisdiction]])
    _write(directory, "departments", [["code", "name", "kind"], ["home", "Відділення вдома", "home_care"]])
    return directory


def test_the_import_of_a_ukrainian_centre_names_file_line_and_column(tmp_path, db):
    d = _centre(tmp_path / "bad")
    _write(d, "recipients", [PEOPLE_HEADER,
                             ["p1", "Коваленко", "Іван", "M", "1948-03-02", "", "1759013776"],
                             ["p2", "Шевченко", "Олена", "F", "1950-01-01", "112-233-445 95", ""],
                             ["p3", "Бондар", "Петро", "M", "1951-01-01", "", "1759013777"]])
    _write(d, "services", [["code", "name", "type", "list", "unit", "tariff"],
                           ["015.1", "Догляд вдома", "household", "basic", "година", "75"],
                           ["1.1", "Покупка продуктов", "household", "basic", "услуга", "32"]])
    _write(d, "departments", [["code", "name", "kind"], ["home", "Відділення вдома", "home_care"],
                              ["fam", "Відділення роботи з сім’ями", "family_children"]])
    _write(d, "budget", [["year", "month", "fund", "code", "name", "approved"],
                         ["2021", "1", "general", "2110", "Оплата праці", "100"],
                         ["2021", "1", "general", "2115", "Невідомо", "5"]])
    _write(d, "funds", [["code", "name", "source"], ["main", "Загальний фонд", "local_budget"]])
    _write(d, "fund_receipts", [["fund_code", "date", "amount"], ["main", "2021-01-05", "100"]])
    _write(d, "spending", [["date", "fund", "code", "amount"], ["2021-01-20", "general", "2110", "40"],
                           ["2021-01-21", "general", "211", "5"]])
    status, err = _import(d)
    assert status != 0
    assert "spending.csv:3: code:" in err and "spending.csv:2" not in err and "fund_receipts" not in err
    assert "recipients.csv:3: snils:" in err
    assert "recipients.csv:4: rntrc:" in err
    assert "services.csv:3: code:" in err
    assert "budget.csv:3: code:" in err
    assert "departments.csv:3: kind:" in err and "departments.csv:2" not in err
    assert "recipients.csv:2" not in err and "services.csv:2" not in err and "budget.csv:2" not in err
    assert not Organisation.objects.filter(code="tc").exists()  # atomic


def test_a_ukrainian_centre_imports_with_its_jurisdiction_and_rntrc(tmp_path, db):
    d = _centre(tmp_path / "good")
    _write(d, "recipients", [PEOPLE_HEADER, ["p1", "Коваленко", "Іван", "M", "1948-03-02", "", "1759013776"]])
    status, err = _import(d)
    assert status == 0, err
    org = Organisation.objects.get(code="tc")
    assert org.jurisdiction == "ua"
    assert Recipient.objects.get(organisation=org, external_id="p1").rntrc == "1759013776"
    status, err = _import(d)  # idempotent
    assert status == 0, err
    # the export writes the jurisdiction and the RNOKPP back, and the export imports into a new organisation
    out = tmp_path / "export"
    out.mkdir()
    export_directory(org, out)
    assert "jurisdiction" in (out / "organisation.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    people = (out / "recipients.csv").read_text(encoding="utf-8-sig").splitlines()
    assert people[0].endswith(";rntrc") and people[1].endswith(";1759013776")
    err = io.StringIO()
    with translation.override("en"):
        call_command("import", str(out), "--quiet", "--organisation", "tc2", stdout=io.StringIO(), stderr=err)
    assert Recipient.objects.get(organisation__code="tc2").rntrc == "1759013776"
    assert Organisation.objects.get(code="tc2").jurisdiction == "ua"


def test_an_rntrc_in_a_russian_centre_is_refused(tmp_path, db):
    d = _centre(tmp_path / "ru", jurisdiction="ru")
    _write(d, "recipients", [PEOPLE_HEADER, ["p1", "Иванов", "Иван", "M", "1948-03-02", "", "1759013776"]])
    status, err = _import(d)
    assert status != 0 and "recipients.csv:2: rntrc:" in err


def test_the_errors_are_translated():
    for lang, expected in (("uk", "Контрольна цифра РНОКПП"), ("ru", "Контрольная цифра РНОКПП"),
                           ("en", "RNOKPP check digit")):
        with translation.override(lang), pytest.raises(DomainError) as caught:
            get("ua").validate_identity("1759013777")
        assert expected in caught.value.message
    with translation.override("uk"), pytest.raises(DomainError) as caught:
        get("ua").check_budget_code("9999")
    assert "КЕКВ" in caught.value.message and "не код" in caught.value.message


def test_a_kekv_code_outside_the_classifier_is_refused_by_the_api(world):
    client = world.client("accountant")
    line = {"year": 2021, "month": 1, "fund": "general", "code": "2115", "approved": "100"}
    spent = {"date": "2021-01-20", "fund": "general", "code": "2115", "amount": "40"}
    # a Russian organisation: КОСГУ is not checked
    assert client.post("/api/v1/money/budget", line, content_type="application/json").status_code == 201
    _ua(world)
    line["month"] = 2
    response = client.post("/api/v1/money/budget", line, content_type="application/json")
    assert response.status_code == 422 and any(d["loc"][-1] == "code" for d in response.json()["detail"])
    response = client.post("/api/v1/money/spending", spent, content_type="application/json")
    assert response.status_code == 422 and any(d["loc"][-1] == "code" for d in response.json()["detail"])
    assert client.post("/api/v1/money/budget", dict(line, code="2110"),
                       content_type="application/json").status_code == 201
