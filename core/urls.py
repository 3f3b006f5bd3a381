from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisation/byt/", views.switch_organisation_view, name="switch_organisation"),
    # How long the session has left (GET, not counted as activity) and "Fortsätt vara inloggad" (POST).
    path("konto/session/", views.session_keepalive, name="session"),
    path("organisation/", views.organisation_detail, name="organisation_detail"),
    path("organisation/andra/", views.organisation_edit, name="organisation_edit"),
    # User administration in the current organisation; <pk> is a user with a role there, anyone else a 404.
    path("anvandare/", views.user_list, name="user_list"),
    path("anvandare/ny/", views.user_create, name="user_create"),
    path("anvandare/lagg-till/", views.user_add_existing, name="user_add_existing"),
    path("anvandare/<id:pk>/", views.user_detail, name="user_detail"),
    path("anvandare/<id:pk>/andra/", views.user_edit, name="user_edit"),
    path("anvandare/<id:pk>/ta-bort/", views.user_remove, name="user_remove"),
    path("anvandare/<id:pk>/inaktivera/", views.user_deactivate, name="user_deactivate"),
    path("anvandare/<id:pk>/aktivera/", views.user_activate, name="user_activate"),
    path("anvandare/<id:pk>/skicka-inbjudan/", views.user_invitation_resend, name="user_invitation_resend"),
    # Audit trail of the current organisation.
    path("granskning/", views.audit_list, name="audit_list"),
    path("granskning/<str:app_label>/<str:model_name>/<id:pk>/", views.audit_object, name="audit_object"),
]
