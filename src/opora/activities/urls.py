from django.contrib.auth.decorators import login_required
from django.urls import path

from opora.activities import views

urlpatterns = [
    *views.groups.urls(),
    *views.events.urls(),
    path("groups/<int:pk>/members/add/", login_required(views.member_add), name="activities_member_add"),
    path("groups/<int:pk>/attendance/", login_required(views.attendance), name="activities_attendance"),
    path("taxi/", login_required(views.trip), name="activities_trip"),
]
