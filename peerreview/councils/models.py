from django.db import models

REGIONS = [
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
]


class Organisation(models.Model):
    """A council with children's services responsibilities, or a partner (police, health, the LGA)."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        LGA = "lga", "Local Government Association"
        OTHER = "other", "Other"

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    council_kind = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=40, blank=True)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)
    is_fictional = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
