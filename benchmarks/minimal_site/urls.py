from django.shortcuts import render
from django.urls import path
from django.utils import timezone


def page(request):
    return render(request, "minimal.html", {"today": timezone.localdate(), "items": ["Ett", "Två", "Tre"]})


urlpatterns = [path("", page)]
