"""URLs of the delivery app (namespaced "delivery")."""

from django.urls import path

from opora.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("today/", views.today, name="today"),
    path("grid/", views.grid, name="grid"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("lines/<int:pk>/delete/", views.line_delete, name="line_delete"),
    path("urgent/", views.urgent_list, name="urgent_list"),
    path("urgent/new/", views.urgent_create, name="urgent_create"),
    path("urgent/<int:pk>/", views.urgent_detail, name="urgent_detail"),
    path("urgent/<int:pk>/print/", views.urgent_print, name="urgent_print"),
    path("monthly-act/", views.monthly_act, name="monthly_act"),
]
