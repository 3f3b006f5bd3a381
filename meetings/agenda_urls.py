from django.urls import path

from . import agenda_views as views

app_name = "agenda"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("nytt/", views.meeting_create, name="meeting_create"),
    path("<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<id:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("<id:pk>/punkter/ny/", views.agenda_item_add, name="agenda_item_add"),
    path("<id:pk>/punkter/arenden/", views.agenda_cases_add, name="agenda_cases_add"),
    path("<id:pk>/punkter/ordning/", views.agenda_reorder, name="agenda_reorder"),
    path("<id:pk>/kallelse/", views.notice_issue, name="notice_issue"),
    path("<id:pk>/genomfort/", views.meeting_mark_held, name="meeting_mark_held"),
    path("<id:pk>/installt/", views.meeting_cancel, name="meeting_cancel"),
    path("punkter/<id:pk>/andra/", views.agenda_item_edit, name="agenda_item_edit"),
    path("punkter/<id:pk>/ta-bort/", views.agenda_item_remove, name="agenda_item_remove"),
    path("punkter/<id:pk>/flytta/", views.agenda_item_move, name="agenda_item_move"),
    path("punkter/<id:pk>/bilagor/ny/", views.attachment_upload, name="attachment_upload"),
    path("bilagor/<id:pk>/", views.attachment_download, name="attachment_download"),
    path("bilagor/<id:pk>/ta-bort/", views.attachment_remove, name="attachment_remove"),
]
