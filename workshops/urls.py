from django.urls import include, path

from . import views, views_access, views_board

app_name = "workshops"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("workshops/<slug:slug>/", views.WorkshopDetailView.as_view(), name="detail"),
    path("organise/<slug:slug>/", views_board.board, name="board"),
    path("organise/<slug:slug>/runs/", views_board.run_start, name="run_start"),
    path("organise/<slug:slug>/runs/<int:run_id>/", views_board.run_detail, name="run"),
    path("organise/<slug:slug>/runs/<int:run_id>/status/", views_board.run_status, name="run_status"),
    path("organise/<slug:slug>/runs/<int:run_id>/apply/", views_board.run_apply, name="run_apply"),
    path("organise/<slug:slug>/runs/<int:run_id>/discard/", views_board.run_discard, name="run_discard"),
    path("organise/<slug:slug>/move/", views_board.move_participant, name="move_participant"),
    path("organise/<slug:slug>/swap/", views_board.swap_facilitators, name="swap_facilitators"),
    path("organise/<slug:slug>/", include("workshops.urls_import")),
    path("organise/<slug:slug>/", include("workshops.urls_invitations")),
    path("link/lost/", views_access.lost_link, name="lost_link"),
    path("link/once/<str:token>/", views_access.one_time_link, name="one_time_link"),
    path("link/<str:token>/", views_access.personal_link, name="personal_link"),
]
