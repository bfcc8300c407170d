from django.urls import path

from . import views, views_facilitator

app_name = "worksheets"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("worksheets.pdf", views.worksheets_download, name="download"),
    path("email-copy/", views.worksheets_email_copy, name="email_copy"),
    path("rotation.ics", views_facilitator.rotation_ical, name="rotation_ical"),
    path("sessions/<int:session_id>/", views_facilitator.assignment_page, name="assignment"),
    path("sessions/<int:session_id>/progress/", views_facilitator.assignment_progress, name="assignment_progress"),
    path("sessions/<int:session_id>/notes/", views_facilitator.notes_autosave, name="notes_autosave"),
    path("worksheets/<int:session_id>/", views.worksheet_page, name="worksheet"),
    path("worksheets/<int:session_id>/autosave/", views.worksheet_autosave, name="autosave"),
    path("worksheets/<int:session_id>/status/", views.worksheet_status, name="status"),
]
