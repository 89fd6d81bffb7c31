"""`opora export DIR --organisation CODE [--format csv|xlsx]`: write the exchange files of an organisation."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opora.exchange.export import FORMATS, export_directory
from opora.org.models import Organisation


class Command(BaseCommand):
    help = "Export an organisation in the exchange format (the files `opora import` reads)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--format", choices=FORMATS, default="csv",
                            help="csv (UTF-8 with BOM, `;`) or xlsx (default csv)")

    def handle(self, *args, **opts):
        org = Organisation.objects.filter(code=opts["organisation"]).first()
        if org is None:
            raise CommandError(_("Unknown organisation «%(code)s».") % {"code": opts["organisation"]})
        directory = Path(opts["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("%(path)s is not a directory.") % {"path": directory})
        counts = export_directory(org, directory, fmt=opts["format"])
        for name, count in counts.items():
            self.stdout.write(_("%(file)s: %(count)s rows") % {"file": f"{name}.{opts['format']}", "count": count})
