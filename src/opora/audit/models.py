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
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_type}#{self.object_id}"
