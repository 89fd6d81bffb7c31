"""URLs of field work (namespaced "fieldwork")."""

from django.urls import path

from opora.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("release-notices/", views.notice_list, name="notice_list"),
    path("release-notices/new/", views.notice_create, name="notice_create"),
    path("release-notices/<int:pk>/", views.notice_edit, name="notice_edit"),
]
