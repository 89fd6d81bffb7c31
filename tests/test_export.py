"""`opora export DIR --organisation CODE`: the exchange files written back; import of an export reproduces the data."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.catalogue.models import Service
from opora.delivery.models import Delivery
from opora.org.models import AssignmentPlan, Department, Employee, Organisation
from opora.people.models import Enrolment, Recipient
from tests.test_import import build, categories, run  # noqa: F401  (categories is a fixture)


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
                               "deliveries", "assignment"))
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
