from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "peerreview.reviews"
    label = "reviews"
