from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opora.accounts.actions import do_create_token
from opora.accounts.models import User


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME` prints a new bearer token on its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"user {opts['username']!r} does not exist")
        raw = do_create_token(user, name=opts["name"])
        self.stdout.write("Token created. It is shown only once; keep it secret:")
        self.stdout.write(raw)
