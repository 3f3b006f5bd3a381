from django.urls import path

from . import register_views as views

app_name = "registers"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("delegationsbeslut/", views.delegated_list, name="delegated_list"),
    path("delegationsbeslut/nytt/", views.delegated_create, name="delegated_create"),
    path("delegationsbeslut/<id:pk>/andra/", views.delegated_edit, name="delegated_edit"),
    path("meddelanden/", views.communication_list, name="communication_list"),
    path("meddelanden/nytt/", views.communication_create, name="communication_create"),
    path("meddelanden/<id:pk>/andra/", views.communication_edit, name="communication_edit"),
    path("sammantraden/<id:pk>/anmal/", views.report_to_meeting, name="report_to_meeting"),
]
