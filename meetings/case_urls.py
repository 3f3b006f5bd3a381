from django.urls import path

from . import case_views as views

app_name = "cases"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("nytt/", views.case_create, name="case_create"),
    path("sok/", views.search_view, name="search"),
    path("<id:pk>/", views.case_detail, name="case_detail"),
    path("<id:pk>/andra/", views.case_edit, name="case_edit"),
    path("<id:pk>/tjansteskrivelse/", views.officer_report_edit, name="officer_report_edit"),
    path("<id:pk>/bilagor/ny/", views.case_attachment_add, name="attachment_add"),
    path("diarieserier/", views.series_list, name="series_list"),
    path("diarieserier/ny/", views.series_create, name="series_create"),
    path("diarieserier/forhandsvisning/", views.series_preview, name="series_preview"),
    path("diarieserier/<id:pk>/andra/", views.series_edit, name="series_edit"),
]
