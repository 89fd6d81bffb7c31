from __future__ import annotations

from opora.accounts.actor import Actor


def get_actor(request) -> Actor:
    """The actor of a request, built once: the user with their memberships."""
    actor = getattr(request, "_opora_actor", None)
    if actor is None or actor.user is not request.user:
        actor = Actor.for_user(request.user)
        request._opora_actor = actor
    return actor
