from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Schema

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.api.v1.app import PayloadError
from opora.lib.errors import DomainError
from opora.org.models import Organisation

T = TypeVar("T")
MAX_PAGE_SIZE = 200


class Page(Schema):
    count: int
    page: int
    page_size: int
    results: list[Any]


def paginate(qs: QuerySet, page: int, page_size: int) -> dict:
    if page < 1:
        raise DomainError(_("The page number must be 1 or more."), field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(_("The page size must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE},
                          field="page_size")
    count = qs.count()
    start = (page - 1) * page_size
    return {"count": count, "page": page, "page_size": page_size, "results": list(qs[start:start + page_size])}


def actor_of(request) -> Actor:
    return get_actor(request)


def organisation_for_write(actor: Actor, code: str | None, perm: str) -> Organisation:
    """The organisation a new record goes to: the one named, or the actor's only one for this right."""
    allowed = Organisation.objects.filter(pk__in=[g.organisation_id for g in actor.grants_with(perm)])
    if code:
        org = allowed.filter(code=code).first()
        if org is None:
            raise DomainError(_("Unknown organisation or no right to write there: %(code)s.") % {"code": code},
                              field="organisation")
        return org
    orgs = list(allowed[:2])
    if not orgs:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    if len(orgs) > 1:
        raise DomainError(_("Name the organisation: you work in several."), field="organisation")
    return orgs[0]


def run(action: Callable[[], T], payload_keys: set[str]) -> T:
    """Run an action; its validation errors answer 422 under the names the client sent."""
    try:
        return action()
    except ValidationError as exc:
        raise PayloadError(exc, payload_keys) from exc
