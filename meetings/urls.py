from django.urls import path

from . import views

app_name = "meetings"

# <pk> is always an object of the current organisation (core.tenancy); anything else is a 404.
urlpatterns = [
    path("organ/", views.committee_list, name="committee_list"),
    path("organ/nytt/", views.committee_create, name="committee_create"),
    path("organ/<id:pk>/", views.committee_detail, name="committee_detail"),
    path("organ/<id:pk>/andra/", views.committee_edit, name="committee_edit"),
    path("organ/<id:pk>/ledamoter/ny/", views.membership_create, name="membership_create"),
    path("organ/<id:pk>/ersattarordning/", views.substitute_order, name="substitute_order"),
    path("organ/uppdrag/<id:pk>/avsluta/", views.membership_end, name="membership_end"),
    path("organ/uppdrag/<id:pk>/bjud-in/", views.membership_invite, name="membership_invite"),
    path("organ/uppdrag/<id:pk>/fyllnadsval/", views.membership_replace, name="membership_replace"),
    path("organ/<id:pk>/dagordningsmall/", views.agenda_template_list, name="agenda_template_list"),
    path("organ/<id:pk>/dagordningsmall/ny/", views.agenda_template_item_create, name="agenda_template_item_create"),
    path("organ/<id:pk>/dagordningsmall/standardpunkter/", views.agenda_template_seed, name="agenda_template_seed"),
    path("organ/dagordningsmall/<id:pk>/andra/", views.agenda_template_item_edit, name="agenda_template_item_edit"),
    path("organ/dagordningsmall/<id:pk>/flytta/", views.agenda_template_item_move, name="agenda_template_item_move"),
    path(
        "organ/dagordningsmall/<id:pk>/anvands/", views.agenda_template_item_toggle, name="agenda_template_item_toggle"
    ),
]
