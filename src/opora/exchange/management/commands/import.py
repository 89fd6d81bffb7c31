"""`opora import DIR [--organisation CODE]`: load an exchange directory (see docs, EXCHANGE.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opora.exchange.actions import do_import
from opora.exchange.reader import Table

PROGRESS_FROM = 5000  # rows: shorter files get no progress bar


class Command(BaseCommand):
    help = ("Import an exchange directory (organisation, departments, workers, recipients, enrolments, services, "
            "deliveries, assignment as CSV or XLSX). Nothing is applied if any row has a problem.")

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--organisation", help="organisation code (default: the code in organisation.csv)")
        parser.add_argument("--quiet", action="store_true", help="no progress bars")

    def handle(self, *args, **opts):
        directory = Path(opts["directory"])
        if not directory.is_dir():
            raise CommandError(_("%(path)s is not a directory.") % {"path": directory})
        show = not opts["quiet"] and sys.stderr.isatty()
        result = do_import(directory, organisation_code=opts["organisation"], progress=_bars if show else None)
        for line in result.warnings:
            self.stderr.write(_("warning: %(line)s") % {"line": line})
        if not result.ok:
            for line in result.problems.lines():
                self.stderr.write(line)
            raise CommandError(_("%(count)s problems found; nothing was imported.") % {"count": len(result.problems)})
        for file, c in result.counts.items():
            self.stdout.write(_("%(file)s: %(created)s created, %(updated)s updated") % {"file": file, **c})
        self.stdout.write(_("Imported into «%(code)s» in %(seconds).1f s: %(created)s created, %(updated)s updated.")
                          % {"code": result.plan.organisation_code, "seconds": result.seconds,
                             "created": result.created, "updated": result.updated})


def _bars(table: Table, rows: Iterator[Any]) -> Iterator[Any]:
    if table.size < PROGRESS_FROM:
        return rows
    from tqdm import tqdm

    return iter(tqdm(rows, total=table.size, desc=table.name, unit=" rows", leave=False, file=sys.stderr))
