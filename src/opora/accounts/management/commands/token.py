from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opora.accounts.actions import MAX_TOKEN_DAYS, TOKEN_DAYS, do_create_token, do_revoke_token, token_is_valid
from opora.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = ("API tokens: `token create USERNAME [--days N]` prints a new bearer token on its last line; "
            "`token list [USERNAME]`; `token revoke PREFIX|ID`.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a user")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument("--days", type=int, default=TOKEN_DAYS,
                            help=f"days the token is valid (default {TOKEN_DAYS}, at most {MAX_TOKEN_DAYS})")
        listing = sub.add_parser("list", help="list tokens (of one user)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix (op_XXXXX) or id")
        revoke.add_argument("token")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"user {username!r} does not exist")
        return user

    def _create(self, opts: dict[str, Any]) -> None:
        user = self._user(opts["username"])
        try:
            raw = do_create_token(user, name=opts["name"], days=opts["days"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write("Token created. It is shown only once; keep it secret:")
        self.stdout.write(raw)

    def _list(self, opts: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at", "pk")
        if opts["username"]:
            tokens = tokens.filter(user=self._user(opts["username"]))
        now = timezone.now()

        def when(value: Any) -> str:
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"

        self.stdout.write("id\tprefix\tuser\tname\tcreated\texpires\tlast used\tstate")
        for t in tokens:
            state = ("revoked" if t.revoked_at else "expired" if t.expires_at and t.expires_at <= now
                     else "inactive user" if not token_is_valid(t, now) else "valid")
            self.stdout.write(f"{t.pk}\t{t.prefix}\t{t.user.username}\t{t.name or '-'}\t{when(t.created_at)}\t"
                              f"{when(t.expires_at)}\t{when(t.last_used_at)}\t{state}")

    def _revoke(self, opts: dict[str, Any]) -> None:
        key = opts["token"].strip()
        matches = list(ApiToken.objects.filter(prefix=key[:8])) if key.startswith("op_") else []
        if not matches and key.isdigit() and len(key) < 19:
            matches = list(ApiToken.objects.filter(pk=int(key)))
        if not matches:
            raise CommandError(f"no token {key!r} (give its prefix, e.g. op_AbCdE, or its id: `opora token list`)")
        if len(matches) > 1:
            raise CommandError(f"{len(matches)} tokens share the prefix {key[:8]!r}: revoke one by its id")
        token = do_revoke_token(matches[0])
        self.stdout.write(f"Token {token.prefix} of {token.user.username} revoked.")
