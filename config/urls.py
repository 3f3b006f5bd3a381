from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from core.forms import LoginForm

admin.site.site_header = "Paragraf – teknisk administration"

urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("konto/logga-in/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("konto/", include("django.contrib.auth.urls")),
    path("dokument/", include("reporting.urls")),
    path("", include("meetings.urls")),
    path("", include("core.urls")),
    path("django-admin/", admin.site.urls),
]

handler404 = "core.views.error_404"
handler403 = "core.views.error_403"
handler500 = "core.views.error_500"
