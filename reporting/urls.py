from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("begar/", views.job_request, name="job_request"),
    path("jobb/<id:pk>/", views.job_detail, name="job_detail"),
    path("jobb/<id:pk>/forlopp/", views.job_progress, name="job_progress"),
    path("jobb/<id:pk>/ladda-ner/", views.job_download, name="job_download"),
]
