from django.urls import path

from . import minutes_views as views
from . import session_views

app_name = "minutes"

# Mounted at /protokoll/. <pk> is always an object of the current organisation; anything else is a 404.
urlpatterns = [
    path("sammantrade/<id:pk>/starta/", views.minutes_start, name="minutes_start"),
    path("<id:pk>/", views.minutes_detail, name="minutes_detail"),
    path("<id:pk>/forsattsblad/", views.minutes_front, name="minutes_front"),
    path("<id:pk>/narvaro/ny/", views.attendance_add, name="attendance_add"),
    path("<id:pk>/narvaro/hamta-ledamoter/", views.attendance_fill, name="attendance_fill"),
    path("narvaro/<id:pk>/ta-bort/", views.attendance_remove, name="attendance_remove"),
    path("<id:pk>/undertecknare/", views.signatories_edit, name="signatories"),
    path("<id:pk>/paragrafer/ny/", views.paragraph_add, name="paragraph_add"),
    path("paragraf/<id:pk>/", views.paragraph_edit, name="paragraph_edit"),
    path("paragraf/<id:pk>/ta-bort/", views.paragraph_remove, name="paragraph_remove"),
    path("paragraf/<id:pk>/omedelbar-justering/", views.paragraph_verify, name="paragraph_verify"),
    path("paragraf/<id:pk>/jav/", views.recusal_add, name="recusal_add"),
    path("jav/<id:pk>/ta-bort/", views.recusal_remove, name="recusal_remove"),
    path("paragraf/<id:pk>/reservationer/", views.dissent_add, name="dissent_add"),
    path("reservation/<id:pk>/ta-bort/", views.dissent_remove, name="dissent_remove"),
    path("paragraf/<id:pk>/voteringar/", views.vote_add, name="vote_add"),
    path("votering/<id:pk>/", views.vote_ballots, name="vote_ballots"),
    path("votering/<id:pk>/ta-bort/", views.vote_remove, name="vote_remove"),
    path("<id:pk>/skicka-for-justering/", views.send_for_verification, name="send_for_verification"),
    path("<id:pk>/aterkalla-justering/", views.recall_verification, name="recall_verification"),
    path("<id:pk>/arkiverat/", views.archived_pdf, name="archived_pdf"),
    path("<id:pk>/arkivera-igen/", views.archive_again, name="archive_again"),
    path("<id:pk>/justering/", views.verification, name="verification"),
    path("undertecknare/<id:pk>/godkann/", views.sign, name="sign"),
    path("<id:pk>/rattelser/ny/", views.correction_add, name="correction_add"),
]

# The sammanträdesvy (meetings/session_views.py).
urlpatterns += [
    path("sammantrade/<id:pk>/fran-foredragningslistan/", session_views.session_start, name="session_start"),
    path("<id:pk>/sammantradesvy/", session_views.session, name="session"),
    path("<id:pk>/sammantradesvy/narvaro/", session_views.session_attendance, name="session_attendance"),
    path(
        "<id:pk>/sammantradesvy/paragrafer-fran-foredragningslistan/",
        session_views.session_paragraphs_from_agenda,
        name="session_paragraphs_from_agenda",
    ),
    path("paragraf/<id:pk>/sammantradesvy/", session_views.session_paragraph, name="session_paragraph"),
    path(
        "paragraf/<id:pk>/sammantradesvy/enligt-forslaget/",
        session_views.session_as_proposed,
        name="session_as_proposed",
    ),
    path("paragraf/<id:pk>/sammantradesvy/jav/", session_views.session_recusal_add, name="session_recusal_add"),
    path("paragraf/<id:pk>/sammantradesvy/votering/", session_views.session_vote_add, name="session_vote_add"),
    path("paragraf/<id:pk>/sammantradesvy/reservation/", session_views.session_dissent_add, name="session_dissent_add"),
    path("jav/<id:pk>/sammantradesvy/ta-bort/", session_views.session_recusal_remove, name="session_recusal_remove"),
    path("votering/<id:pk>/sammantradesvy/ta-bort/", session_views.session_vote_remove, name="session_vote_remove"),
    path(
        "reservation/<id:pk>/sammantradesvy/ta-bort/",
        session_views.session_dissent_remove,
        name="session_dissent_remove",
    ),
]
