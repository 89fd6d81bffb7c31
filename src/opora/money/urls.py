"""URLs of the money app (namespaced "money")."""

from django.urls import path

from opora.money import views

app_name = "money"

urlpatterns = [
    path("", views.funds, name="funds"),
    path("funds/new/", views.fund_new, name="fund_new"),
    path("funds/<int:pk>/receipt/", views.receipt_new, name="receipt_new"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("aid/", views.aid_list, name="aid"),
    path("aid/new/", views.aid_new, name="aid_new"),
    path("budget/", views.budget, name="budget"),
]
