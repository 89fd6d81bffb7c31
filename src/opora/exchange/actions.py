"""The exchange import as one action: check every row, then write everything in one transaction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.models import AuditEvent, EventType
from opora.core.actions import require
from opora.exchange.load import Counts, Loader
from opora.exchange.validate import Plan, Problems, Progress, validate_directory
from opora.org.models import Organisation


@dataclass
class ImportResult:
    plan: Plan
    problems: Problems
    counts: Counts = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def warnings(self) -> list[str]:
        """What was imported but deserves a look (aid beyond a fund's balance), as `file:line: column: message`."""
        return [str(w) for w in self.plan.warnings]

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())


def do_import(directory: Path, *, organisation_code: str | None = None, actor: Actor | None = None,
              progress: Progress | None = None) -> ImportResult:
    """Import an exchange directory into the organisation named by its organisation file or `organisation_code`.

    Nothing is written when any row has a problem. `actor` None means the command line (the operator
    of the installation); a user must be allowed to manage the organisation. One audit event records
    the counts per file, written only when something was created or updated.
    """
    start = time.perf_counter()
    plan, problems = validate_directory(Path(directory), organisation_code, progress)
    result = ImportResult(plan, problems)
    if problems:
        result.seconds = time.perf_counter() - start
        return result
    with transaction.atomic():
        loader = Loader(plan)
        if actor is not None:
            existing = Organisation.objects.filter(code=plan.organisation_code).first()
            require(actor, Perm.MANAGE_ORG, existing.pk if existing else None)
        result.counts = loader.run()
        if result.created or result.updated:
            AuditEvent.objects.create(
                organisation=loader.org, actor_id=getattr(actor, "user_id", None), event_type=EventType.CREATED,
                object_type="import", object_id=loader.org.code, object_repr=str(Path(directory).name)[:300],
                changes=result.counts,
            )
    result.seconds = time.perf_counter() - start
    return result
