from django.urls import path

from . import views

app_name = "timetable"
P = "reviews/<int:review_id>/timetable/"
urlpatterns = [
    path(P, views.week, name="week"),
    path(P + "setup/", views.setup, name="setup"),
    path(P + "setup/template/", views.add_template, name="add_template"),
    path(P + "participants/new/", views.participant_add, name="participant_add"),
    path(P + "participants/<int:participant_id>/", views.participant_edit, name="participant_edit"),
    path(P + "participants/<int:participant_id>/remove/", views.participant_delete, name="participant_delete"),
    path(P + "participants/<int:participant_id>/calendar.ics", views.participant_ics, name="participant_ics"),
    path(P + "rooms/new/", views.room_add, name="room_add"),
    path(P + "rooms/<int:room_id>/remove/", views.room_delete, name="room_delete"),
    path(P + "sessions/new/", views.session_add, name="session_add"),
    path(P + "sessions/<int:session_id>/", views.session, name="session"),
    path(P + "sessions/<int:session_id>/change/", views.session_edit, name="session_edit"),
    path(P + "sessions/<int:session_id>/drop/", views.session_drop, name="session_drop"),
    path(P + "sessions/<int:session_id>/undo/", views.session_undo, name="session_undo"),
    path(P + "sessions/<int:session_id>/preview/", views.session_preview, name="session_preview"),
    path(P + "availability/", views.unavailability, name="unavailability"),
    path(P + "availability/import/", views.import_unavailability, name="import"),
    path(P + "availability/<int:unavailability_id>/remove/", views.unavailability_delete, name="unavailability_delete"),
    path(P + "peers/", views.peers, name="peers"),
    path(P + "peers/<int:membership_id>/", views.peer_edit, name="peer_edit"),
    path(P + "solve/", views.solve, name="solve"),
    path(P + "weights/", views.weights, name="weights"),
    path(P + "runs/<int:run_id>/", views.run, name="run"),
    path(P + "runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path(P + "runs/<int:run_id>/stop/", views.run_stop, name="run_stop"),
    path(P + "timetable.xlsx", views.xlsx, name="xlsx"),
    path(P + "problem.json", views.problem_json, name="problem_json"),
    path(P + "people/<int:membership_id>/", views.person, name="person"),
    path(P + "people/<int:membership_id>/calendar.ics", views.person_ics, name="person_ics"),
    path(P + "invitations/send/", views.send_invitations, name="send_invitations"),
]
