from django.urls import path

from . import views

app_name = "worksheets"

urlpatterns = [
    path("", views.my_day, name="my_day"),
    path("worksheets.pdf", views.worksheets_download, name="download"),
    path("email-copy/", views.worksheets_email_copy, name="email_copy"),
    path("worksheets/<int:session_id>/", views.worksheet_page, name="worksheet"),
    path("worksheets/<int:session_id>/autosave/", views.worksheet_autosave, name="autosave"),
    path("worksheets/<int:session_id>/status/", views.worksheet_status, name="status"),
]
