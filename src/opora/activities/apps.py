from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "opora.activities"
    label = "activities"
