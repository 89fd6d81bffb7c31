from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from opora.api.v1 import api
from opora.api.v1.app import not_found
from opora.catalogue import views as catalogue_views
from opora.dashboard import error_views
from opora.dashboard import urls as dashboard_urls
from opora.intake import public as intake_public
from opora.org import views as org_views
from opora.people import categories
from opora.people import views as people_views
from opora.quality import public as quality_public

urlpatterns = [
    path("", include(dashboard_urls)),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", people_views.recipient_list, name="recipient_list"),
    path("people/new/", people_views.recipient_create, name="recipient_create"),
    path("people/pick/<slug:scope>/", people_views.pick, name="people_pick"),
    path("people/<int:pk>/", people_views.recipient_detail, name="recipient_detail"),
    path("people/<int:pk>/edit/", people_views.recipient_edit, name="recipient_edit"),
    path("people/<int:pk>/enrol/", people_views.enrol, name="recipient_enrol"),
    path("people/<int:pk>/consents/new/", people_views.consent_add, name="consent_add"),
    path("people/<int:pk>/representatives/new/", people_views.representative_add, name="representative_add"),
    path("enrolments/<int:pk>/discharge/", people_views.discharge, name="enrolment_discharge"),
    path("families/", people_views.family_list, name="family_list"),
    path("families/new/", people_views.family_create, name="family_create"),
    path("families/<int:pk>/", people_views.family_detail, name="family_detail"),
    path("families/<int:pk>/edit/", people_views.family_edit, name="family_edit"),
    path("families/<int:pk>/members/", people_views.family_member_add, name="family_member_add"),
    path("families/<int:pk>/members/<int:member_pk>/remove/", people_views.family_member_remove,
         name="family_member_remove"),
    path("org/", include(org_views.departments.urls() + org_views.settlements.urls() + org_views.staff.urls())),
    path("catalogue/", include(catalogue_views.services.urls() + categories.categories.urls()
                               + categories.category_groups.urls())),
    path("catalogue/services/<int:pk>/tariffs/", catalogue_views.tariff_add, name="tariff_add"),
    path("intake/", include(org_views.calendar.urls())),  # the production calendar (org) at its old address
    path("intake/", include("opora.intake.urls")),
    path("programmes/", include("opora.programmes.urls")),
    path("journal/", include("opora.delivery.urls")),
    path("billing/", include("opora.billing.urls")),
    path("money/", include("opora.money.urls")),
    path("plans/", include("opora.org.plan_urls")),
    path("reports/", include("opora.reports.urls")),
    path("work-plans/", include("opora.plans.urls")),
    path("fieldwork/", include("opora.fieldwork.urls")),
    path("activities/", include("opora.activities.urls")),
    path("api/v1/", RedirectView.as_view(url="/api/v1/docs")),  # the API's address leads to its docs
    path("api/v1/", api.urls),
    path("survey/<slug:code>/", quality_public.survey_page, name="public_survey"),  # public: no login (quality)
    path("survey/<slug:code>/qr.<str:fmt>", quality_public.survey_qr, name="public_survey_qr"),
    path("apply/<slug:code>/", intake_public.apply_page, name="public_apply"),  # public: electronic applications
    path("quality/", include("opora.quality.urls")),
]

handler404 = not_found  # JSON for /api/ paths no operation matches (e.g. a negative id), the HTML page elsewhere
handler500 = error_views.server_error  # the layout, translated, with a way back (issue 11); 403.html, 404.html
