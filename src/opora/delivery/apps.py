from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "opora.delivery"
    label = "delivery"
