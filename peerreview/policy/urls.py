from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("review-types/", views.review_types, name="review_types"),
    path("review-types/<slug:code>/", views.review_type, name="review_type"),
]
