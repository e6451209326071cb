from django.db import models


class ReviewType(models.Model):
    """One version of a review type, loaded from data/review_types/*.yaml. Reviews keep the version they began with."""

    code = models.SlugField(max_length=64)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    config = models.JSONField()
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_review_type_version")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_case_record_review(self) -> bool:
        return bool(self.config.get("case_record_review"))

    @property
    def agreement(self) -> dict:
        return self.config["confidentiality"]

    def themes(self) -> list[dict]:
        from .library import library

        wanted = self.config.get("lines_of_enquiry", [])
        lib = library()
        return [lib["by_code"][code] for code in wanted if code in lib["by_code"]]

    def team_slots(self, *, case_record_review: bool | None = None) -> list[dict]:
        crr = self.has_case_record_review if case_record_review is None else case_record_review
        return [s for s in self.config["team"] if s.get("when") != "case_record_review" or crr]
