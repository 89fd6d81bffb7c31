from django.contrib.auth.decorators import login_required
from django.urls import path

from opora.activities import views

urlpatterns = [
    *views.groups.urls(),
    *views.events.urls(),
    path("groups/<int:pk>/members/add/", login_required(views.member_add), name="activities_member_add"),
    path("groups/<int:pk>/attendance/", login_required(views.attendance), name="activities_attendance"),
    path("taxi/", login_required(views.trip), name="activities_trip"),
    # issue 13: the rental point and volunteers
    *views.rental_items.urls(),
    *views.volunteers.urls(),
    path("rental/", login_required(views.rental), name="activities_rental"),
    path("rental/issue/", login_required(views.rental_issue), name="activities_rental_issue"),
    path("rental/<int:pk>/return/", login_required(views.rental_return), name="activities_rental_return"),
    path("volunteers/<int:pk>/work/", login_required(views.volunteer_work), name="activities_volunteer_work"),
    *views.shifts.urls(),
    *views.brigade.urls(),
    path("shifts/<int:pk>/enrolments/add/", login_required(views.place_add), name="activities_place_add"),
    path(
        "shifts/<int:pk>/enrolments/<int:place_pk>/remove/",
        login_required(views.place_remove),
        name="activities_place_remove",
    ),
    path("brigade/<int:pk>/lines/attach/", login_required(views.lines_attach), name="activities_lines_attach"),
]
