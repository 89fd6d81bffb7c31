from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    DELETED = "deleted", _("Deleted")
    VIEWED = "viewed", _("Card opened")
    EXPORTED = "exported", _("Exported")
    LOGIN = "login", _("Logged in")
    LISTED = "listed", _("Seen in a list")
    LOGIN_FAILED = "login_failed", _("Login failed")


#: The writes the reports' cache looks for (reports/cache.py: the latest write other than of a journal line, whose id
#: is part of a report's data version), and the objects it leaves to the journal's aggregates.
WRITES = (EventType.CREATED, EventType.UPDATED, EventType.DELETED)
JOURNAL_OBJECTS = ("delivery.delivery",)


class AuditEvent(models.Model):
    """One row per change or access: who, when, in which organisation, to what, which fields."""

    organisation = models.ForeignKey("org.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    event_type = models.CharField(_("event"), max_length=16, choices=EventType.choices)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, blank=True, default="")
    object_repr = models.CharField(_("object"), max_length=300, blank=True, default="")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=False)

    class Meta:
        verbose_name = _("audit event")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="audit_org_time"),
            models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_time"),
            # The latest write other than of a journal line, at once: reads (listed, viewed) are most of the log,
            # and the primary key read backwards passed every read since (issue 18: 11 ms a report under load).
            models.Index(fields=["id"], name="audit_write_id",
                         condition=models.Q(event_type__in=WRITES) & ~models.Q(object_type__in=JOURNAL_OBJECTS)),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_type}#{self.object_id}"
