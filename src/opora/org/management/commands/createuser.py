"""`opora createuser`: it lives in org, not accounts, because it looks the organisation and departments up by code
(accounts sits below org in the graph of apps)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.accounts.actions import do_create_user
from opora.accounts.roles import Role
from opora.org.models import Department, Organisation


class Command(BaseCommand):
    help = "Create a user with a role in an organisation (and departments for department roles)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--organisation", required=True, help="organisation code")
        parser.add_argument("--department", action="append", default=[], help="department code (repeatable)")
        parser.add_argument("--password", help="password (asked for when omitted)")

    def handle(self, *args: Any, **opts: Any) -> None:
        organisation = Organisation.objects.filter(code=opts["organisation"]).first()
        if organisation is None:
            raise CommandError(f"organisation {opts['organisation']!r} does not exist")
        departments = []
        for code in opts["department"]:
            department = Department.objects.filter(organisation=organisation, code=code).first()
            if department is None:
                raise CommandError(f"department {code!r} does not exist in {organisation.code}")
            departments.append(department)
        password = opts["password"]
        if password is None and opts.get("interactive", True):
            password = getpass.getpass("Password: ")
        try:
            user = do_create_user(opts["username"], role=opts["role"], organisation=organisation,
                                  departments=departments, password=password)
        except ValidationError as exc:  # a field's error (role, department) or the password validators' list
            if hasattr(exc, "error_dict"):
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        self.stdout.write(f"{user.username}: {opts['role']} in {organisation.code}")
