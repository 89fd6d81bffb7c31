"""URLs of the billing app (namespaced "billing")."""

from django.urls import path  # noqa: F401

app_name = "billing"

urlpatterns: list = []
