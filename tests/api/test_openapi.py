"""The API's contract: every operation declares its error answers and a typed success schema, schema names are
unique, money is a JSON number with two decimals, and "absent" and "not yours" get one answer."""

from __future__ import annotations

import datetime
import json
import types
import typing
from typing import Any

import pytest
from django.utils import translation
from pydantic import BaseModel

from opora.api.v1 import api
from opora.delivery.models import Delivery
from tests import factories as f
from tests.factories_delivery import make_catalogue, make_programme

ERROR_CODES = {"401", "403", "404", "422"}
# Operations that take no parameter and check no right: only 401 (no valid session or token) can happen.
ONLY_401 = {("get", "/api/v1/departments"), ("get", "/api/v1/questionnaire"), ("get", "/api/v1/reports")}


@pytest.fixture
def schema(world) -> dict[str, Any]:
    response = world.client("director").get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def ref_name(node: dict[str, Any]) -> str:
    return node["$ref"].rsplit("/", 1)[-1]


def test_every_operation_declares_its_error_answers(schema):
    ops = operations(schema)
    assert len(ops) >= 47
    for method, path, op in ops:
        codes = set(op["responses"])
        expected = {"401"} if (method, path) in ONLY_401 else ERROR_CODES
        assert expected <= codes, (method, path, codes)
        for code in codes & ERROR_CODES:
            body = op["responses"][code]["content"]["application/json"]["schema"]
            assert ref_name(body) == ("ValidationErrors" if code == "422" else "Error"), (method, path, code)


def _untyped(node: Any, components: dict[str, Any], seen: set[str], where: str) -> list[str]:
    """Every place under ``node`` where an object has no declared shape."""
    if isinstance(node, list):
        return [x for i, item in enumerate(node) for x in _untyped(item, components, seen, f"{where}[{i}]")]
    if not isinstance(node, dict):
        return []
    if "$ref" in node:
        name = ref_name(node)
        if name in seen:
            return []
        seen.add(name)
        return _untyped(components[name], components, seen, name)
    found = []
    if node.get("type") == "object" or (not node.get("type") and not any(
            k in node for k in ("anyOf", "oneOf", "allOf", "enum", "const", "items"))):
        extra = node.get("additionalProperties")
        if "properties" not in node and not isinstance(extra, dict):
            found.append(where)
        if isinstance(extra, dict) and not extra:
            found.append(where)
    for key in ("properties", "additionalProperties", "items", "anyOf", "oneOf", "allOf"):
        if key in node:
            value = node[key]
            if key == "properties":
                found += [x for name, sub in value.items() for x in _untyped(sub, components, seen, f"{where}.{name}")]
            elif value is not True:
                found += _untyped(value, components, seen, f"{where}.{key}")
    return found


def test_no_operation_answers_an_untyped_object(schema):
    components = schema["components"]["schemas"]
    for method, path, op in operations(schema):
        for code, answer in op["responses"].items():
            if code == "204":
                assert "content" not in answer
                continue
            body = answer["content"]["application/json"]["schema"]
            assert "$ref" in body or (body.get("type") == "array" and "$ref" in body["items"]), (method, path, code)
            assert _untyped(body, components, set(), f"{method} {path} {code}") == []


