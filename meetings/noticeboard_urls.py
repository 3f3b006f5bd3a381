"""The digital anslagstavla (public, no login) and, under "hantera/", the internal anslag pages.

Public: postings and committee calendars are public for everyone, whatever their organisation, so their ids are
not scoped (see PUBLIC_ROUTES in tests/platform/builders_noticeboard.py). Internal ("hantera/"): login,
permissions and the current organisation's objects only (404 otherwise).
"""

from django.urls import path

from . import noticeboard_views, posting_views

app_name = "noticeboard"

urlpatterns = [
    path("", noticeboard_views.index, name="index"),
    path("arkiv/", noticeboard_views.archive, name="archive"),
    path("sok/", noticeboard_views.search, name="search"),
    path("anslag/<id:pk>/", noticeboard_views.posting_detail, name="posting_detail"),
    path("anslag/<id:pk>/protokoll/", noticeboard_views.minutes_page, name="minutes_page"),
    path("anslag/<id:pk>/protokoll.pdf", noticeboard_views.minutes_pdf, name="minutes_pdf"),
    path("kalender/<id:pk>.ics", noticeboard_views.committee_calendar, name="committee_calendar"),
    # Internal.
    path("hantera/", posting_views.posting_overview, name="posting_overview"),
    path("hantera/protokoll/<id:pk>/", posting_views.minutes_finality, name="minutes_finality"),
    path("hantera/protokoll/<id:pk>/anslag/", posting_views.posting_create, name="posting_create"),
    path("hantera/protokoll/<id:pk>/utdrag/", posting_views.extract_create, name="extract_create"),
    path("hantera/paragraf/<id:pk>/overklagande/", posting_views.appeal_create, name="appeal_create"),
    path(
        "hantera/protokoll/<id:pk>/lagakraftbevis/",
        posting_views.finality_request_create,
        name="finality_request_create",
    ),
    path("hantera/lagakraftbevis/<id:pk>/svar/", posting_views.finality_answer_create, name="finality_answer_create"),
    # Each organisation's own anslagstavla (its slug never takes a word used above: core.forms.RESERVED_SLUGS).
    path("<slug:slug>/", noticeboard_views.organisation_index, name="organisation"),
]
