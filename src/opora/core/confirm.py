"""Warnings the user confirms (issue 11): a write that is valid but warned about is tried and rolled back until
the user confirms, so the page shows the errors first and the warnings only for an otherwise valid write. The web
forms (a «confirm» checkbox) and the API (``"confirm_warnings": true``, else 409) go through :func:`run_confirmed`;
which warnings a write has is decided once, by its app's query (``intake.queries.application_warnings``,
``programmes.queries.warnings_to_confirm``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction

from opora.accounts.actor import Actor
from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.core.actions import organisation_of

T = TypeVar("T")


class _Rollback(Exception):
    pass


def run_confirmed(action: Callable[[], T], warnings: list[str], confirmed: bool, *,
                  actor: Actor | None = None) -> T | None:
    """``action()`` when there is nothing to confirm or the user confirmed; otherwise the action is run inside
    a savepoint that is rolled back (its errors are raised as usual) and None says «confirm the warnings».

    With ``actor``, the warnings confirmed are recorded in the audit against the record the action made, in the
    same transaction (``{"confirmed_warnings": [null, [...]]}``)."""
    if not warnings or confirmed:
        with transaction.atomic():
            result = action()
            if warnings and actor is not None and isinstance(result, models.Model):
                log_event(actor=actor, event_type=EventType.UPDATED, obj=result,
                          organisation_id=organisation_of(result),
                          changes={"confirmed_warnings": [None, [str(w) for w in warnings]]})
        return result
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except _Rollback:
        return None
