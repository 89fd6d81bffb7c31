"""`opora report ID --organisation CODE --year YYYY [--period …] [--start … --end …] --format … --out FILE`.

Without ``--user`` the command runs as the system actor: a regional analyst of every organisation (whoever can
run ``opora`` on the server can read its database anyway). With ``--user NAME`` it runs as that user, with their
memberships and scope, as the UI and the API would.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.lib.periods import PERIOD_CODES, PeriodError
from opora.reports.params import parse_request
from opora.reports.registry import all_generators, build_report, system_actor
from opora.reports.render import FORMATS, render


class Command(BaseCommand):
    # A report only reads: skip the system checks (about 0.5–1 s of every run).
    requires_system_checks: list[str] = []
    help = "Build a report (json, docx, xlsx, pdf or html) from the data, e.g. the annual analysis."

    def add_arguments(self, parser):
        parser.add_argument("report", nargs="?", help="report id (omit with --list to see them)")
        parser.add_argument("--list", action="store_true", help="list the reports and exit")
        parser.add_argument("--organisation", default="",
                            help="organisation code; several codes separated by commas, or «all», for a "
                                 "consolidated report")
        parser.add_argument("--year", default="", help="YYYY")
        parser.add_argument("--period", default="", help="|".join(PERIOD_CODES) + " (default year)")
        parser.add_argument("--start", default="", help="YYYY-MM-DD: any range instead of --year/--period")
        parser.add_argument("--end", default="", help="YYYY-MM-DD, inclusive")
        parser.add_argument("--format", default="json", choices=FORMATS)
        parser.add_argument("--plan", default="", help="the plan's code (report plan_execution)")
        parser.add_argument("--out", default="-", help="the file to write (default: standard output)")
        # Kept for scripts written when the checks ran: they are always skipped now.
        parser.add_argument("--skip-checks", action="store_true", help="accepted for compatibility; no effect")
        parser.add_argument("--user", default="", help="build as this user (default: the system actor)")
        parser.add_argument("--language", default="", help="ru, uk or en (default: the installation's language)")

    def handle(self, *args, **opts):
        if opts["language"]:
            translation.activate(opts["language"])
        if opts["list"] or not opts["report"]:
            for g in all_generators():
                self.stdout.write(f"{g.id}\t{g.title}")
            return
        actor = self._actor(opts["user"])
        params = {k: opts[k] for k in ("organisation", "year", "period", "start", "end", "format", "plan")}
        started = time.perf_counter()
        try:
            req = parse_request(opts["report"], params, actor)
            doc = build_report(req.generator.id, req.organisations, req.period, actor=actor, options=req.options)
        except PeriodError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}" if exc.field else exc.message) from None
        except Http404:
            raise CommandError(_("Unknown report «%(report)s» or organisation «%(organisation)s» (or no right to "
                                 "see it).") % {"report": opts["report"], "organisation": opts["organisation"]}
                               ) from None
        body = render(doc, req.format)
        if opts["out"] == "-":
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
            return
        try:
            Path(opts["out"]).write_bytes(body)
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": opts["out"], "error": exc.strerror}
                               ) from None
        self.stderr.write(_("%(file)s: %(size)s bytes in %(seconds).2f s") % {
            "file": opts["out"], "size": len(body), "seconds": time.perf_counter() - started})

    @staticmethod
    def _actor(username: str) -> Actor:
        if not username:
            return system_actor()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("Unknown user «%(user)s».") % {"user": username})
        return Actor.for_user(user)
