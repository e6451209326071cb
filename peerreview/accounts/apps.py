from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerreview.accounts"
    label = "accounts"
