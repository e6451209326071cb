import uuid

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """An append-only record of a state change. Written by actions, never updated or deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    review_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"


class AccessEvent(models.Model):
    """Who saw or downloaded what. Never holds content, only pseudonymous references."""

    class Action(models.TextChoices):
        VIEW = "view"
        DOWNLOAD = "download"
        DENIED = "denied"
        EXPORT = "export"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    role = models.CharField(max_length=32, blank=True)
    review_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_ref = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"
