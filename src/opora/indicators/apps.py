from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "opora.indicators"
    label = "indicators"
