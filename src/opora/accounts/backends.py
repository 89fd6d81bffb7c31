"""The login backend: Django's ModelBackend, whose user of a session comes with their memberships in one query.

Every page and API call of a logged-in user reads the user of the session, and then the memberships their actor is
built from (accounts.actor.Actor.for_user). Here both are read at once: the memberships with their user and
organisation and, for each department a membership holds, one row more (a LEFT JOIN). The user is the rows' user;
the rows are kept on it for Actor.for_user, which reads them only once. A user without a membership (an
administrator) is read as ModelBackend reads them. Passwords, permissions and the active flag are ModelBackend's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import F

from opora.lib.db import run_prepared

#: The attribute of a user read by get_user that holds their membership rows until Actor.for_user takes them.
MEMBERSHIP_ROWS = "_opora_membership_rows"


def membership_rows(user_id: int) -> list[Any]:
    """The user's memberships, with user and organisation, a row per department held (``department`` is that
    department's id, None for a membership of none), in the memberships' order. Compiled once (lib.db.run_prepared):
    it runs on every request."""
    from opora.accounts.models import Membership

    def build(user_id: int) -> Any:
        return Membership.objects.filter(user_id=user_id).select_related("user", "organisation").annotate(
            department=F("departments__id")).order_by("pk")

    return run_prepared("accounts.membership_rows", build, user_id)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        rows = membership_rows(int(user_id))
        if not rows:
            return super().get_user(user_id)
        user = rows[0].user
        setattr(user, MEMBERSHIP_ROWS, rows)
        return user if self.user_can_authenticate(user) else None
