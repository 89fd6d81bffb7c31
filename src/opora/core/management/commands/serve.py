from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Serve Opora with the production WSGI server (waitress); static files through whitenoise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")

    def handle(self, *args: Any, **opts: Any) -> None:
        import waitress  # type: ignore[import-untyped]  # only the serving process needs the server

        application = get_wsgi_application()  # what opora/wsgi.py serves; core does not import the top

        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Opora is serving on http://{opts['host']}:{opts['port']}/ (Ctrl+C to stop)")
        waitress.serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"],
                       ident="opora")
