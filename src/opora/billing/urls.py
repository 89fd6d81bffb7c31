"""URLs of the billing app (namespaced "billing")."""

from django.urls import path

from opora.billing import views

app_name = "billing"

urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
    path("programme/<int:programme_pk>/fee/", views.fee_decide, name="fee_decide"),
    path("fee/<int:pk>/", views.fee_detail, name="fee_detail"),
    path("fee/<int:pk>/print.<str:fmt>", views.fee_print, name="fee_print"),
    path("charges/", views.charges, name="charges"),
    path("balances/", views.balances, name="balances"),
    path("person/<int:pk>/", views.person, name="person"),
    path("person/<int:pk>/payment/", views.payment_add, name="payment_add"),
    path("person/<int:pk>/income/", views.income_add, name="income_add"),
    path("person/<int:pk>/income/<int:record_pk>/delete/", views.income_delete, name="income_delete"),
    path("receipt/<int:pk>.<str:fmt>", views.receipt, name="receipt"),
    *views.crud_urls(views.minimums, "minimums"),
    *views.crud_urls(views.fee_rules, "rules"),
    *views.crud_urls(views.differentiated, "differentiated"),
]
