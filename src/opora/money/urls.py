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
    path("funds/<int:pk>/edit/", views.fund_edit, name="fund_edit"),
    path("funds/<int:pk>/delete/", views.fund_delete, name="fund_delete"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", views.campaign_delete, name="campaign_delete"),
    path("budget/<int:pk>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("budget/<int:pk>/delete/", views.budget_line_delete, name="budget_line_delete"),
]
