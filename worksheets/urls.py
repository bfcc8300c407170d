from django.urls import path

from .views import announcements, checkin, evaluation, facilitator, participant, roster, summaries

app_name = "worksheets"

urlpatterns = [
    path("", participant.my_day, name="my_day"),
    path("announcements/", announcements.announcements_poll, name="announcements"),
    path(
        "announcements/<int:announcement_id>/dismiss/",
        announcements.announcement_dismiss_view,
        name="announcement_dismiss",
    ),
    path("sign-out/", participant.sign_out, name="sign_out"),
    path("worksheets.pdf", participant.worksheets_download, name="download"),
    path("certificate.pdf", participant.certificate_download, name="certificate"),
    path("email-copy/", participant.worksheets_email_copy, name="email_copy"),
    path("rotation.ics", facilitator.rotation_ical, name="rotation_ical"),
    path("day.ics", participant.day_ical, name="day_ical"),
    path("sessions/<int:session_id>/", facilitator.assignment_page, name="assignment"),
    path("sessions/<int:session_id>/progress/", facilitator.assignment_progress, name="assignment_progress"),
    path("sessions/<int:session_id>/notes/", facilitator.notes_autosave, name="notes_autosave"),
    path("sessions/<int:session_id>/attendance/", roster.attendance_autosave, name="attendance_autosave"),
    path("checkin/<str:token>/", checkin.checkin, name="checkin"),
    path("worksheets/<int:session_id>/", participant.worksheet_page, name="worksheet"),
    path("worksheets/<int:session_id>/autosave/", participant.worksheet_autosave, name="autosave"),
    path("worksheets/<int:session_id>/status/", participant.worksheet_status, name="status"),
    # the group's summary for the report-back: its rapporteur's editor, the autosave, the rapporteur's choice
    path("summaries/<int:session_id>/", summaries.summary_page, name="summary"),
    path("summaries/<int:session_id>/autosave/", summaries.summary_autosave_view, name="summary_autosave"),
    path("summaries/<int:session_id>/rapporteur/", summaries.rapporteur_choose, name="rapporteur"),
    # evaluation (issue 16): anonymous forms after each session and for the workshop; the knowledge check
    path("evaluation/workshop/", evaluation.evaluation_workshop, name="evaluation_workshop"),
    path("evaluation/<int:session_id>/", evaluation.evaluation_session, name="evaluation"),
    path("knowledge/<int:session_id>/<str:phase>/", evaluation.knowledge_check, name="knowledge"),
]
