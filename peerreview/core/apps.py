from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peerreview.core"
    label = "core"
