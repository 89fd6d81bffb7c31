from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "opora.audit"
    label = "audit"
