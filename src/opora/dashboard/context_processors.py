"""The frame of every page: the actor, the current organisation, its permissions, the organisations to switch to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.core.context import current_organisation
from opora.org.queries import organisations_for

if TYPE_CHECKING:
    from opora.org.models import Organisation


def actor(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    a = get_actor(request)

    def _current() -> Organisation | None:
        try:
            return current_organisation(request)
        except PermissionDenied:
            return None

    def _perms() -> dict[str, bool]:
        org = _current()
        org_id = org.pk if org else -1
        return {name.lower(): a.can(value, org_id) for name, value in vars(Perm).items()
                if not name.startswith("_")}

    def _orgs() -> list[Organisation]:
        return list(organisations_for(a))

    return {"actor": a, "current_org": SimpleLazyObject(_current), "perms_": SimpleLazyObject(_perms),
            "user_organisations": SimpleLazyObject(_orgs)}
