"""Warnings the user confirms (issue 11): a write that is valid but warned about is tried and rolled back until
the user confirms, so the page shows the errors first and the warnings only for an otherwise valid write."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


class _Rollback(Exception):
    pass


def run_confirmed(action: Callable[[], T], warnings: list[str], confirmed: bool) -> T | None:
    """``action()`` when there is nothing to confirm or the user confirmed; otherwise the action is run inside
    a savepoint that is rolled back (its errors are raised as usual) and None says «confirm the warnings»."""
    if not warnings or confirmed:
        return action()
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except _Rollback:
        return None
