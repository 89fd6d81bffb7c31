"""`opora demo`: migrate, build the demo centre once, print the logins, serve."""

from __future__ import annotations

import datetime
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from opora.accounts.models import User
from opora.core import schema
from opora.core.db import sqlite_build_mode
from opora.demo.builder import (
    DEFAULT_SEED,
    DEMO_CODE,
    DEMO_PASSWORD,
    SIZES,
    build_demo,
    delete_demo,
    demo_logins,
)
from opora.demo.ua import UA_DEMO_CODE, UA_SIZES, build_ua_demo
from opora.org.models import Organisation


class Command(BaseCommand):
    help = "Build a synthetic social service centre (organisation code 'demo') and serve Opora with it."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="centre",
                            help="small: ~15 staff, ~165 people, ~4 000 journal lines; centre: ~150 staff, "
                                 "~15 000 people, ~1.75 million journal lines from 2019 to 2026 (default)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help="the same seed always gives the same data (default %(default)s)")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                            help="the demo's today: its casework runs from 2019 up to this day (default: the real "
                                 "date; 2020-12-31 gives the seed's two years only)")
        parser.add_argument("--reset", action="store_true",
                            help="delete the demo organisation and build it again")
        parser.add_argument("--no-serve", action="store_true", help="build only, do not start the server")
        parser.add_argument("--jurisdiction", choices=["ru", "ua"], default="ru",
                            help="ua: a Ukrainian територіальний центр like seed 002's (organisation code "
                                 "'demo_ua', the same logins)")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **opts):
        if schema.unfinished():
            raise CommandError(
                _("The database %(name)s was left half made by an interrupted first build: delete it (or use a new "
                  "OPORA_HOME) and run the command again.") % {"name": connection.settings_dict["NAME"]})
        with sqlite_build_mode(fresh=Organisation._meta.db_table not in connection.introspection.table_names()):
            if schema.is_empty():
                schema.create_fresh()  # the same schema and seed data as the migrations, in a tenth of the time
            else:
                call_command("migrate", interactive=False, verbosity=0)
        if opts["jurisdiction"] == "ua":  # issue 17
            self._ukrainian(opts)
            return
        if opts["reset"]:
            try:
                if delete_demo(DEMO_CODE):
                    self.stdout.write(_("The demo organisation was deleted."))
            except ProtectedError as exc:
                raise CommandError(
                    _("The demo organisation could not be deleted: "
                      "other records still refer to it (%(what)s).")
                    % {"what": ", ".join(sorted({o._meta.label for o in exc.protected_objects}))}
                ) from exc
        if Organisation.objects.filter(code=DEMO_CODE).exists():
            self.stdout.write(_("The demo organisation already exists; nothing was built "
                                "(use --reset to build it again)."))
        else:
            # A database holding nothing yet (no organisation, no user) is built in SQLite's build mode (core/db.py)
            fresh = not Organisation.objects.exists() and not User.objects.exists()
            try:
                with sqlite_build_mode(fresh=fresh):
                    summary = build_demo(opts["size"], opts["seed"], progress=sys.stderr.isatty(),
                                         today=opts["today"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            c = summary.counts
            self.stdout.write(
                _("Built the demo centre (size %(size)s, seed %(seed)s) in %(seconds).1f s: "
                  "%(employees)s staff, %(recipients)s people, %(enrolments)s enrolments, "
                  "%(families)s families.")
                % {"size": summary.size, "seed": summary.seed, "seconds": summary.seconds, **c}
            )
            self.stdout.write(
                _("Casework of %(first_year)s–%(last_year)s: %(applications)s applications, %(programmes)s programmes, "
                  "%(contracts)s contracts, %(fee_decisions)s fee decisions, %(urgent_acts)s acts of urgent "
                  "services, %(journal_lines)s journal lines (%(journal_services)s services).")
                % c
            )
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password «%(password)s»):") % {"password": DEMO_PASSWORD})
        for username, who in demo_logins(DEMO_CODE):
            self.stdout.write(f"  {username:<16} {who}")
        if not opts["no_serve"]:
            call_command("serve", host=opts["host"], port=opts["port"], no_migrate=True)

    def _ukrainian(self, opts) -> None:
        """The Ukrainian demo centre (demo/ua.py): built through the exchange import, the same logins."""
        if opts["reset"] and delete_demo(UA_DEMO_CODE):
            self.stdout.write(_("The demo organisation was deleted."))
        if Organisation.objects.filter(code=UA_DEMO_CODE).exists():
            self.stdout.write(_("The demo organisation already exists; nothing was built "
                                "(use --reset to build it again)."))
        else:
            size = opts["size"] if opts["size"] in UA_SIZES else "centre"
            summary = build_ua_demo(size, code=UA_DEMO_CODE)
            self.stdout.write(_("Built the Ukrainian demo centre «%(code)s» (size %(size)s) in %(seconds).1f s: "
                                "%(recipients)s people, %(deliveries)s journal lines.") % {
                "code": UA_DEMO_CODE, "size": summary.size, "seconds": summary.seconds, **summary.counts})
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password «%(password)s»):") % {"password": DEMO_PASSWORD})
        for username, who in demo_logins(UA_DEMO_CODE):
            self.stdout.write(f"  {username:<16} {who}")
        if not opts["no_serve"]:
            call_command("serve", host=opts["host"], port=opts["port"], no_migrate=True)
