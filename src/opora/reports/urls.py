"""URLs of the reports (namespaced "reports", under /reports/)."""

from django.urls import path

from opora.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:report_id>.<str:fmt>", views.download, name="download"),
]
