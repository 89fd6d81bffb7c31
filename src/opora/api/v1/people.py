"""/api/v1/recipients and /api/v1/families."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.api.v1.common import (
    Body,
    Day,
    Id,
    Page,
    PageBase,
    PageSize,
    actor_of,
    answers,
    organisation_for_write,
    paginate,
    run,
)
from opora.audit.log import log_read
from opora.lib.errors import DomainError
from opora.lib.snils import compact
from opora.org.queries import organisations_for
from opora.people import actions, queries
from opora.people.models import Category, Family, Recipient

router = Router(tags=["people"])

Sex = Literal["M", "F"]
SectorCode = Literal["", "city", "private", "rural"]
DisabilityCode = Literal["", "1", "2", "3", "child"]


class EnrolmentOut(Schema):
    id: int
    department_id: int
    department: str = Field(..., alias="department.code")
    form: str
    admitted_on: datetime.date
    discharged_on: datetime.date | None
    discharge_reason: str
    worker_id: int | None


class RecipientOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    external_id: str | None
    last_name: str
    first_name: str
    patronymic: str
    sex: str
    birth_date: datetime.date
    snils: str = Field(..., alias="snils_display")
    rntrc: str = ""
    settlement_id: int | None
    sector: str
    address: str
    phone: str
    phone_extra: str
    disability_group: str
    categories: list[str]
    family_id: int | None
    registered_department_id: int | None
    status: str

    @staticmethod
    def resolve_categories(obj: Recipient) -> list[str]:
        return [c.code for c in obj.categories.all()]


class RecipientDetail(RecipientOut):
    enrolments: list[EnrolmentOut]


class RecipientPage(PageBase):
    results: list[RecipientOut]


class RecipientIn(Body):
    organisation: str | None = None
    external_id: str | None = None
    last_name: str = Field(..., min_length=1, max_length=100)
    first_name: str = Field(..., min_length=1, max_length=100)
    patronymic: str = Field("", max_length=100)
    sex: Sex
    birth_date: Day
    snils: str = Field("", max_length=14)
    rntrc: str = Field("", max_length=14, description="Ukraine: the taxpayer number (РНОКПП), 10 digits")
    settlement_id: Id | None = None
    sector: SectorCode = ""
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    phone_extra: str = Field("", max_length=40)
    disability_group: DisabilityCode = ""
    categories: list[str] = []
    family_id: Id | None = None
    registered_department_id: Id | None = None
    confirm_duplicate: bool = False


class RecipientPatch(Body):
    external_id: str | None = None
    last_name: str | None = Field(None, min_length=1, max_length=100)
    first_name: str | None = Field(None, min_length=1, max_length=100)
    patronymic: str | None = Field(None, max_length=100)
    sex: Sex | None = None
    birth_date: Day | None = None
    snils: str | None = Field(None, max_length=14)
    rntrc: str | None = Field(None, max_length=14)
    settlement_id: Id | None = None
    sector: SectorCode | None = None
    address: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=40)
    phone_extra: str | None = Field(None, max_length=40)
    disability_group: DisabilityCode | None = None
    categories: list[str] | None = None
    family_id: Id | None = None
    registered_department_id: Id | None = None
    confirm_duplicate: bool = False


NOT_NULL = {"last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "sector", "address", "phone",
            "phone_extra", "disability_group", "rntrc"}


def _categories(codes: list[str]) -> list[Category]:
    found = {c.code: c for c in Category.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(_("Unknown category: %(codes)s.") % {"codes": ", ".join(unknown)}, field="categories")
    return list(found.values())


def _split(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None, bool]:
    categories = payload.pop("categories", None)
    confirm = payload.pop("confirm_duplicate", False)
    for key, value in list(payload.items()):
        if value is None and key in NOT_NULL:
            raise DomainError(_("This field cannot be empty."), field=key)
    if "snils" in payload:
        payload["snils"] = compact(payload["snils"])
    return payload, categories, confirm


def _detail(actor: Actor, pk: Id) -> Recipient:
    return queries.recipient_card(actor, pk)


@router.get("/recipients", response=answers(RecipientPage))
def list_recipients(request: HttpRequest, search: str = "", department_id: Id | None = None,
                    category: str | None = None, sector: str | None = None, status: str | None = None,
                    organisation: str | None = None, page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    qs = queries.search_recipients(queries.recipients_for(actor), search)
    org_id = None
    if organisation:
        org = organisations_for(actor).filter(code=organisation).first()
        org_id = org.pk if org else -1
    qs = queries.filter_recipients(qs, department_id=department_id, category=category, sector=sector,
                                   status=status, organisation_id=org_id)
    return paginate(queries.for_list(qs).select_related("organisation"), page, page_size,
                    audit=(actor, "api:recipients"))


@router.post("/recipients", response=answers(RecipientDetail, 201))
def create_recipient(request: HttpRequest, body: RecipientIn) -> Status:
    actor = actor_of(request)
    data, codes, confirm = _split(body.dict())
    org = organisation_for_write(actor, data.pop("organisation"), Perm.EDIT_PEOPLE)
    categories = _categories(codes or [])
    recipient = run(lambda: actions.do_create_recipient(org, data, categories=categories, actor=actor,
                                                        confirm_duplicate=confirm), set(body.dict()))
    return Status(201, _detail(actor, recipient.pk))


@router.get("/recipients/{int:pk}", response=answers(RecipientDetail))
def get_recipient(request: HttpRequest, pk: Id) -> Recipient:
    actor = actor_of(request)
    recipient = _detail(actor, pk)
    actions.do_view_recipient(recipient, actor=actor)
    return recipient


@router.patch("/recipients/{int:pk}", response=answers(RecipientDetail))
def patch_recipient(request: HttpRequest, pk: Id, body: RecipientPatch) -> Recipient:
    actor = actor_of(request)
    recipient = queries.get_recipient_for(actor, pk, Perm.EDIT_PEOPLE)
    sent = body.dict(exclude_unset=True)
    data, codes, confirm = _split(dict(sent))
    categories = _categories(codes) if codes is not None else None
    run(lambda: actions.do_update_recipient(recipient, data, categories=categories, actor=actor,
                                            confirm_duplicate=confirm), set(sent))
    return _detail(actor, pk)


class FamilyMemberOut(Schema):
    id: int
    full_name: str
    birth_date: datetime.date | None
    relation: str
    recipient_id: int | None


class FamilyOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    name: str
    settlement_id: int | None
    address: str
    categories: list[str]
    registered_department_id: int | None
    notes: str
    members: list[FamilyMemberOut]
    # the social register (issue 14)
    external_id: str | None
    sector: str
    children: int
    registered_on: datetime.date | None
    deregistered_on: datetime.date | None
    deregistration_reason: str

    @staticmethod
    def resolve_categories(obj: Family) -> list[str]:
        return [c.code for c in obj.categories.all()]


class FamilyIn(Body):
    organisation: str | None = None
    name: str = Field(..., min_length=1, max_length=200)
    settlement_id: Id | None = None
    address: str = Field("", max_length=300)
    categories: list[str] = []
    registered_department_id: Id | None = None
    notes: str = ""
    sector: SectorCode = ""
    children: int = Field(0, ge=0)
    registered_on: Day | None = None
    deregistered_on: Day | None = None
    deregistration_reason: str = ""


class FamilyPatch(Body):
    name: str | None = Field(None, min_length=1, max_length=200)
    settlement_id: Id | None = None
    address: str | None = Field(None, max_length=300)
    categories: list[str] | None = None
    registered_department_id: Id | None = None
    notes: str | None = None
    sector: SectorCode | None = None
    children: int | None = Field(None, ge=0)
    registered_on: Day | None = None
    deregistered_on: Day | None = None
    deregistration_reason: str | None = None


class FamilyPage(PageBase):
    results: list[FamilyOut]


def _family(actor: Actor, pk: Id) -> Family:
    return queries.get_family_for(actor, pk)


@router.get("/families", response=answers(FamilyPage))
def list_families(request: HttpRequest, search: str = "", on_register: Day | None = None, page: Page = 1,
                  page_size: PageSize = 50) -> dict[str, Any]:
    """Families in the caller's scope; ``on_register``: only those on the social register on that date."""
    actor = actor_of(request)
    qs = queries.search_families(queries.families_for(actor), search).select_related("organisation")
    if on_register is not None:
        qs = queries.on_family_register(qs, on_register)
    return paginate(qs.prefetch_related("categories", "members"), page, page_size, audit=(actor, "api:families"))


