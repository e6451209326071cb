from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/new/", views.create, name="create"),
    path("reviews/<int:review_id>/", views.detail, name="detail"),
    path("reviews/<int:review_id>/dates/", views.dates, name="dates"),
    path("reviews/<int:review_id>/stage/", views.advance, name="advance"),
    path("reviews/<int:review_id>/people/", views.people, name="people"),
    path("reviews/<int:review_id>/people/invite/", views.invite, name="invite"),
    path("reviews/<int:review_id>/people/<int:membership_id>/remove/", views.revoke, name="revoke"),
    path("reviews/<int:review_id>/scope/", views.scope, name="scope"),
    path("reviews/<int:review_id>/scope/meeting/", views.scoping_meeting, name="scoping_meeting"),
    path("reviews/<int:review_id>/scope/lines/", views.scope_lines, name="scope_lines"),
    path("reviews/<int:review_id>/scope/lines/new/", views.scope_custom_line, name="scope_custom_line"),
    path("reviews/<int:review_id>/scope/agree/", views.agree_scope, name="agree_scope"),
    path("reviews/<int:review_id>/confidentiality/", views.confidentiality, name="confidentiality"),
    path("reviews/<int:review_id>/history/", views.history, name="history"),
    path("reviews/<int:review_id>/purge/", views.purge, name="purge"),
]
