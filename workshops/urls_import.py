"""Import and export for organisers; included by the app's urls.py under organise/<slug>/."""

from django.urls import path

from . import views_import

urlpatterns = [
    path("import/", views_import.import_upload, name="import"),
    path("import/preview/", views_import.import_preview, name="import_preview"),
    path("import/apply/", views_import.import_apply, name="import_apply"),
    path("import/done/", views_import.import_done, name="import_done"),
    path("export/participants.<str:fmt>", views_import.export_participants, name="export_participants"),
    path("export/schedule.<str:fmt>", views_import.export_schedule, name="export_schedule"),
]
