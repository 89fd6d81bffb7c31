"""The parameters of a report request, shared by the UI, the API and the CLI.

``report`` (the generator id), ``organisation`` (a code, several codes separated by commas, or ``all`` for every
organisation the actor may report on), the period (``year`` + ``period``, or ``start`` + ``end``, see
:mod:`opora.lib.periods`) and ``format``. Unknown reports and organisations outside the actor's scope are 404;
a bad period or format is a :class:`~opora.lib.periods.PeriodError` naming the parameter (422 in the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.lib.periods import Period, PeriodError, parse_period
from opora.org.models import Organisation
from opora.reports.registry import ReportGenerator, get_generator, organisations_for, report_organisations
from opora.reports.render import FORMATS


@dataclass
class ReportRequest:
    generator: ReportGenerator
    organisations: list[Organisation]
    period: Period
    format: str
    options: dict[str, str] = field(default_factory=dict)  # the generator's own parameters (e.g. plan)


def parse_format(value: object, default: str = "json") -> str:
    fmt = (str(value).strip().lower() if value else "") or default
    if fmt not in FORMATS:
        raise PeriodError(_("Unknown format «%(format)s»: use one of %(formats)s.")
                          % {"format": fmt, "formats": ", ".join(FORMATS)}, field="format")
    return fmt


def parse_organisations(actor: Actor, value: object) -> list[Organisation]:
    """The organisations named (404 outside the scope); when none is named, the actor's only one."""
    text = str(value).strip() if value else ""
    if not text:
        allowed = report_organisations(actor)
        if len(allowed) == 1:
            return allowed
        raise PeriodError(_("Name the organisation (its code, several codes separated by commas, or «all»)."),
                          field="organisation")
    return organisations_for(actor, text.split(","))


def parse_request(report_id: str, params: Mapping[str, object], actor: Actor, *,
                  default_format: str = "json") -> ReportRequest:
    """Check everything a report request names; the generator's availability is checked for each organisation."""
    generator = get_generator(report_id)
    organisations = parse_organisations(actor, params.get("organisation"))
    from django.http import Http404

    for org in organisations:
        if not generator.is_available_to(actor, org):
            raise Http404("no such report for this organisation")
    if len(organisations) > 1 and not generator.consolidated:
        raise PeriodError(_("This report is built for one organisation at a time."), field="organisation")
    period = parse_period(params)
    fmt = parse_format(params.get("format"), default_format)
    options = {k: str(params.get(k) or "").strip() for k in generator.options}
    for name, value in options.items():
        if not value:
            raise PeriodError(_("This report needs the parameter «%(param)s».") % {"param": name}, field=name)
    return ReportRequest(generator, organisations, period, fmt, options)
