"""Every page of the organiser's back office, mounted at organise/<slug:slug>/ by config/urls.py."""

from django.urls import path

from .views import (
    announcements,
    attendance,
    board,
    board_tools,
    certificates,
    dashboard,
    evaluation,
    guide,
    home,
    imports,
    invitation_preview,
    invitations,
    jobs,
    printables,
    programme,
    questions,
    repair,
    report,
    report_back,
    setup,
    summary,
)

app_name = "organise"

urlpatterns = [
    # announcements to everyone, a room, a group or the facilitators
    path("announcements/", announcements.announcements, name="announcements"),
    path(
        "announcements/<int:announcement_id>/withdraw/",
        announcements.announcement_withdraw_view,
        name="announcement_withdraw",
    ),
    # the board: the schedule at a glance, solver runs, hand moves, swaps, assignments and unlocks, the pickers' search
    path("", board.board, name="board"),
    path("runs/", board.run_start, name="run_start"),
    path("runs/<int:run_id>/", board.run_detail, name="run"),
    path("runs/<int:run_id>/status/", board.run_status, name="run_status"),
    path("runs/<int:run_id>/apply/", board.run_apply, name="run_apply"),
    path("runs/<int:run_id>/discard/", board.run_discard, name="run_discard"),
    path("move/", board.move_participant, name="move_participant"),
    path("swap/", board.swap_facilitators, name="swap_facilitators"),
    path("history/<int:change_id>/undo/", board.schedule_undo, name="schedule_undo"),
    path("assign/", board_tools.assign_facilitator, name="assign_facilitator"),
    path("unlock/", board_tools.unlock, name="unlock"),
    path("people/search/", board_tools.people_search_view, name="people_search"),
    # repairing the day: a facilitator withdrawn, the fewest changes previewed, then applied or discarded
    path("repair/", repair.repair, name="repair"),
    path("repair/<int:repair_id>/", repair.repair_detail, name="repair_detail"),
    path("repair/<int:repair_id>/apply/", repair.repair_apply_view, name="repair_apply"),
    path("repair/<int:repair_id>/discard/", repair.repair_discard_view, name="repair_discard"),
    # the guided set-up (its first step, for a workshop still to create, is organise/new/ in config/urls.py)
    path("setup/details/", setup.setup_details, name="setup_details"),
    path("setup/languages/", setup.setup_languages, name="setup_languages"),
    path("setup/rooms/", setup.setup_rooms, name="setup_rooms"),
    path("setup/sessions/", setup.setup_sessions, name="setup_sessions"),
    # a session's own guide
    path("sessions/<int:session_id>/guide/", guide.session_guide, name="session_guide"),
    # the whole programme: plenary items among the break-out sessions
    path("programme/", programme.programme, name="programme"),
    path("programme/<int:item_id>/", programme.programme_item, name="programme_item"),
    path("programme/<int:item_id>/delete/", programme.programme_item_delete, name="programme_item_delete"),
    # the worksheet questions, as one list
    path("questions/", questions.questions, name="questions"),
    # the next edition
    path("copy/", home.copy, name="copy"),
    # import and export
    path("import/", imports.import_upload, name="import"),
    path("import/preview/", imports.import_preview, name="import_preview"),
    path("import/columns/", imports.import_columns, name="import_columns"),
    path("import/refused.csv", imports.import_refused, name="import_refused"),
    path("import/template/<str:kind>.<str:fmt>", imports.import_template, name="import_template"),
    path("import/apply/", imports.import_apply, name="import_apply"),
    path("import/done/", imports.import_done, name="import_done"),
    path("export/participants.<str:fmt>", imports.export_participants, name="export_participants"),
    path("export/schedule.<str:fmt>", imports.export_schedule, name="export_schedule"),
    # invitations
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/send/", invitations.invitations_send, name="invitations_send"),
    path("invitations/message/", invitations.invitation_note, name="invitation_note"),
    path("invitations/preview/", invitation_preview.invitation_preview_page, name="invitation_preview"),
    path(
        "invitations/preview/<str:language>/<str:kind>.html",
        invitation_preview.invitation_preview_html,
        name="invitation_preview_html",
    ),
    path("invitations/test/", invitation_preview.invitation_test, name="invitation_test"),
    path("invitations/people/", invitations.people, name="invitation_people"),
    path("invitations/link/", invitations.person_link, name="invitation_link"),
    path("invitations/resend/", invitations.resend, name="invitation_resend"),
    path("invitations/batches/<uuid:batch>/", invitations.invitation_batch, name="invitation_batch"),
    path(
        "invitations/batches/<uuid:batch>/status/",
        invitations.invitation_batch_status,
        name="invitation_batch_status",
    ),
    path(
        "invitations/batches/<uuid:batch>/resume/",
        invitations.invitation_batch_resume_view,
        name="invitation_batch_resume",
    ),
    # live progress
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/status/", dashboard.dashboard_status, name="dashboard_status"),
    # attendance: one session's marks, corrections and their history, the check-in margin
    path("attendance/<int:session_id>/", attendance.attendance, name="attendance"),
    # the feedback report
    path("report/", report.report_index, name="report"),
    path("report/feedback.csv", report.report_csv_file, name="report_csv"),  # GET: a button; POST: a job
    path("report/feedback.xlsx", report.report_xlsx_file, name="report_xlsx"),
    # the report-back plenary: every group's summary of a session, for the projector, print and files
    path("report-back/", report_back.report_back_index, name="report_back_index"),
    path("report-back/<int:session_id>/", report_back.report_back, name="report_back"),
    path("report-back/<int:session_id>/summaries.<str:fmt>", report_back.report_back_export, name="report_back_export"),
    # the evaluation: its questions and closing time, each session's knowledge check, the figures (issue 16)
    path("evaluation/", evaluation.evaluation_index, name="evaluation"),
    path("evaluation/knowledge/<int:session_id>/", evaluation.knowledge_questions, name="knowledge_questions"),
    path("evaluation/report/", evaluation.evaluation_report, name="evaluation_report"),
    # printables
    path("printables/", printables.printables_index, name="printables"),
    path("printables/room-signs/", printables.room_signs, name="room_signs"),
    path("printables/rosters/", printables.rosters, name="rosters"),
    path("printables/itineraries/", printables.itineraries, name="itineraries"),
    path("printables/badges/", printables.badges, name="badges"),
    path("printables/badges.pdf", printables.badges_pdf_start, name="badges_pdf"),
    # certificates of participation (issue 16)
    path("certificates/", certificates.certificates, name="certificates"),
    path("certificates/issue/", certificates.certificates_issue, name="certificates_issue"),
    path("certificates/certificates.pdf", certificates.certificates_pdf_start, name="certificates_pdf"),
    path("certificates/<int:certificate_id>/revoke/", certificates.certificate_revoke_view, name="certificate_revoke"),
    # the summary for funders (issue 16)
    path("summary/", summary.summary_page, name="summary"),
    path("summary/summary.pdf", summary.summary_pdf, name="summary_pdf"),
    path("summary/summary.xlsx", summary.summary_xlsx, name="summary_xlsx"),
    # background jobs: progress, then the file
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:job_id>/download/", jobs.job_download, name="job_download"),
]
