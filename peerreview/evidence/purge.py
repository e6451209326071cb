"""Purging a closed review's evidence: drafts, notes, findings, sessions, summaries, the report and generated
documents.

Notes name staff groups and say what people told the team (security.md, class C2); drafts are unsaved notes;
findings, summaries, the report and its documents are made from them. The search index follows through the
delete signals, the running totals through the database triggers."""

from .models import EvidenceSession, Finding, KitSummary, Note, NoteDraft, Output, Report, ReportComment


def purge(review) -> int:
    """Delete the review's evidence and everything made from it; return the number of notes and drafts deleted."""
    drafts = NoteDraft.objects.filter(review=review).delete()[0]
    Finding.objects.filter(review=review).delete()  # links and challenges go with them
    notes = Note.objects.filter(review=review).delete()[1].get(Note._meta.label, 0)  # and their tags
    EvidenceSession.objects.filter(review=review).delete()
    for model in (KitSummary, Report, ReportComment, Output):
        model.objects.filter(review=review).delete()
    return notes + drafts
