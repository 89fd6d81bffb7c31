from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "opora.catalogue"
    label = "catalogue"
