from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from core.account_views import ThrottledPasswordResetView, invitation_accept, totp_settings
from core.forms import LoginForm

admin.site.site_header = "Paragraf – teknisk administration"

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("healthz/live/", core_views.healthz_live, name="healthz_live"),
    # Django's auth views under Swedish paths (django.contrib.auth.urls would add English ones and a second
    # "login" without our form).
    path("konto/logga-in/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/byt-losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/byt-losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/glomt-losenord/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("konto/glomt-losenord/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("konto/nytt-losenord/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # The link in an invitation from the membership register; the token is signed and expires (core.person_services).
    path("konto/inbjudan/<str:token>/", invitation_accept, name="invitation_accept"),
    path("konto/tvastegsverifiering/", totp_settings, name="totp_settings"),
    path("dokument/", include("reporting.urls")),
    path("", include("meetings.urls")),
    path("arenden/", include("meetings.case_urls")),
    path("sammantraden/", include("meetings.agenda_urls")),
    path("protokoll/", include("meetings.minutes_urls")),
    path("register/", include("meetings.register_urls")),
    path("insatser/", include("projects.urls")),
    path("deltagarregister/", include("projects.register_urls")),
    path("ekonomi/", include("finance.urls")),
    # Public, no login: the digital anslagstavla and the calendar feeds.
    path("anslagstavla/", include("meetings.noticeboard_urls")),
    path("", include("core.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "core.views.error_400"
handler404 = "core.views.error_404"
handler403 = "core.views.error_403"
handler500 = "core.views.error_500"
