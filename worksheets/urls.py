from django.urls import path

from .views import facilitator, participant

app_name = "worksheets"

urlpatterns = [
    path("", participant.my_day, name="my_day"),
    path("sign-out/", participant.sign_out, name="sign_out"),
    path("worksheets.pdf", participant.worksheets_download, name="download"),
    path("certificate.pdf", participant.certificate_download, name="certificate"),
    path("email-copy/", participant.worksheets_email_copy, name="email_copy"),
    path("rotation.ics", facilitator.rotation_ical, name="rotation_ical"),
    path("sessions/<int:session_id>/", facilitator.assignment_page, name="assignment"),
    path("sessions/<int:session_id>/progress/", facilitator.assignment_progress, name="assignment_progress"),
    path("sessions/<int:session_id>/notes/", facilitator.notes_autosave, name="notes_autosave"),
    path("worksheets/<int:session_id>/", participant.worksheet_page, name="worksheet"),
    path("worksheets/<int:session_id>/autosave/", participant.worksheet_autosave, name="autosave"),
    path("worksheets/<int:session_id>/status/", participant.worksheet_status, name="status"),
]
