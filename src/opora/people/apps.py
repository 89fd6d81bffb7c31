from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "opora.people"
    label = "people"
