from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("workshops/<slug:slug>/", views.WorkshopDetailView.as_view(), name="detail"),
]
