from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "peerreview.policy"
    label = "policy"
