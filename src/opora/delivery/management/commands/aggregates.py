"""`opora aggregates --check|--rebuild [--organisation CODE]`: compare the journal's monthly aggregates with a
recount, or recount them."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from opora.delivery import aggregates
from opora.org.models import Organisation


class Command(BaseCommand):
    help = "Check the monthly aggregates of the journal against a recount, or rebuild them."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--check", action="store_true", help="compare with a recount; exit 1 on a difference")
        mode.add_argument("--rebuild", action="store_true", help="recount every month of the journal")
        parser.add_argument("--organisation", help="the organisation's code (default: every organisation)")

    def handle(self, *args: Any, check: bool = False, rebuild: bool = False, organisation: str | None = None,
               **options: Any) -> None:
        orgs = Organisation.objects.order_by("code")
        if organisation:
            orgs = orgs.filter(code=organisation)
            if not orgs.exists():
                raise CommandError(_("No organisation with the code «%(code)s».") % {"code": organisation})
        failed = False
        for org in orgs:
            if rebuild:
                aggregates.refresh_organisation(org.pk)
                self.stdout.write(_("%(code)s: the aggregates are recounted.") % {"code": org.code})
                continue
            problems = aggregates.differences(org.pk)
            if problems:
                failed = True
                self.stdout.write(_("%(code)s: %(count)s differences from a recount:") % {
                    "code": org.code, "count": len(problems)})
                for line in problems[:50]:
                    self.stdout.write(f"  {line}")
            else:
                self.stdout.write(_("%(code)s: the aggregates agree with a recount.") % {"code": org.code})
        if failed:
            sys.exit(1)
