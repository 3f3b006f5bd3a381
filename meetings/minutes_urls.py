from django.urls import path

from . import minutes_views as views

app_name = "minutes"

# Mounted at /protokoll/. <pk> is always an object of the current organisation; anything else is a 404.
urlpatterns = [
    path("sammantrade/<int:pk>/starta/", views.minutes_start, name="minutes_start"),
    path("<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("<int:pk>/forsattsblad/", views.minutes_front, name="minutes_front"),
    path("<int:pk>/narvaro/ny/", views.attendance_add, name="attendance_add"),
    path("<int:pk>/narvaro/hamta-ledamoter/", views.attendance_fill, name="attendance_fill"),
    path("narvaro/<int:pk>/ta-bort/", views.attendance_remove, name="attendance_remove"),
    path("<int:pk>/undertecknare/", views.signatories_edit, name="signatories"),
    path("<int:pk>/paragrafer/ny/", views.paragraph_add, name="paragraph_add"),
    path("paragraf/<int:pk>/", views.paragraph_edit, name="paragraph_edit"),
    path("paragraf/<int:pk>/ta-bort/", views.paragraph_remove, name="paragraph_remove"),
    path("paragraf/<int:pk>/omedelbar-justering/", views.paragraph_verify, name="paragraph_verify"),
    path("paragraf/<int:pk>/jav/", views.recusal_add, name="recusal_add"),
    path("jav/<int:pk>/ta-bort/", views.recusal_remove, name="recusal_remove"),
    path("paragraf/<int:pk>/reservationer/", views.dissent_add, name="dissent_add"),
    path("reservation/<int:pk>/ta-bort/", views.dissent_remove, name="dissent_remove"),
    path("paragraf/<int:pk>/voteringar/", views.vote_add, name="vote_add"),
    path("votering/<int:pk>/", views.vote_ballots, name="vote_ballots"),
    path("votering/<int:pk>/ta-bort/", views.vote_remove, name="vote_remove"),
    path("<int:pk>/skicka-for-justering/", views.send_for_verification, name="send_for_verification"),
    path("<int:pk>/aterkalla-justering/", views.recall_verification, name="recall_verification"),
    path("<int:pk>/arkiverat/", views.archived_pdf, name="archived_pdf"),
    path("<int:pk>/arkivera-igen/", views.archive_again, name="archive_again"),
    path("<int:pk>/justering/", views.verification, name="verification"),
    path("undertecknare/<int:pk>/godkann/", views.sign, name="sign"),
    path("<int:pk>/rattelser/ny/", views.correction_add, name="correction_add"),
]
