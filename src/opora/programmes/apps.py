from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "opora.programmes"
    label = "programmes"
