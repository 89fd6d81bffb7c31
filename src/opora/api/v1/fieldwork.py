"""/api/v1/visits and /api/v1/release-notices: field work (issue 14). Thin: fieldwork's queries and actions."""

from __future__ import annotations

import datetime
import functools
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
    named,
    organisation_for_write,
    paginate,
    run,
)
from opora.audit.log import log_read
from opora.fieldwork import actions, queries
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.org.queries import get_employee_for, get_settlement_for
from opora.people.queries import get_family_for, get_recipient_for

router = Router(tags=["fieldwork"])

VisitKindCode = Literal["patronage", "home_inspection", "fire_safety", "flood_survey", "wildfire_survey", "raid",
                        "agency_request", "field_reception"]
OutcomeCode = Literal["arrived", "not_arrived", "moved", "pending"]


class VisitOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    date: datetime.date
    kind: str
    family_id: int | None
    recipient_id: int | None
    settlement_id: int | None
    worker_id: int | None
    people: int
    outcome: str


class VisitIn(Body):
    organisation: str | None = None
    date: Day
    kind: VisitKindCode
    family_id: Id | None = None
    recipient_id: Id | None = None
    settlement_id: Id | None = None
    worker_id: Id | None = None
    people: int = Field(1, ge=1, le=1_000_000)
    outcome: str = Field("", max_length=500)


class VisitPage(PageBase):
    results: list[VisitOut]


class NoticeOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.code")
    received_on: datetime.date
    full_name: str
    birth_date: datetime.date
    release_date: datetime.date
    settlement_id: int | None
    institution: str
    outcome: str
    checked_on: datetime.date | None
    recipient_id: int | None


class NoticeIn(Body):
    organisation: str | None = None
    received_on: Day
    full_name: str = Field(..., min_length=1, max_length=300)
    birth_date: Day
    release_date: Day
    settlement_id: Id | None = None
    institution: str = Field("", max_length=300)
    outcome: OutcomeCode = "pending"
    checked_on: Day | None = None
    recipient_id: Id | None = None


class NoticePatch(Body):
    outcome: OutcomeCode | None = None
    checked_on: Day | None = None
    recipient_id: Id | None = None
    settlement_id: Id | None = None
    institution: str | None = Field(None, max_length=300)


class NoticePage(PageBase):
    results: list[NoticeOut]


def _not_found(pk: Id) -> str:
    return _("Not found: %(id)s.") % {"id": pk}


def _refs(actor: Actor, data: dict[str, Any], perm: str) -> dict[str, Any]:
    """The ids of the body turned into the objects, each looked up in the actor's scope (422 on the field)."""
    out = dict(data)
    for key, name in (("family_id", "family"), ("recipient_id", "recipient"), ("settlement_id", "settlement"),
                      ("worker_id", "worker")):
        if key in out:
            pk = out.pop(key)
            out[name] = None if pk is None else named(functools.partial(_lookup, actor, key, pk, perm), key,
                                                      _not_found(pk))
    return out


def _lookup(actor: Actor, key: str, pk: Id, perm: str) -> Any:
    if key == "family_id":
        return get_family_for(actor, pk, perm)
    if key == "recipient_id":
        return get_recipient_for(actor, pk, perm)
    if key == "settlement_id":
        return get_settlement_for(actor, pk)
    return get_employee_for(actor, pk, Perm.RECORD_SERVICES)


@router.get("/visits", response=answers(VisitPage))
def list_visits(request: HttpRequest, kind: VisitKindCode | None = None, date_from: Day | None = None,
                date_to: Day | None = None, family_id: Id | None = None, recipient_id: Id | None = None,
                page: Page = 1, page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    return paginate(queries.visits_for(actor).select_related("organisation"), page, page_size,
                    where={"kind": kind, "date__gte": date_from, "date__lte": date_to, "family_id": family_id,
                           "recipient_id": recipient_id}, audit=(actor, "api:visits"))


@router.post("/visits", response=answers(VisitOut, 201))
def create_visit(request: HttpRequest, body: VisitIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.RECORD_SERVICES)
    values = _refs(actor, data, Perm.EDIT_PEOPLE)
    visit = run(lambda: actions.do_record_visit(org, values, actor=actor), set(body.dict()))
    return Status(201, queries.get_visit_for(actor, visit.pk))


@router.get("/visits/{int:pk}", response=answers(VisitOut))
def get_visit(request: HttpRequest, pk: Id) -> Visit:
    actor = actor_of(request)
    visit = queries.get_visit_for(actor, pk)
    log_read(actor, [visit], via="api:visit")
    return visit


@router.get("/release-notices", response=answers(NoticePage))
def list_release_notices(request: HttpRequest, outcome: OutcomeCode | None = None, page: Page = 1,
                         page_size: PageSize = 50) -> dict[str, Any]:
    actor = actor_of(request)
    return paginate(queries.notices_for(actor).select_related("organisation"), page, page_size,
                    where={"outcome": outcome}, audit=(actor, "api:release-notices"))


@router.post("/release-notices", response=answers(NoticeOut, 201))
def create_release_notice(request: HttpRequest, body: NoticeIn) -> Status:
    actor = actor_of(request)
    data = body.dict()
    org = organisation_for_write(actor, data.pop("organisation"), Perm.EDIT_PEOPLE)
    values = _refs(actor, data, Perm.VIEW_PEOPLE)
    notice = run(lambda: actions.do_record_notice(org, values, actor=actor), set(body.dict()))
    return Status(201, queries.get_notice_for(actor, notice.pk))


@router.get("/release-notices/{int:pk}", response=answers(NoticeOut))
def get_release_notice(request: HttpRequest, pk: Id) -> ReleaseNotice:
    actor = actor_of(request)
    notice = queries.get_notice_for(actor, pk)
    actions.do_view_notice(notice, actor=actor)
    return notice


@router.patch("/release-notices/{int:pk}", response=answers(NoticeOut))
def patch_release_notice(request: HttpRequest, pk: Id, body: NoticePatch) -> ReleaseNotice:
    actor = actor_of(request)
    notice = queries.get_notice_for(actor, pk, Perm.EDIT_PEOPLE)
    sent = body.dict(exclude_unset=True)
    values = _refs(actor, sent, Perm.VIEW_PEOPLE)
    run(lambda: actions.do_update_notice(notice, values, actor=actor), set(sent))
    return queries.get_notice_for(actor, pk)
