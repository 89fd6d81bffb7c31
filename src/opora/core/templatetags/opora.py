"""``{% load opora %}``: the pager, and the filters that show figures and dates through :mod:`opora.lib.formats`.

``{{ amount|money }}`` → ``1 234,50``, ``{{ count|integer }}`` → ``530 487``, ``{{ share|percent }}`` →
``116,92 %``, ``{{ delta|change }}`` → ``+14,18 %``, ``{{ day|day }}`` → ``31.12.2020``, ``{{ month|month_year }}``
→ ``март 2020``, in the active language (no-break spaces in ru and uk). None is an empty string; a value that is
not a number is shown as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from opora.lib import formats

register = template.Library()


# The menu of every page (includes_nav.html) by (language, permissions granted, script prefix): ~50 {% url %} and
# as many translations that are the same for every page of a role (issue 18: ≈3 ms of a page's CPU).
_NAV: dict[tuple[str, tuple[str, ...], str], SafeString] = {}


@register.simple_tag(takes_context=True)
def nav(context: template.Context) -> SafeString:
    """The menu, from ``perms_`` (dashboard.context_processors.actor): rendered once per process for each language
    and set of permissions granted; the menu has nothing else in it (no user, no organisation, no token)."""
    perms = context.get("perms_") or {}
    granted = tuple(sorted(name for name, value in perms.items() if value))
    key = (translation.get_language() or "", granted, get_script_prefix())
    html = _NAV.get(key)
    if html is None:
        html = mark_safe(render_to_string("includes_nav.html", {"perms_": dict.fromkeys(granted, True)}))
        if not settings.DEBUG:  # templates edited while developing show at once
            _NAV[key] = html
    return html


@register.inclusion_tag("includes_pager.html")
def pager(page: Page, query: str = "") -> dict[str, Any]:
    return {"page": page, "query": query}


def _number(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return formats.to_decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def money(value: Any) -> str:
    """Two decimals, half-up, grouped: ``1 234,50``."""
    number = _number(value)
    return formats.money(number) if number is not None else ("" if value is None else str(value))


@register.filter
def integer(value: Any) -> str:
    """A count, grouped: ``530 487``."""
    number = _number(value)
    if number is None or number != number.to_integral_value():
        return "" if value is None else str(value)
    return formats.integer(int(number))


@register.filter
def percent(value: Any, places: int = 2) -> str:
    """``116,92 %``."""
    number = _number(value)
    return formats.percent(number, int(places)) if number is not None else ("" if value is None else str(value))


@register.filter
def change(value: Any, places: int = 2) -> str:
    """A signed change in percent: ``+14,18 %``."""
    number = _number(value)
    return formats.signed_percent(number, int(places)) if number is not None else ("" if value is None else str(value))


@register.filter
def day(value: Any) -> str:
    """``31.12.2020`` (a date-time is shown as its local day)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.day(value.date())
    if isinstance(value, datetime.date):
        return formats.day(value)
    return "" if value is None else str(value)


@register.filter
def month_year(value: Any) -> str:
    """``март 2020``."""
    if isinstance(value, datetime.date):
        return formats.month_year(value)
    return "" if value is None else str(value)
