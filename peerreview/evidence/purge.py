"""What a purge removes from the evidence app: the raw evidence and everyone's unsaved drafts.

Notes (with their tags and their links to findings) and the sessions they were heard in name staff groups and
say what people told the team, so they go with the review (security.md, class C2). Drafts are unsaved notes
and go too. The agreed findings, the report and the generated documents carry no identifiers (they were
checked before generation) and stay with the review row, like the audit trail.
"""

from .models import EvidenceSession, Note, NoteDraft


def purge(review) -> int:
    drafts = NoteDraft.objects.filter(review=review).delete()[0]
    notes = Note.objects.filter(review=review).count()
    # Deleting through the ORM fires the post_delete signal that keeps the search index in step.
    Note.objects.filter(review=review).delete()
    EvidenceSession.objects.filter(review=review).delete()
    return notes + drafts
