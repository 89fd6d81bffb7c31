from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "opora.billing"
    label = "billing"
