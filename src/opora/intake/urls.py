"""URLs of the intake app (namespaced "intake")."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from opora.intake import views

app_name = "intake"


def _crud(crud, prefix: str, short: str) -> list:
    """A Crud's pages under the namespace: "<short>" (the list), "<short>_list", "<short>_create", "<short>_edit"."""
    return [
        path(f"{prefix}/", login_required(crud.list_view), name=short),
        path(f"{prefix}/", login_required(crud.list_view), name=f"{short}_list"),
        path(f"{prefix}/new/", login_required(crud.create_view), name=f"{short}_create"),
        path(f"{prefix}/<int:pk>/", login_required(crud.edit_view), name=f"{short}_edit"),
    ]


urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/assess/", views.application_assess, name="assess"),
    path("<int:pk>/decide/", views.application_decide, name="decide"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    *_crud(views.care_scale, "care-scale", "care_scale"),
]
