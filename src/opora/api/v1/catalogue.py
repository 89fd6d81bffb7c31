"""/api/v1/services: the catalogue with its tariffs."""

from __future__ import annotations

import builtins
import datetime
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.api.v1.common import (
    Amount,
    Body,
    Day,
    Money,
    actor_of,
    answers,
    organisation_for_write,
    run,
)
from opora.catalogue import actions, queries
from opora.catalogue.models import Service
from opora.core.reference import ServiceList, ServiceType

router = Router(tags=["catalogue"])

TypeCode = Literal["household", "medical", "psychological", "pedagogical", "labour", "legal", "communicative",
                   "urgent"]
ListCode = Literal["basic", "additional"]
assert set(TypeCode.__args__) == set(ServiceType.values)  # type: ignore[attr-defined]
assert set(ListCode.__args__) == set(ServiceList.values)  # type: ignore[attr-defined]


class TariffOut(Schema):
    valid_from: datetime.date
    price: Money


class ServiceOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    code: str
    name: str
    type: str
    list: str
    unit: str
    time_norm_min: int | None
    is_active: bool
    innovative: bool  # issue 17
    tariffs: builtins.list[TariffOut]


class ServiceIn(Body):
    organisation: str | None = None
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=500)
    type: TypeCode
    list: ListCode
    unit: str = Field(..., min_length=1, max_length=50)
    time_norm_min: int | None = Field(None, ge=0)
    is_active: bool = True
    innovative: bool = False  # issue 17
    tariff: Amount | None = Field(None, ge=0, decimal_places=2)
    tariff_from: Day | None = None


@router.get("/services", response=answers(builtins.list[ServiceOut]))
def list_services(request: HttpRequest, type: TypeCode | None = None,  # noqa: A002 — the parameters' public names
                  list: ListCode | None = None) -> QuerySet[Service]:  # noqa: A002
    qs = queries.services_for(actor_of(request)).select_related("organisation")
    if type:
        qs = qs.filter(type=type)
    if list:
        qs = qs.filter(list=list)
    return qs


@router.post("/services", response=answers(ServiceOut, 201))
def create_service(request: HttpRequest, body: ServiceIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.MANAGE_CATALOGUE)
    price, valid_from = data.pop("tariff"), data.pop("tariff_from")

    def create() -> Service:
        service = actions.do_create_service(org, data, actor=actor)
        if price is not None:
            actions.do_set_tariff(service, {"price": price, "valid_from": valid_from or datetime.date.today()},
                                  actor=actor)
        return service

    service = run(transaction.atomic(create), set(body.dict()))
    return Status(201, queries.get_service_for(actor, service.pk, Perm.MANAGE_CATALOGUE))
