"""Live progress: included under organise/<slug>/ by config/urls.py (namespace `dashboard`)."""

from django.urls import path

from . import views_dashboard

urlpatterns = [
    path("dashboard/", views_dashboard.dashboard, name="index"),
    path("dashboard/status/", views_dashboard.dashboard_status, name="status"),
]
