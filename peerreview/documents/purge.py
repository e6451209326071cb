from django.db import transaction


def purge(review) -> int:
    """Delete the review's uploaded files (after the transaction commits) and their rows."""
    docs = list(review.documents.all())
    paths = [d.path for d in docs]
    review.documents.all().delete()
    transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in paths])
    return len(docs)
