from django.urls import path

from . import register_views

app_name = "register"

# Only inside the utförare (register_access): every <pk> outside the user's own register answers 404.
urlpatterns = [
    path("", register_views.register_home, name="register_home"),
    path("insats/<id:pk>/", register_views.register_list, name="register_list"),
    path("insats/<id:pk>/ny/", register_views.participant_enrol, name="participant_enrol"),
    path("insats/<id:pk>/rapport/", register_views.register_report, name="register_report"),
    path("insats/<id:pk>/rapport/forhandsvisning/", register_views.register_report_preview, name="report_preview"),
    path("insats/<id:pk>/ansvariga/", register_views.staff, name="staff"),
    path("ansvariga/<id:pk>/ta-bort/", register_views.staff_remove, name="staff_remove"),
    path("deltagare/<id:pk>/", register_views.participant_detail, name="participant_detail"),
    path("deltagare/<id:pk>/andra/", register_views.participant_edit, name="participant_edit"),
    path("deltagare/<id:pk>/avsluta/", register_views.participant_exit, name="participant_exit"),
    path("deltagare/<id:pk>/registerutdrag/", register_views.participant_extract, name="participant_extract"),
    path("gallring/", register_views.retention, name="retention"),
    path("gallring/kor/", register_views.gallring_run, name="gallring_run"),
    path("gallringslogg/", register_views.disposal_list, name="disposal_list"),
]
