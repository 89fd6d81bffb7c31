"""The actor: who is asking, with their memberships loaded once per request.

Every query and action takes an actor; scoping is decided here and in the apps' queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opora.accounts.roles import DEPARTMENT_ROLES, Role, perms_of


@dataclass(frozen=True)
class Grant:
    organisation_id: int
    role: str
    department_ids: frozenset[int]
    employee_id: int | None


@dataclass
class Actor:
    user: object
    grants: list[Grant] = field(default_factory=list)
    #: The organisations of the memberships, read with them (core.context.current_organisation takes the one
    #: worked in from here instead of another query per request).
    organisations: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def for_user(cls, user) -> Actor:
        if not getattr(user, "is_authenticated", False):
            return cls(user=user, grants=[])
        from opora.accounts.backends import MEMBERSHIP_ROWS, membership_rows

        # One query on every request (issue 18): a membership's row once per department it holds (a LEFT JOIN),
        # read with the user of the session when the login backend read them (accounts.backends), else here.
        rows = getattr(user, MEMBERSHIP_ROWS, None)  # the user may be a lazy object: no __dict__ of its own
        if rows is None:
            rows = membership_rows(user.pk)
        else:
            delattr(user, MEMBERSHIP_ROWS)  # read once: a later actor of the same user object reads them again
        memberships: list[Any] = []
        departments: dict[int, set[int]] = {}
        for m in rows:
            if m.pk not in departments:
                departments[m.pk] = set()
                memberships.append(m)
            if m.department is not None:
                departments[m.pk].add(m.department)
        grants = [
            Grant(
                organisation_id=m.organisation_id,
                role=m.role,
                department_ids=frozenset(departments.get(m.pk, ())),
                employee_id=user.employee_id,
            )
            for m in memberships
        ]
        return cls(user=user, grants=grants, organisations={m.organisation_id: m.organisation for m in memberships})

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def organisation_ids(self) -> list[int]:
        return sorted({g.organisation_id for g in self.grants})

    def grants_with(self, perm: str) -> list[Grant]:
        return [g for g in self.grants if perm in perms_of(g.role)]

    def can(self, perm: str, organisation_id: int | None = None) -> bool:
        return any(
            organisation_id is None or g.organisation_id == organisation_id for g in self.grants_with(perm)
        )

    def roles_in(self, organisation_id: int) -> set[str]:
        return {g.role for g in self.grants if g.organisation_id == organisation_id}

    def is_department_bound(self, grant: Grant) -> bool:
        return grant.role in DEPARTMENT_ROLES

    def role_labels(self) -> list[str]:
        return sorted({str(Role(g.role).label) for g in self.grants})
