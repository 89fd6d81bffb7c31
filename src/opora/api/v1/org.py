"""/api/v1/departments and /api/v1/staff."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.api.v1.common import (
    ONLY_401,
    Body,
    Day,
    Id,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    named,
    organisation_for_write,
    paginate,
    run,
)
from opora.core.reference import DepartmentKind, Position
from opora.org import actions, queries
from opora.org.models import Department

router = Router(tags=["organisation"])

KindCode = Literal["home_care", "urgent", "day_stay", "social_adaptation", "family_children", "rehabilitation",
                   "homeless", "administration"]
PositionCode = Literal["director", "deputy_director", "department_head", "social_worker", "social_work_specialist",
                       "psychologist", "lawyer", "medical_nurse", "cultural_organiser", "accountant", "hr_specialist",
                       "driver", "other"]
assert set(KindCode.__args__) == set(DepartmentKind.values)  # type: ignore[attr-defined]
assert set(PositionCode.__args__) == set(Position.values)  # type: ignore[attr-defined]


class DepartmentOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    name: str
    kind: str
    is_active: bool


class DepartmentIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=300)
    kind: KindCode
    is_active: bool = True


class EmployeeOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    tab_no: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    department_id: int
    hired_on: datetime.date
    dismissed_on: datetime.date | None


class EmployeePage(PageBase):
    results: list[EmployeeOut]


class EmployeeIn(Body):
    organisation: str | None = None
    tab_no: str = Field(..., min_length=1, max_length=20)
    last_name: str = Field(..., min_length=1, max_length=100)
    first_name: str = Field(..., min_length=1, max_length=100)
    patronymic: str = Field("", max_length=100)
    position: PositionCode
    department_id: Id
    hired_on: Day
    dismissed_on: Day | None = None


@router.get("/departments", response=answers(list[DepartmentOut], errors=ONLY_401))
def list_departments(request: HttpRequest) -> QuerySet[Department]:
    return queries.departments_for(actor_of(request)).select_related("organisation")


@router.post("/departments", response=answers(DepartmentOut, 201))
def create_department(request: HttpRequest, body: DepartmentIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_ORG)
    return Status(201, run(lambda: actions.do_create_department(org, data, actor=actor), set(data)))


@router.get("/staff", response=answers(EmployeePage))
def list_staff(request: HttpRequest, search: str = "", active: bool | None = None, department_id: Id | None = None,
               page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    qs = queries.search_employees(queries.employees_for(actor), search, active_only=bool(active))
    return paginate(qs.select_related("organisation"), page, page_size, where={"department_id": department_id},
                    audit=(actor, "api:staff"))


@router.post("/staff", response=answers(EmployeeOut, 201))
def create_employee(request: HttpRequest, body: EmployeeIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.EDIT_STAFF)
    department_id = data.pop("department_id")
    data["department"] = named(lambda: queries.get_department_for(actor, department_id, Perm.EDIT_STAFF),
                               "department_id", _("Unknown department."), org.pk)
    return Status(201, run(lambda: actions.do_create_employee(org, data, actor=actor), body.dict()))
