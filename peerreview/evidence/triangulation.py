"""The triangulation rule: a finding stands only on enough evidence, of enough kinds, from enough places.

Each review type sets the rule in its YAML (`triangulation`); the defaults below match the LGA guidance.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

DEFAULT_RULE = {"min_items": 3, "min_source_types": 2, "min_distinct_peers_or_sessions": 2}


@dataclass(frozen=True)
class Strength:
    items: int = 0
    source_types: int = 0
    peers: int = 0
    sessions: int = 0
    contradicting: int = 0
    rule: tuple[int, int, int] = (3, 2, 2)

    @property
    def places(self) -> int:
        return max(self.peers, self.sessions)

    @property
    def shortfalls(self) -> list[str]:
        items, types, places = self.rule
        out = []
        if self.items < items:
            out.append(f"{items - self.items} more supporting evidence note{'s' if items - self.items != 1 else ''}")
        if self.source_types < types:
            more = types - self.source_types
            out.append(f"{more} more source type{'s' if more != 1 else ''}")
        if self.places < places:
            more = places - self.places
            out.append(f"evidence from {more} more peer{'s' if more != 1 else ''} or session{'s' if more != 1 else ''}")
        return out

    @property
    def supported(self) -> bool:
        return not self.shortfalls

    @property
    def summary(self) -> str:
        return (
            f"{self.items} note{'s' if self.items != 1 else ''}, "
            f"{self.source_types} source type{'s' if self.source_types != 1 else ''}, "
            f"{self.places} peer{'s' if self.places != 1 else ''} or session{'s' if self.places != 1 else ''}"
        )


def rule_for(review) -> tuple[int, int, int]:
    rule = {**DEFAULT_RULE, **(review.review_type.config.get("triangulation") or {})}
    return (int(rule["min_items"]), int(rule["min_source_types"]), int(rule["min_distinct_peers_or_sessions"]))


def strengths(review, finding_ids=None) -> dict[int, Strength]:
    """Evidence strength for every finding of the review, from one aggregate query."""
    from .models import FindingLink

    rule = rule_for(review)
    links = FindingLink.objects.filter(finding__review=review)
    if finding_ids is not None:
        links = links.filter(finding_id__in=list(finding_ids))
    support = Q(supports=True)
    rows = links.values("finding_id").annotate(
        items=Count("id", filter=support),
        types=Count("note__source_type", filter=support, distinct=True),
        peers=Count("note__author", filter=support, distinct=True),
        sessions=Count("note__session", filter=support, distinct=True),
        against=Count("id", filter=~support),
    )
    return {
        r["finding_id"]: Strength(r["items"], r["types"], r["peers"], r["sessions"], r["against"], rule) for r in rows
    }


def strength_of(finding) -> Strength:
    return strengths(finding.review, [finding.pk]).get(finding.pk, Strength(rule=rule_for(finding.review)))