def _models(annotation: Any, found: dict[str, set[type]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found.setdefault(annotation.__name__, set()):
            return
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _models(arg, found)
    if isinstance(annotation, types.UnionType):
        for arg in annotation.__args__:
            _models(arg, found)


def test_schema_names_and_operation_ids_are_unique(schema):
    found: dict[str, set[type]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for model in op.response_models.values():  # ninja's wrappers: the schema is their "response"
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        _models(model.model_fields["response"].annotation, found)
                for params in op.models:  # ninja's wrappers of the parameters: the body schema is a field
                    for field in params.model_fields.values():
                        _models(field.annotation, found)
    clashes = {name: classes for name, classes in found.items() if len(classes) > 1}
    assert clashes == {}
    assert {"QuestionnaireItemOut", "ProgrammeItemOut", "RecipientPage", "ValidationErrors"} <= set(found)
    components = set(schema["components"]["schemas"])
    assert {"QuestionnaireItemOut", "ProgrammeItemOut", "RecipientOut", "Error"} <= components
    items = schema["components"]["schemas"]["QuestionnaireOut"]["properties"]["items"]["items"]
    assert ref_name(items) == "QuestionnaireItemOut"
    ids = [op["operationId"] for _m, _p, op in operations(schema)]
    assert len(ids) == len(set(ids)) and "list_recipients" in ids


def test_pages_are_typed(schema):
    components = schema["components"]["schemas"]
    pages = {name: c for name, c in components.items() if name.endswith("Page")}
    assert set(pages) == {"RecipientPage", "FamilyPage", "EmployeePage", "ApplicationPage", "ProgrammePage",
                          "DeliveryPage", "ChargePage", "BalancePage",
                          "AidPage", "BudgetPage", "SpendingPage",
                          "VisitPage", "NoticePage", "ComplaintPage",
                          "GroupPage", "EventPage", "TripPage",
                          "RentalItemPage", "RentalPage", "VolunteerPage",  # issue 13: rental point, volunteers
                          "ShiftPage", "BrigadeTripPage"}
    for name, page in pages.items():
        assert {"count", "page", "page_size", "results"} <= set(page["properties"]), name
        assert "$ref" in page["properties"]["results"]["items"], name


def test_money_is_a_number_in_the_schema(schema):
    components = schema["components"]["schemas"]
    for name, field in [("DeliveryOut", "amount"), ("TariffOut", "price"), ("ChargeOut", "total"),
                        ("FeePreviewOut", "fee"), ("ContractOut", "monthly_fee")]:
        assert components[name]["properties"][field]["type"] == "number", (name, field)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_money_has_two_decimals_in_every_answer(world, english):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)
    client = world.client("director")
    body = {"recipient_id": world.in_caseload.pk, "department_id": world.home1.pk, "service_id": cat.additional.pk,
            "date": "2020-03-02", "quantity": 3}
    r = client.post("/api/v1/deliveries", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert b'"tariff": 50.00' in r.content and b'"amount": 150.00' in r.content
    listed = client.get("/api/v1/deliveries", {"month": "2020-03"})
    assert b'"totals": {"lines": 1, "quantity": 3, "amount": 150.00}' in listed.content
    act = client.get("/api/v1/monthly-acts", {"recipient": world.in_caseload.pk, "department": world.home1.pk,
                                              "month": "2020-03"})
    assert b'"basic_value": 0.00' in act.content and b'"value": 150.00' in act.content


def test_absent_and_another_organisations_answer_alike(world, english):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)
    other_cat = make_catalogue(world.other_org)
    other_line = Delivery.objects.create(
        organisation=world.other_org, recipient=world.other_org_person, department=world.other_org_person
        .enrolments.get().department, service=other_cat.monthly, date=datetime.date(2020, 3, 3), quantity=1,
        list="basic")
    client = world.client("director")
    absent = 10**6
    for url in ("/api/v1/deliveries/{}", "/api/v1/recipients/{}", "/api/v1/programmes/{}",
                "/api/v1/urgent-acts/{}"):
        mine_not = client.get(url.format(other_line.pk if "deliveries" in url else world.other_org_person.pk))
        nowhere = client.get(url.format(absent))
        assert (mine_not.status_code, mine_not.json()) == (nowhere.status_code, nowhere.json()) == (
            404, {"detail": "Not Found"}), url
    other_dept = world.other_org_person.enrolments.get().department
    other_worker = f.EmployeeFactory(organisation=world.other_org, department=other_dept)
    base = {"recipient_id": world.in_caseload.pk, "department_id": world.home1.pk, "service_id": cat.monthly.pk,
            "date": "2020-03-02", "quantity": 1}

    def answer(**change: int) -> tuple[int, list[Any]]:
        r = client.post("/api/v1/deliveries", json.dumps({**base, **change}), content_type="application/json")
        detail = r.json()["detail"]
        return r.status_code, [(d["loc"], d["msg"].replace(str(next(iter(change.values()))), "ID")) for d in detail]

    for field, foreign in (("department_id", other_dept.pk), ("service_id", other_cat.monthly.pk),
                           ("worker_id", other_worker.pk)):
        assert answer(**{field: foreign}) == answer(**{field: absent}) == (
            422, [(["body", field], "Not found: ID.")]), field
    assert not Delivery.objects.filter(organisation=world.org).exists()


def test_a_report_as_data_matches_its_schema(world):
    from opora.api.v1.reports import ReportDataOut

    r = world.client("director").get("/api/v1/reports/journal_summary", {"organisation": "kcson", "year": "2020"})
    assert r.status_code == 200
    data = ReportDataOut.model_validate(r.json())
    assert data.report == "journal_summary" and data.period.start == "2020-01-01"


def test_the_questionnaire_is_typed(world):
    data = world.client("director").get("/api/v1/questionnaire").json()
    assert data["max_score"] > 0 and data["items"][0]["options"][0].keys() == {"value", "label"}


def test_dates_in_answers_are_iso(world):
    r = world.client("director").get(f"/api/v1/recipients/{world.in_caseload.pk}")
    assert r.json()["birth_date"] == datetime.date(1940, 5, 1).isoformat()


def test_the_api_address_leads_to_its_docs(client):
    response = client.get("/api/v1/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs"
