"""Users, their memberships and API tokens."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.models import ApiToken, Membership, User, hash_token
from opora.accounts.roles import DEPARTMENT_ROLES, Role
from opora.audit.log import log_event
from opora.audit.models import EventType

if TYPE_CHECKING:  # accounts sits below org in the graph of apps; the rows come from the caller
    from opora.org.models import Department, Employee, Organisation


@transaction.atomic
def do_create_user(
    username: str,
    *,
    role: str,
    organisation: Organisation,
    departments: Iterable[Department] = (),
    password: str | None = None,
    employee: Employee | None = None,
    check_password: bool = True,
    actor: Actor | None = None,
) -> User:
    """Create a user with one membership, or add the membership to an existing user."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    departments = list(departments)
    for d in departments:
        if d.organisation_id != organisation.pk:
            raise ValidationError({"department": _("The department belongs to another organisation.")})
    if role in DEPARTMENT_ROLES and not departments:
        raise ValidationError({"department": _("This role needs at least one department.")})
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, employee=employee)
        if password:
            if check_password:
                validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif employee is not None and user.employee_id is None:
        user.employee = employee
        user.save(update_fields=["employee"])
    membership, _new = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if departments:
        membership.departments.add(*departments)
    log_event(actor=actor, event_type=EventType.CREATED if created else EventType.UPDATED, obj=user,
              organisation_id=organisation.pk,
              changes={"role": [None, role], "departments": [None, sorted(d.pk for d in departments)]})
    return user


TOKEN_DAYS = 90  # a token's default life
MAX_TOKEN_DAYS = 3660
LAST_USED_EVERY = datetime.timedelta(minutes=1)  # last_used_at is written at most this often per token


@transaction.atomic
def do_create_token(user: User, *, name: str = "", days: int = TOKEN_DAYS, actor: Actor | None = None) -> str:
    """Create an API token valid for ``days`` days; returns the token itself, which is not stored and shown only
    now."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lives from 1 to %(max)s days.") % {"max": MAX_TOKEN_DAYS}})
    raw = ApiToken.generate()
    expires_at = timezone.now() + datetime.timedelta(days=days)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8],
                                    expires_at=expires_at)
    log_event(actor=actor, event_type=EventType.CREATED, obj=token, organisation_id=None,
              changes={"user": [None, user.username], "expires_at": [None, expires_at.isoformat()]})
    return raw


@transaction.atomic
def do_revoke_token(token: ApiToken, *, actor: Actor | None = None) -> ApiToken:
    """Revoke a token: it is refused from now on (kept, with the time of revocation, for the record)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(actor=actor, event_type=EventType.UPDATED, obj=token, organisation_id=None,
                  changes={"revoked_at": [None, token.revoked_at.isoformat()]})
    return token


def token_is_valid(token: ApiToken, now: datetime.datetime) -> bool:
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now) \
        and token.user.is_active


def user_for_token(raw: str) -> User | None:
    """The user of a valid token (not expired, not revoked, active user), or None. Marks the token used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    now = timezone.now()
    if token is None or not token_is_valid(token, now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        # one cheap UPDATE at most once a minute per token, not one per request
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
