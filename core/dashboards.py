def dashboard_panels(request):
    return []
