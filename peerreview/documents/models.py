import uuid

from django.conf import settings
from django.db import models


class Document(models.Model):
    """A file the host council shares with the review team. Stored outside the web root under a random name."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="documents")
    checklist_code = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=200)
    original_name = models.CharField(max_length=255)
    stored_name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8)  # pdf, docx, xlsx, pptx, csv, doc, xls, ppt
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checklist_code", "-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def path(self):
        return settings.PRIVATE_STORAGE_ROOT / "documents" / str(self.review_id) / self.stored_name.hex
