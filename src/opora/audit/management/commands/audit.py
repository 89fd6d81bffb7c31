from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from opora.audit import export
from opora.audit.models import AuditEvent
from opora.lib.dates import DateFormatError, parse_date


def _day(text: str) -> datetime.date:
    try:
        return parse_date(text, iso_only=True)
    except DateFormatError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from exc


class Command(BaseCommand):
    help = ("The audit: `audit export --organisation CODE --start YYYY-MM-DD --end YYYY-MM-DD "
            "[--format csv|xlsx] [--output FILE]` writes every audit event of the period (to stdout by default).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="export the audit of an organisation for a period")
        exp.add_argument("--organisation", required=True)
        exp.add_argument("--start", required=True)
        exp.add_argument("--end", required=True)
        exp.add_argument("--format", choices=export.FORMATS, default="csv")
        exp.add_argument("--output", default="-")

    def handle(self, *args, **opts):
        start, end = _day(opts["start"]), _day(opts["end"])
        if end < start:
            raise CommandError("--end is before --start")
        organisations = AuditEvent._meta.get_field("organisation").related_model._default_manager
        org = organisations.filter(code=opts["organisation"]).first()
        if org is None:
            raise CommandError(f"organisation {opts['organisation']!r} does not exist")
        data = export.export(org.pk, start, end, opts["format"])
        if opts["output"] == "-":
            if opts["format"] == "xlsx":
                raise CommandError("XLSX needs --output FILE")
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            with open(opts["output"], "wb") as fh:
                fh.write(data)
            count = export.events_for_period(org.pk, start, end).count()
            self.stderr.write(f"{count} audit events written to {opts['output']}")
