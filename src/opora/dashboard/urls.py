"""The dashboard at / and the organisation switch (names without a namespace: `dashboard`, `switch_organisation`)."""

from django.urls import path

from opora.dashboard import audit_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("audit/", audit_views.audit_export, name="audit_export"),
]
