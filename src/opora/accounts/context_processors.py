from __future__ import annotations

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm


def actor(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    a = get_actor(request)
    return {"actor": a, "perms_": {name.lower(): a.can(value) for name, value in vars(Perm).items()
                                    if not name.startswith("_")}}
