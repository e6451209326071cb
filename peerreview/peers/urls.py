from django.urls import path

from . import views

app_name = "peers"
urlpatterns = [
    path("peers/", views.pool, name="pool"),
    path("peers/import/", views.import_pool, name="import"),
    path("peers/export/", views.export_pool, name="export"),
    path("peers/season/", views.season, name="season"),
    path("peers/season/apply/", views.season_apply, name="season_apply"),
    path("peers/season/problem.json", views.season_problem, name="season_problem"),
    path("peers/triads/", views.triads, name="triads"),
    path("peers/<int:profile_id>/", views.profile, name="profile"),
    path("reviews/<int:review_id>/team/", views.team, name="team"),
    path("reviews/<int:review_id>/team/solve/", views.solve, name="solve"),
    path("reviews/<int:review_id>/team/pin/", views.pin, name="pin"),
    path("reviews/<int:review_id>/team/people/<int:profile_id>/", views.change_member, name="change_member"),
    path("reviews/<int:review_id>/team/send/", views.send, name="send"),
    path("reviews/<int:review_id>/team/invite/", views.invite, name="invite"),
    path("reviews/<int:review_id>/team/problem.json", views.problem_json, name="problem_json"),
    path("reviews/<int:review_id>/team/approval/", views.approval, name="approval"),
    path("team-invitations/<str:token>/", views.respond, name="respond"),
]
