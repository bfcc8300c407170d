"""The organiser's feedback report and printables, under organise/<slug>/ (namespace "reports")."""

from django.urls import path

from . import views_printables, views_report

urlpatterns = [
    path("report/", views_report.report_index, name="index"),
    path("report/feedback.csv", views_report.report_csv_download, name="csv"),
    path("report/feedback.xlsx", views_report.report_xlsx_download, name="xlsx"),
    path("printables/", views_printables.printables_index, name="printables"),
    path("printables/room-signs/", views_printables.room_signs, name="room_signs"),
    path("printables/rosters/", views_printables.rosters, name="rosters"),
    path("printables/itineraries/", views_printables.itineraries, name="itineraries"),
    path("printables/badges/", views_printables.badges, name="badges"),
]
