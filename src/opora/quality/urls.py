"""The quality screens (under /quality/); the public survey page is in urls.py (no login)."""

from django.urls import path

from opora.quality import views

urlpatterns = [
    *views.surveys.urls(),
    *views.complaints.urls(),
    *views.trainings.urls(),
    *views.publications.urls(),
    *views.quality_checks.urls(),
    path("surveys/<int:pk>/responses/new/", views.response_add, name="quality_response_add"),
    path("surveys/<int:pk>/points/", views.facts_edit, name="quality_facts"),
]
