from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "peerreview.councils"
    label = "councils"
