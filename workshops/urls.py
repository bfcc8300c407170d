from django.urls import path

from . import views, views_access, views_certificates

app_name = "workshops"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("workshops/<slug:slug>/", views.WorkshopDetailView.as_view(), name="detail"),
    path("link/lost/", views_access.lost_link, name="lost_link"),
    path("link/once/<str:token>/", views_access.one_time_link, name="one_time_link"),
    path("link/<str:token>/", views_access.personal_link, name="personal_link"),
    path("certificates/<str:code>/", views_certificates.certificate_verify, name="certificate_verify"),
]
