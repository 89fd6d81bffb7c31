from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "opora.quality"
    label = "quality"
