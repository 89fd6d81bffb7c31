"""The one registry of indicators: named figures of a period computed from the record (DESIGN.md "Indicators").

An indicator is a function of a :class:`Query` (the organisations, the period's first and last day and the
parameters, already checked) returning an ``int`` or a ``Decimal``. It is registered once, with its parameters
and its unit, by the decorator::

    @indicator("services", unit="int", title=gettext_lazy("Services delivered"),
               params={"department": Param(gettext_lazy("department code")), ...})
    def services(q: Query) -> int: ...

The definitions live in the modules of ``opora.indicators.definitions`` (one per domain: ``casework.py`` …);
every module there is imported on the registry's first use, so adding an indicator is adding a module (or a
function) there, nothing else. Plans, the dashboard, the CLI (`opora indicators`, `opora indicator NAME`) and
the API (`/api/v1/indicators`) all ask this registry, so the same question gets the same answer everywhere.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from opora.lib.errors import DomainError

Unit = Literal["int", "money", "percent", "decimal"]
Value = int | Decimal


@dataclass(frozen=True)
class Param:
    """A documented parameter; ``choices`` (when given) are the values it accepts."""

    help: str | Promise
    choices: Sequence[str] = ()


@dataclass(frozen=True)
class Query:
    organisation_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date  # inclusive
    params: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.params.get(name, "")


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str | Promise
    unit: Unit
    params: Mapping[str, Param]
    function: Callable[[Query], Value]

    def check_params(self, params: Mapping[str, str]) -> dict[str, str]:
        """The parameters, checked: an unknown name or a value outside the choices is a DomainError naming it."""
        checked: dict[str, str] = {}
        for key, value in params.items():
            spec = self.params.get(key)
            if spec is None:
                raise DomainError(_("The indicator «%(indicator)s» has no parameter «%(param)s» (it has: "
                                    "%(known)s).") % {"indicator": self.name, "param": key,
                                                      "known": ", ".join(self.params) or "—"}, field=key)
            value = str(value).strip()
            if not value:
                raise DomainError(_("The parameter «%(param)s» needs a value.") % {"param": key}, field=key)
            if spec.choices and value not in spec.choices:
                raise DomainError(_("Unknown value «%(value)s» of the parameter «%(param)s»: use one of "
                                    "%(choices)s.") % {"value": value, "param": key,
                                                       "choices": ", ".join(spec.choices)}, field=key)
            checked[key] = value
        return checked

    def compute(self, organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                params: Mapping[str, str] | None = None) -> Value:
        query = Query(tuple(organisation_ids), start, end, self.check_params(params or {}))
        return self.function(query)


_REGISTRY: dict[str, Indicator] = {}
_loaded = False
_loading = False
_load_lock = threading.RLock()


def indicator(name: str, *, title: str | Promise, unit: Unit = "int",
              params: Mapping[str, Param] | None = None) -> Callable[[Callable[[Query], Value]],
                                                                       Callable[[Query], Value]]:
    """Register the decorated function as the indicator ``name`` (once: a second registration is an error)."""
    def decorate(function: Callable[[Query], Value]) -> Callable[[Query], Value]:
        if name in _REGISTRY:
            raise ValueError(f"indicator {name!r} is registered twice")
        _REGISTRY[name] = Indicator(name, title, unit, dict(params or {}), function)
        return function
    return decorate


def _load() -> None:
    # Under a lock (issue 18): the server's threads start at once, and one of them that saw the flag set
    # before another had imported every module met a half-filled registry ("unknown indicator", found by
    # benchmarks/load.py). _loading returns early to a re-entrant call of the loading thread, as before.
    global _loaded, _loading
    if _loaded:
        return
    with _load_lock:
        if _loaded or _loading:
            return
        _loading = True
        try:
            # Discovery on first use (as reports/registry.py does): each definitions module imports this registry.
            from opora.indicators import definitions

            for info in pkgutil.iter_modules(definitions.__path__):
                importlib.import_module(f"{definitions.__name__}.{info.name}")
        finally:
            _loading = False
        _loaded = True


def all_indicators() -> list[Indicator]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda i: i.name)


def known() -> dict[str, frozenset[str]]:
    """Indicator name → the names of its parameters (what plans/rules.py checks placeholders against)."""
    return {i.name: frozenset(i.params) for i in all_indicators()}


def get_indicator(name: str) -> Indicator:
    """The indicator named so; a DomainError naming it otherwise."""
    _load()
    found = _REGISTRY.get(name)
    if found is None:
        raise DomainError(_("Unknown indicator «%(indicator)s».") % {"indicator": name}, field="indicator")
    return found
