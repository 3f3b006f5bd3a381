from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/byt/", views.switch_organisation_view, name="switch_organisation"),
    path("organisation/", views.organisation_detail, name="organisation_detail"),
    path("organisation/andra/", views.organisation_edit, name="organisation_edit"),
]