@router.post("/families", response=answers(FamilyOut, 201))
def create_family(request: HttpRequest, body: FamilyIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    codes = data.pop("categories")
    org = organisation_for_write(actor, data.pop("organisation"), Perm.EDIT_PEOPLE)
    categories = _categories(codes)
    family = run(lambda: actions.do_create_family(org, data, categories=categories, actor=actor), set(body.dict()))
    return Status(201, _family(actor, family.pk))


@router.get("/families/{int:pk}", response=answers(FamilyOut))
def get_family(request: HttpRequest, pk: Id) -> Family:
    actor = actor_of(request)
    family = _family(actor, pk)
    log_read(actor, [family, *queries.recipients_for(actor).filter(family=family)], via="api:family")
    return family


@router.patch("/families/{int:pk}", response=answers(FamilyOut))
def patch_family(request: HttpRequest, pk: Id, body: FamilyPatch) -> Family:
    actor = actor_of(request)
    family = queries.get_family_for(actor, pk, Perm.EDIT_PEOPLE)
    sent = body.dict(exclude_unset=True)
    data = dict(sent)
    codes = data.pop("categories", None)
    for key in ("name", "address", "notes"):  # text columns: null is refused as for a person (422, not a 500)
        if key in data and data[key] is None:
            raise DomainError(_("This field cannot be empty."), field=key)
    categories = _categories(codes) if codes is not None else None
    run(lambda: actions.do_update_family(family, data, categories=categories, actor=actor), set(sent))
    return _family(actor, pk)
