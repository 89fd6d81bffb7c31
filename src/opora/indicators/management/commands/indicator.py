"""`opora indicator NAME --organisation CODE (--year YYYY [--period P] | --start D --end D) [--param K=V …]`.

Prints one number (money with two decimals and a decimal point, as the JSON does). Runs as the system actor.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from opora.indicators.queries import command_actor, value_for
from opora.indicators.registry import get_indicator
from opora.lib.errors import DomainError
from opora.lib.periods import PERIOD_CODES, parse_period
from opora.org.models import Organisation


def parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise DomainError(_("«%(pair)s» is not KEY=VALUE.") % {"pair": pair}, field="param")
        params[key.strip()] = value.strip()
    return params


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Print the value of one indicator for an organisation and a period."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--year", default="")
        parser.add_argument("--period", default="", help="|".join(PERIOD_CODES))
        parser.add_argument("--start", default="")
        parser.add_argument("--end", default="")
        parser.add_argument("--param", action="append", default=[], help="KEY=VALUE, once per pair")
        parser.add_argument("--language", default="")

    def handle(self, *args, **opts):
        if opts["language"]:
            translation.activate(opts["language"])
        try:
            ind = get_indicator(opts["name"])
            period = parse_period({k: opts[k] for k in ("year", "period", "start", "end")})
            params = parse_params(opts["param"])
            org = Organisation.objects.filter(code=opts["organisation"]).first()
            if org is None:
                raise Http404("unknown organisation")
            actor = command_actor(org)
            value = value_for(actor, ind.name, org, period.start, period.end, params)
        except DomainError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}" if exc.field else exc.message) from None
        except Http404:
            raise CommandError(_("Unknown organisation «%(code)s».") % {"code": opts["organisation"]}) from None
        self.stdout.write(f"{value:.2f}" if isinstance(value, Decimal) else str(value))
