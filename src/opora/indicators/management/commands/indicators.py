"""`opora indicators`: the registry of indicators with their parameters and units."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from opora.indicators.registry import all_indicators


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "List the indicators (named figures of a period) with their parameters."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="", help="ru, uk or en")

    def handle(self, *args, **opts):
        if opts["language"]:
            translation.activate(opts["language"])
        for ind in all_indicators():
            self.stdout.write(f"{ind.name}\t{ind.unit}\t{ind.title}")
            for key, param in ind.params.items():
                choices = f" ({'|'.join(param.choices)})" if param.choices else ""
                self.stdout.write(f"    {key}=…\t{param.help}{choices}")
