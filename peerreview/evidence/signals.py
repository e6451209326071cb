from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import search
from .models import Finding, Note


@receiver(post_save, sender=Note)
def _note_saved(sender, instance, **kwargs):
    search.index_note(instance)


@receiver(post_save, sender=Finding)
def _finding_saved(sender, instance, **kwargs):
    search.index_finding(instance)


@receiver(post_delete, sender=Note)
def _note_deleted(sender, instance, **kwargs):
    search.unindex("note", instance.pk)


@receiver(post_delete, sender=Finding)
def _finding_deleted(sender, instance, **kwargs):
    search.unindex("finding", instance.pk)
