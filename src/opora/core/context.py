"""What every view needs: the actor, the organisation being worked in, and error plumbing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.accounts.models import Membership

if TYPE_CHECKING:  # core sits below org in the graph of apps: the organisation comes through the membership
    from opora.org.models import Organisation

SESSION_ORG = "opora_organisation_id"


def current_organisation(request: HttpRequest) -> Organisation:
    """The organisation the user works in now: the one chosen in the session, or their first."""
    cached = getattr(request, "_opora_organisation", None)
    if cached is not None:
        return cached
    actor = get_actor(request)
    ids = actor.organisation_ids
    if not ids or actor.user_id is None:
        raise PermissionDenied
    chosen = request.session.get(SESSION_ORG)
    org_id = chosen if chosen in ids else ids[0]
    org = actor.organisations.get(org_id)  # read with the actor's memberships (Actor.for_user)
    if org is None:
        membership = (Membership.objects.select_related("organisation")
                      .filter(user_id=actor.user_id, organisation_id=org_id).first())
        if membership is None:
            raise Http404
        org = membership.organisation
    request._opora_organisation = org  # type: ignore[attr-defined]
    return org


def actor_and_org(request: HttpRequest, perm: str) -> tuple[Actor, Organisation]:
    actor = get_actor(request)
    org = current_organisation(request)
    if not actor.can(perm, org.pk):
        raise PermissionDenied
    return actor, org


def apply_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a domain ValidationError on the form: next to its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
