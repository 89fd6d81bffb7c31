"""The state assignment plan pages, included under /plans/ with the namespace "plans"."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from opora.org.plans import plans

app_name = "plans"

urlpatterns = [
    path("", login_required(plans.list_view), name="plan_list"),
    path("new/", login_required(plans.create_view), name="plan_create"),
    path("<int:pk>/", login_required(plans.edit_view), name="plan_edit"),
]
