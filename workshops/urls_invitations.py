"""Invitations: included under organise/<slug>/ by the app's urls.py (namespace `workshops`)."""

from django.urls import path

from . import views_invitations as views

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/send/", views.invitations_send, name="invitations_send"),
    path("invitations/people/", views.people, name="invitation_people"),
    path("invitations/resend/", views.resend, name="invitation_resend"),
    path("invitations/batches/<uuid:batch>/", views.invitation_batch, name="invitation_batch"),
    path("invitations/batches/<uuid:batch>/status/", views.invitation_batch_status, name="invitation_batch_status"),
    path(
        "invitations/batches/<uuid:batch>/resume/", views.invitation_batch_resume_view, name="invitation_batch_resume"
    ),
]
