from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "opora.reports"
    label = "reports"
