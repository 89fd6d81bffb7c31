"""URLs of the programmes app (namespaced "programmes")."""

from django.urls import path

from opora.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/revise/", views.programme_revise, name="revise"),
    path("<int:pk>/close/", views.programme_close, name="close"),
    path("<int:pk>/print/", views.programme_print, name="programme_print"),
    path("<int:pk>/contract/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/amend/", views.contract_amend, name="contract_amend"),
    path("contracts/<int:pk>/terminate/", views.contract_terminate, name="contract_terminate"),
    path("contracts/<int:pk>/undo-termination/", views.contract_undo_termination, name="contract_undo_termination"),
    path("contracts/<int:pk>/print/", views.contract_print, name="contract_print"),
]
