from django.urls import path

from . import views

app_name = "curriculum"

urlpatterns = [
    path("", views.CurriculumView.as_view(), name="index"),
    path("emm/<str:number>/", views.SectionView.as_view(), name="section"),
    path("iamm/", views.IammView.as_view(), name="iamm"),
]
