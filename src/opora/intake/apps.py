from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "opora.intake"
    label = "intake"
