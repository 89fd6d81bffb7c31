"""A quantity with its unit of measure in the right plural form: «1 услуга», «3 услуги», «8 услуг».

The catalogue stores a service's unit as one word in Russian (``услуга``, ``час``, ``сутки``…). The units the
default catalogue uses are known here and go through Django's ``npgettext`` (context ``unit``), so the catalogue
of each language gives its plural forms by the language's own rule (ru and uk: three forms, en: two). A unit not
known here is written as stored, after the number.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import npgettext

from opora.lib.formats import integer


def _forms() -> dict[str, Callable[[int], str]]:
    return {
        "услуга": lambda n: npgettext("unit", "%(n)s service", "%(n)s services", n),
        "окно": lambda n: npgettext("unit", "%(n)s window", "%(n)s windows", n),
        "комната": lambda n: npgettext("unit", "%(n)s room", "%(n)s rooms", n),
        "загрузка": lambda n: npgettext("unit", "%(n)s load", "%(n)s loads", n),
        "сотка": lambda n: npgettext("unit", "%(n)s are", "%(n)s ares", n),
        "блюдо": lambda n: npgettext("unit", "%(n)s dish", "%(n)s dishes", n),
        "час": lambda n: npgettext("unit", "%(n)s hour", "%(n)s hours", n),
        "процедура": lambda n: npgettext("unit", "%(n)s procedure", "%(n)s procedures", n),
        "сутки": lambda n: npgettext("unit", "%(n)s day (24 hours)", "%(n)s days (24 hours)", n),
        "кг": lambda n: npgettext("unit", "%(n)s kg", "%(n)s kg", n),
        "км": lambda n: npgettext("unit", "%(n)s km", "%(n)s km", n),
    }


def counted(quantity: int, unit: str) -> str:
    """``8 услуг``: the quantity and its unit agreeing with it (the stored unit as is when not known)."""
    form = _forms().get(unit.strip().lower())
    if form is None:
        return f"{integer(quantity)} {unit}".strip()
    return form(quantity) % {"n": integer(quantity)}
