"""URLs of plans (namespaced "plans", under /work-plans/: /plans/ holds the state assignment's plans)."""

from django.urls import path

from opora.plans import views

app_name = "workplans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/items/new/", views.item_edit, name="item_create"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/picker/", views.picker, name="picker"),
    path("items/<int:item_pk>/mark/", views.mark_edit, name="mark_edit"),
]
