"""Purging a closed review's evidence: notes, findings, sessions, summaries, the report and generated documents."""

from .models import EvidenceSession, Finding, KitSummary, Note, Output, Report, ReportComment


def purge(review) -> int:
    """Delete the review's evidence and everything made from it; return the number of notes deleted. The search
    index follows through the delete signals, the running totals through the database triggers."""
    notes = Note.objects.filter(review=review).count()
    Finding.objects.filter(review=review).delete()  # links and challenges go with them
    Note.objects.filter(review=review).delete()  # and their tags
    EvidenceSession.objects.filter(review=review).delete()
    for model in (KitSummary, Report, ReportComment, Output):
        model.objects.filter(review=review).delete()
    return notes
