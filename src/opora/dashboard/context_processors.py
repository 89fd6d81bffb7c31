"""The frame of every page: the actor, the current organisation, its permissions, the organisations to switch to."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.core.context import current_organisation
from opora.org.queries import organisations_for


def actor(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    a = get_actor(request)

    def _current():
        try:
            return current_organisation(request)
        except PermissionDenied:
            return None

    def _perms():
        org = _current()
        org_id = org.pk if org else -1
        return {name.lower(): a.can(value, org_id) for name, value in vars(Perm).items()
                if not name.startswith("_")}

    def _orgs():
        return list(organisations_for(a))

    return {"actor": a, "current_org": SimpleLazyObject(_current), "perms_": SimpleLazyObject(_perms),
            "user_organisations": SimpleLazyObject(_orgs)}
