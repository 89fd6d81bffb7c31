"""What every router of the API shares: the error answers, typed pages, the one error wrapper of actions, and the
look-up of objects that a request names by id."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.api.v1.app import PayloadError, UnconfirmedWarnings, client_name
from opora.audit.log import log_read
from opora.core.confirm import run_confirmed
from opora.delivery.rules import MAX_QUANTITY
from opora.lib import formats
from opora.lib.dates import DateFormatError, parse_date
from opora.lib.errors import DomainError
from opora.org.models import Organisation

T = TypeVar("T")
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # 200 million rows at the largest page size; a larger page number is refused, not computed

# --- bounded numbers: a value out of range answers 422 where the database would otherwise overflow (500) -----------

MAX_ID = 2**63 - 1  # a BIGINT primary key
# An id in a path, a query or a body. One past the largest key is still "not found"; 10^25 is a 422.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A page number and a page size of a list: bounds stated in the schema, refused by paginate() with its messages.
Page = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1})]
PageSize = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE})]
# The quantity of a line of services: 1 to MAX_QUANTITY, checked by delivery/rules.py with the message the web form
# and the import give (so the schema states the bounds and the rules refuse, in one wording).
Quantity = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY})]

# Money (and any other decimal) in an answer: a JSON number with two decimals, written by the API's renderer
# through opora.lib.money_json, the encoder the reports' JSON uses too.
Money = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "Two decimals, rounded half-up."})]


# --- the error answers ---------------------------------------------------------------------------------------------

class Error(Schema):
    """401 ``{"detail": "Unauthorized"}``, 403 ``{"detail": "<message>"}``, 404 ``{"detail": "Not Found"}``."""

    detail: str


class ValidationErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    """422: each error with where it is (``["body", "field"]``, ``["query", "month"]``), its message and type."""

    detail: list[ValidationErrorItem]


class WarningsToConfirm(Schema):
    """409: the write is valid but warned about (no consent to personal-data processing on file, a second open
    application of the person); nothing was saved. Send the same request with ``"confirm_warnings": true`` to save
    it: the answer then lists the warnings confirmed, and the audit records them."""

    detail: str
    warnings: list[str]


ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error, 422: ValidationErrors}
# The writes that may be warned about: the error answers and 409.
WARNED: dict[int, type[Schema]] = {**ERRORS, 409: WarningsToConfirm}
# The operations that take no parameter and check no right answer only 401 (no valid session or token).
ONLY_401: dict[int, type[Schema]] = {401: Error}


def answers(schema: Any, status: int = 200, errors: dict[int, type[Schema]] = ERRORS) -> dict[int, Any]:
    """The ``response=`` of an operation: its success schema under ``status`` and the error answers."""
    return {status: schema, **errors}


# --- dates and amounts in a request: exactly as the schema says (strict bodies do not coerce) ----------------------

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_AMOUNT = Decimal(10) ** 12  # an amount of money in a request is below a trillion (the columns hold 14 digits)


def _iso_day(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):  # exactly so: no spaces around it, no time
        try:
            return parse_date(value, iso_only=True)
        except DateFormatError:  # a day that does not exist: 2020-02-30
            pass
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


def _amount(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
    else:
        raise ValueError(_("Enter a number."))
    if not number.is_finite() or abs(number) >= MAX_AMOUNT:
        raise ValueError(_("The number must be less than %(max)s.") % {"max": formats.integer(int(MAX_AMOUNT))})
    return number


# A date in a body or a query: an ISO string (not a number of seconds, not a date-time).
Day = Annotated[datetime.date, BeforeValidator(_iso_day)]
# An amount of money in a body: a JSON number or a numeric string, finite, below MAX_AMOUNT.
Amount = Annotated[Decimal, BeforeValidator(_amount)]


# NUL and the other control characters (but tab and line breaks), and lone surrogates: no column can hold them
# (PostgreSQL refuses NUL in text), so a request that carries one is a 422.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def bad_character(value: Any) -> str | None:
    """"U+0000" for the first bad character in a string, or in the strings of a JSON value; None if none."""
    if isinstance(value, str):
        m = _BAD_CHARACTER.search(value)
        return None if m is None else f"U+{ord(m.group()):04X}"
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for item in value:
            found = bad_character(item)
            if found:
                return found
    return None


# --- bodies ---------------------------------------------------------------------------------------------------------

class Body(Schema):
    """The base of every request body: a JSON object. ``[]``, a number or a string answers 422 (a Schema alone
    would read them as an empty object and change nothing with a 200). Strict: a value of another JSON type than
    the schema's is refused (``0`` is not ``false``, ``"5"`` is not ``5``); dates and amounts through Day and Amount.
    """

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        obj = getattr(data, "_obj", data)  # ninja hands the object wrapped in a DjangoGetter
        if not isinstance(obj, dict):
            raise ValueError(_("The body must be a JSON object."))
        bad = bad_character(obj)
        if bad:
            raise ValueError(_("The text contains the control character %(code)s.") % {"code": bad})
        return data


# --- pages ----------------------------------------------------------------------------------------------------------

class PageBase(Schema):
    """The fields of every page; each list has its own page schema with typed ``results``."""

    count: int
    page: int
    page_size: int


def paginate(qs: QuerySet[Any], page: int, page_size: int, *, where: Mapping[str, Any] | None = None,
             order: Sequence[str] = (), each: Callable[[Any], Any] | None = None,
             audit: tuple[Actor, str] | None = None) -> dict[str, Any]:
    """One page of a list endpoint, the one way every list answers.

    ``qs`` is the actor's scoped query; ``where`` narrows it by the query parameters, a lookup for each
    (``{"date__gte": start, "kind": kind}``): a value None or "" was not asked for and filters nothing (False
    does filter). ``order`` orders it when the scoped query's own order is not the list's. The page is counted
    and cut (the page number and size refused past their bounds); ``audit=(actor, via)`` records the people the
    page shows as seen in a list (audit.log.log_read); ``each`` then turns a row into what the schema reads.
    """
    if page < 1:
        raise DomainError(_("The page number must be 1 or more."), field="page")
    if page > MAX_PAGE:
        raise DomainError(_("The page number must be at most %(max)s.") % {"max": MAX_PAGE}, field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError(_("The page size must be between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE},
                          field="page_size")
    asked = {lookup: value for lookup, value in (where or {}).items() if value is not None and value != ""}
    if asked:
        qs = qs.filter(**asked)
    if order:
        qs = qs.order_by(*order)
    count = qs.count()
    start = (page - 1) * page_size
    rows = list(qs[start:start + page_size])
    if audit is not None:
        log_read(audit[0], rows, via=audit[1], many=True)
    if each is not None:
        rows = [each(row) for row in rows]
    return {"count": count, "page": page, "page_size": page_size, "results": rows}


# --- who asks, and where a new record goes ---------------------------------------------------------------------------

def actor_of(request: HttpRequest) -> Actor:
    return get_actor(request)


def need(actor: Actor, perm: str, message: str | None = None) -> None:
    """403 unless the actor has the right in at least one organisation."""
    if not actor.grants_with(perm):
        raise PermissionDenied(message or _("You do not have the right to do this in this organisation."))


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
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    if len(orgs) > 1:
        raise DomainError(_("Name the organisation: you work in several."), field="organisation")
    return orgs[0]


# --- objects named in a request body ----------------------------------------------------------------------------------

def named(lookup: Callable[[], T], field: str, message: str, organisation_id: int | None = None) -> T:
    """An object the body names by id, found through its app's scoped ``get_<thing>_for(actor, pk)``.

    Absent, outside the actor's scope, or (with ``organisation_id``) of another organisation: one answer,
    422 on ``field`` with ``message``, so the answer never tells whether the id exists elsewhere.
    """
    try:
        obj = lookup()
    except Http404:
        raise DomainError(message, field=field) from None
    if organisation_id is not None and getattr(obj, "organisation_id", None) != organisation_id:
        raise DomainError(message, field=field)
    return obj


# --- the one error wrapper --------------------------------------------------------------------------------------------

def run_warned(action: Callable[[], T], keys: Iterable[str], warnings: list[str], confirmed: bool,
               actor: Actor) -> T:
    """:func:`run` for a write the page makes the user confirm (core.confirm.run_confirmed): the action's errors
    first (422), then 409 with the warnings unless ``confirmed``; when saved, the warnings confirmed are audited."""
    result = run(lambda: run_confirmed(action, warnings, confirmed, actor=actor), keys)
    if result is None:
        raise UnconfirmedWarnings(warnings)
    return result


def run(action: Callable[[], T], keys: Iterable[str]) -> T:
    """Run an action: its ValidationError or DomainError answers 422, each field named as the client sent it."""
    sent = set(keys)
    try:
        return action()
    except ValidationError as exc:
        raise PayloadError(exc, sent) from exc
    except DomainError as exc:
        if exc.field and client_name(exc.field, sent) != exc.field:
            raise DomainError(exc.message, field=client_name(exc.field, sent)) from exc
        raise
