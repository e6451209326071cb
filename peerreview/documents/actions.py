import hashlib
import os

from django.db import transaction

from peerreview.core import audit

from .models import Document


@transaction.atomic
def store_document(review, *, by, upload, kind: str, checklist_code: str, title: str) -> Document:
    doc = Document(
        review=review,
        checklist_code="" if checklist_code == "other" else checklist_code,
        title=title,
        original_name=os.path.basename(upload.name)[:255],
        kind=kind,
        size=upload.size,
        sha256="",
        uploaded_by=by,
    )
    doc.path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = doc.path.with_suffix(".part")
    try:
        with open(tmp, "wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                out.write(chunk)
        os.replace(tmp, doc.path)
    finally:
        tmp.unlink(missing_ok=True)
    try:
        doc.sha256 = digest.hexdigest()
        doc.save()
        audit.record("document.uploaded", by=by, review=review, obj=doc, summary=doc.title)
    except BaseException:
        doc.path.unlink(missing_ok=True)  # the row is rolled back, so the file must go too
        raise
    return doc
