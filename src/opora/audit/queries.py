from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from opora.audit.models import AuditEvent


def access_history(obj: models.Model, *, limit: int = 50) -> QuerySet[AuditEvent]:
    """Who opened or changed this record, newest first. The caller checks the right to see it."""
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")[:limit]
