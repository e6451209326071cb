from django.urls import path

from . import views

app_name = "evidence"
R = "reviews/<int:review_id>/evidence"
urlpatterns = [
    path(f"{R}/", views.board, name="board"),
    path(f"{R}/sessions/", views.sessions, name="sessions"),
    path(f"{R}/sessions/<int:session_id>/", views.session, name="session"),
    path(f"{R}/notes/", views.notes, name="notes"),
    path(f"{R}/notes/new/", views.note_new, name="note_new"),
    path(f"{R}/notes/draft/", views.draft_save, name="draft_save"),
    path(f"{R}/notes/draft/discard/", views.draft_discard, name="draft_discard"),
    path(f"{R}/notes/<int:note_id>/", views.note_edit, name="note_edit"),
    path(f"{R}/notes/<int:note_id>/delete/", views.note_delete, name="note_delete"),
    path(f"{R}/findings/new/", views.finding_new, name="finding_new"),
    path(f"{R}/findings/<int:finding_id>/", views.finding, name="finding"),
    path(f"{R}/findings/<int:finding_id>/edit/", views.finding_edit, name="finding_edit"),
    path(f"{R}/findings/<int:finding_id>/link/", views.finding_link, name="finding_link"),
    path(f"{R}/findings/<int:finding_id>/links/<int:link_id>/remove/", views.finding_unlink, name="finding_unlink"),
    path(f"{R}/findings/<int:finding_id>/agree/", views.finding_agree, name="finding_agree"),
    path(f"{R}/findings/<int:finding_id>/challenge/", views.finding_challenge, name="finding_challenge"),
    path(f"{R}/challenges/<int:challenge_id>/resolve/", views.challenge_resolve, name="challenge_resolve"),
    path(f"{R}/matrix/", views.matrix, name="matrix"),
    path(f"{R}/team-meeting/", views.meeting, name="meeting"),
    path(f"{R}/charts/", views.charts, name="charts"),
    path(f"{R}/charts/<slug:kind>.png", views.chart, name="chart"),
    path("reviews/<int:review_id>/keeping-in-touch/", views.kit, name="kit"),
    path("reviews/<int:review_id>/report/", views.report, name="report"),
    path("reviews/<int:review_id>/report/edit/", views.report_edit, name="report_edit"),
    path("reviews/<int:review_id>/report/comment/", views.report_comment, name="report_comment"),
    path("reviews/<int:review_id>/report/sign-off/", views.report_sign_off, name="report_sign_off"),
    path("reviews/<int:review_id>/report/generate/<slug:kind>/", views.generate, name="generate"),
    path("reviews/<int:review_id>/report/files/<int:output_id>/", views.output_download, name="output_download"),
]
