"""Report generators and their registry (django-oscar's dashboard reports habit).

A generator has a stable ``id``, a translated ``title``, ``is_available_to(actor, organisation)`` and
``build(organisations, period, *, actor) -> ReportDocument``. ``organisations`` is a list: one organisation,
or several for a regional consolidated report. Generators register themselves with :func:`register` at import;
every module of ``opora.reports.generators`` is imported on first use of the registry.

Scoping: reports show aggregates only (no personal data), so building one for an organisation needs
``Perm.VIEW_DASHBOARD`` there; :func:`build_report` checks it for every organisation and answers 404 otherwise.
A regional analyst has that right in all the organisations of their region, so they may build consolidated
reports over any of them. The CLI has no user: it runs as :func:`system_actor` (whoever can run ``opora`` on the
server can read the database anyway), or as a named user with ``--user``.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Iterable, Mapping, Sequence

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext

from opora.accounts.actor import Actor, Grant
from opora.accounts.roles import Perm, Role
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.programmes.queries import director_name
from opora.reports import cache as report_cache
from opora.reports import model


class ReportGenerator:
    """Base class of report generators. Subclasses set ``id`` and ``title`` and implement ``build``."""

    id: str = ""
    title: str | Promise = ""  # translated (gettext_lazy)
    perm: str = Perm.VIEW_DASHBOARD
    #: whether the report can be built over several organisations at once (consolidated)
    consolidated: bool = True
    #: whether the printed report is signed by the director (a signature block closes its DOCX)
    signed: bool = False
    #: the report's own parameters besides the organisation and the period (e.g. ``plan``); a generator that
    #: declares some receives them as ``build(…, options={name: value})``
    options: tuple[str, ...] = ()

    def is_available_to(self, actor: Actor, organisation: Organisation) -> bool:
        return actor.can(self.perm, organisation.pk)

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> model.ReportDocument:
        raise NotImplementedError

    # helpers for subclasses ---------------------------------------------------------------------------------
    @staticmethod
    def document_period(period: Period) -> model.Period:
        return model.Period(start=period.start, end=period.end, label=period.label())

    @staticmethod
    def organisation_fields(organisations: Sequence[Organisation]) -> tuple[str, str]:
        """(code, name) of the document: the organisation's, or the codes joined by commas for several."""
        if len(organisations) == 1:
            return organisations[0].code, organisations[0].name
        return ",".join(o.code for o in organisations), ", ".join(str(o) for o in organisations)

    def __str__(self) -> str:
        return str(self.title)


_REGISTRY: dict[str, ReportGenerator] = {}
_loaded = False
_loading = False
_load_lock = threading.RLock()


def register(generator: ReportGenerator | type[ReportGenerator]) -> ReportGenerator | type[ReportGenerator]:
    """Register a generator (an instance, or a class that is instantiated); usable as a class decorator."""
    instance = generator() if isinstance(generator, type) else generator
    if not instance.id:
        raise ValueError("a report generator needs an id")
    _REGISTRY[instance.id] = instance
    return generator


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
            # Discovery on first use, as Django's autodiscover does: every generator module imports this registry to
            # register itself, so the registry cannot import them at its top (a cycle inside reports, not between apps).
            # Measured (python -X importtime, after django.setup()): loading the generators takes ~8 ms, so start-up
            # does not need this; the cycle does.
            from opora.reports import generators

            for info in pkgutil.iter_modules(generators.__path__):
                importlib.import_module(f"{generators.__name__}.{info.name}")
        finally:
            _loading = False
        _loaded = True


def all_generators() -> list[ReportGenerator]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda g: g.id)


def get_generator(report_id: str) -> ReportGenerator:
    """The generator with this id; Http404 when there is none."""
    _load()
    generator = _REGISTRY.get(report_id)
    if generator is None:
        raise Http404(f"unknown report {report_id!r}")
    return generator


def report_organisations(actor: Actor) -> list[Organisation]:
    """The organisations the actor may build reports for (VIEW_DASHBOARD there)."""
    ids = {g.organisation_id for g in actor.grants_with(Perm.VIEW_DASHBOARD)}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def available_generators(actor: Actor, organisation: Organisation) -> list[ReportGenerator]:
    return [g for g in all_generators() if g.is_available_to(actor, organisation)]


def organisations_for(actor: Actor, codes: Iterable[str]) -> list[Organisation]:
    """The organisations named by code, each one the actor may build reports for; Http404 otherwise.

    The code ``all`` stands for every organisation the actor may build reports for (a consolidated report).
    """
    codes = [c.strip() for c in codes if c and c.strip()]
    allowed = {o.code: o for o in report_organisations(actor)}
    if codes == ["all"]:
        if not allowed:
            raise Http404("no organisation")
        return list(allowed.values())
    if not codes:
        raise Http404("no organisation")
    result = []
    for code in dict.fromkeys(codes):
        if code not in allowed:
            raise Http404("unknown organisation")
        result.append(allowed[code])
    return result


def build_report(report_id: str, organisations: Sequence[Organisation], period: Period, *,
                 actor: Actor, options: Mapping[str, str] | None = None) -> model.ReportDocument:
    """Build a report after checking that it exists and that the actor may see it for every organisation."""
    generator = get_generator(report_id)
    if not organisations:
        raise Http404("no organisation")
    if len(organisations) > 1 and not generator.consolidated:
        raise Http404("this report is built for one organisation at a time")
    for org in organisations:
        if not generator.is_available_to(actor, org):
            raise Http404("no such report for this organisation")
    def build() -> model.ReportDocument:
        if generator.options:
            doc = generator.build(list(organisations), period, actor=actor,  # type: ignore[call-arg]
                                  options={k: (options or {}).get(k, "") for k in generator.options})
        else:
            doc = generator.build(list(organisations), period, actor=actor)
        if generator.signed and len(organisations) == 1 and not doc.signatures:
            doc.signatures = [(gettext("Director"), director_name(organisations[0].pk))]
        return doc

    if generator.options or report_cache.seconds() <= 0:
        return build()
    # Aggregates only, the same for every actor allowed above: built once per version of the data (reports/cache.py;
    # the director's name under a signed report is an audited write, so it changes the version too).
    key = report_cache.document_key(report_id, [o.pk for o in organisations], period)
    return report_cache.cached_document(key, build)


def system_actor(organisations: Iterable[Organisation] | None = None) -> Actor:
    """The actor of the command line: a regional analyst of the given (default: all) organisations."""
    orgs = list(organisations) if organisations is not None else list(Organisation.objects.all())
    return Actor(user=None, grants=[Grant(organisation_id=o.pk, role=Role.ANALYST, department_ids=frozenset(),
                                          employee_id=None) for o in orgs])
