from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "opora.fieldwork"
    label = "fieldwork"
